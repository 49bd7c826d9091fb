<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fa_IR">
    <context>
        <name>Breakdown</name>
        <message>
            <source>Nothing recorded yet.</source>
            <translation>هنوز چیزی ثبت نشده است.</translation>
        </message>
    </context>
    <context>
        <name>ComparisonModel</name>
        <message>
            <source>Branch</source>
            <extracomment>The fields a scan returns, in form order (the merge dialog shows every field).</extracomment>
            <translation>شعبه</translation>
        </message>
        <message>
            <source>The records differ in this field</source>
            <translation>پرونده‌ها در این فیلد با هم فرق دارند</translation>
        </message>
    </context>
    <context>
        <name>ConflictCardWidget</name>
        <message>
            <source>{0} · {1}</source>
            <translation>{0} · {1}</translation>
        </message>
        <message>
            <source>Your change</source>
            <translation>تغییر شما</translation>
        </message>
        <message>
            <source>Original</source>
            <translation>مقدار اولیه</translation>
        </message>
        <message>
            <source>Before both changes</source>
            <translation>پیش از هر دو تغییر</translation>
        </message>
        <message>
            <source>Yours</source>
            <translation>مقدار شما</translation>
        </message>
        <message>
            <source>{0}, this branch's desk, {1}</source>
            <translation>{0}، میز همین شعبه، {1}</translation>
        </message>
        <message>
            <source>Current</source>
            <translation>مقدار فعلی</translation>
        </message>
        <message>
            <source>{0}, on the central server, found {1}</source>
            <translation>{0}، روی سرور مرکزی، یافته در {1}</translation>
        </message>
        <message>
            <source>Reason (required for identity fields)</source>
            <translation>دلیل تصمیم (برای فیلدهای هویتی الزامی است)</translation>
        </message>
        <message>
            <source>Reason (optional)</source>
            <translation>دلیل تصمیم (اختیاری)</translation>
        </message>
        <message>
            <source>Keep current value</source>
            <translation>نگه‌داشتن مقدار فعلی</translation>
        </message>
        <message>
            <source>Use my value</source>
            <translation>استفاده از مقدار من</translation>
        </message>
        <message>
            <source>Edit…</source>
            <translation>ویرایش…</translation>
        </message>
        <message>
            <source>The value has changed again since; deciding now may open a new review.</source>
            <translation>این مقدار از آن پس دوباره تغییر کرده است؛ تصمیم اکنون ممکن است بررسی تازه‌ای باز کند.</translation>
        </message>
        <message>
            <source>Enter a new value</source>
            <translation>مقدار تازه را وارد کنید</translation>
        </message>
    </context>
    <context>
        <name>CustomerFields</name>
        <message>
            <source>Customer type</source>
            <extracomment>Field -&gt; English title (translated in the "CustomerFields" context), in the order people read them.</extracomment>
            <translation>نوع مشتری</translation>
        </message>
        <message>
            <source>First name</source>
            <translation>نام</translation>
        </message>
        <message>
            <source>Last name</source>
            <translation>نام خانوادگی</translation>
        </message>
        <message>
            <source>Father's name</source>
            <translation>نام پدر</translation>
        </message>
        <message>
            <source>National ID</source>
            <translation>کد ملی</translation>
        </message>
        <message>
            <source>Birth date</source>
            <translation>تاریخ تولد</translation>
        </message>
        <message>
            <source>Gender</source>
            <translation>جنسیت</translation>
        </message>
        <message>
            <source>Company name</source>
            <translation>نام شرکت</translation>
        </message>
        <message>
            <source>Company national ID</source>
            <translation>شناسه ملی</translation>
        </message>
        <message>
            <source>Registration number</source>
            <translation>شماره ثبت</translation>
        </message>
        <message>
            <source>Contact person</source>
            <translation>نماینده شرکت</translation>
        </message>
        <message>
            <source>Customer number</source>
            <translation>شماره مشتری</translation>
        </message>
        <message>
            <source>Mobile</source>
            <translation>تلفن همراه</translation>
        </message>
        <message>
            <source>Phone</source>
            <translation>تلفن ثابت</translation>
        </message>
        <message>
            <source>Email</source>
            <translation>پست الکترونیک</translation>
        </message>
        <message>
            <source>Address</source>
            <translation>نشانی</translation>
        </message>
        <message>
            <source>Postal code</source>
            <translation>کد پستی</translation>
        </message>
        <message>
            <source>Segment</source>
            <translation>بخش مشتری</translation>
        </message>
        <message>
            <source>Lifecycle stage</source>
            <translation>مرحله چرخه عمر</translation>
        </message>
        <message>
            <source>KYC status</source>
            <translation>وضعیت احراز هویت</translation>
        </message>
        <message>
            <source>KYC date</source>
            <translation>تاریخ احراز هویت</translation>
        </message>
        <message>
            <source>Marketing consent</source>
            <translation>رضایت دریافت پیام تبلیغاتی</translation>
        </message>
        <message>
            <source>Notes</source>
            <translation>یادداشت</translation>
        </message>
        <message>
            <source>Branch</source>
            <translation>شعبه</translation>
        </message>
        <message>
            <source>Merged into</source>
            <translation>ادغام‌شده در</translation>
        </message>
        <message>
            <source>Reason for deletion</source>
            <translation>دلیل حذف</translation>
        </message>
        <message>
            <source>Created</source>
            <translation>تاریخ ثبت</translation>
        </message>
        <message>
            <source>Last changed</source>
            <translation>آخرین تغییر</translation>
        </message>
        <message>
            <source>Individual customer</source>
            <extracomment>Kinds get their own titles: ``CustomerKind.CORPORATE.label`` collides with ``Segment.CORPORATE`` in LABELS.</extracomment>
            <translation>مشتری حقیقی</translation>
        </message>
        <message>
            <source>Corporate customer</source>
            <translation>مشتری حقوقی</translation>
        </message>
        <message>
            <source>Yes</source>
            <translation>بله</translation>
        </message>
        <message>
            <source>No</source>
            <translation>خیر</translation>
        </message>
    </context>
    <context>
        <name>CustomerFilters</name>
        <message>
            <source>Segment</source>
            <translation>بخش مشتری</translation>
        </message>
        <message>
            <source>Lifecycle stage</source>
            <translation>مرحله چرخه عمر</translation>
        </message>
        <message>
            <source>Segment:</source>
            <translation>بخش مشتری:</translation>
        </message>
        <message>
            <source>Lifecycle stage:</source>
            <translation>مرحله چرخه عمر:</translation>
        </message>
        <message>
            <source>Branch</source>
            <translation>شعبه</translation>
        </message>
        <message>
            <source>Branch:</source>
            <translation>شعبه:</translation>
        </message>
        <message>
            <source>All</source>
            <translation>همه</translation>
        </message>
    </context>
    <context>
        <name>CustomerForm</name>
        <message>
            <source>New customer</source>
            <extracomment>A field whose rule depends on another: its message shows once the other was touched too.</extracomment>
            <translation>مشتری جدید</translation>
        </message>
        <message>
            <source>Edit customer</source>
            <translation>ویرایش مشتری</translation>
        </message>
        <message>
            <source>Edit customer: {0}</source>
            <translation>ویرایش مشتری: {0}</translation>
        </message>
        <message>
            <source>Customer type:</source>
            <translation>نوع مشتری:</translation>
        </message>
        <message>
            <source>Person</source>
            <translation>مشخصات فردی</translation>
        </message>
        <message>
            <source>Company</source>
            <translation>مشخصات شرکت</translation>
        </message>
        <message>
            <source>Contact</source>
            <translation>اطلاعات تماس</translation>
        </message>
        <message>
            <source>Relationship with the bank</source>
            <translation>ارتباط با بانک</translation>
        </message>
        <message>
            <source>Open the existing customer</source>
            <translation>باز کردن پرونده مشتری موجود</translation>
        </message>
        <message>
            <source>Save becomes available when every required field is filled in correctly.</source>
            <translation>دکمه ذخیره پس از تکمیل درست همه فیلدهای لازم فعال می‌شود.</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>ذخیره</translation>
        </message>
        <message>
            <source>Saving…</source>
            <translation>در حال ذخیره…</translation>
        </message>
    </context>
    <context>
        <name>CustomerProfileView</name>
        <message>
            <source>Back to the list</source>
            <translation>بازگشت به فهرست</translation>
        </message>
        <message>
            <source>Edit</source>
            <translation>ویرایش</translation>
        </message>
        <message>
            <source>Log interaction (Ctrl+L)</source>
            <translation>ثبت تعامل (Ctrl+L)</translation>
        </message>
        <message>
            <source>Open service request (Ctrl+R)</source>
            <translation>ثبت درخواست خدمت (Ctrl+R)</translation>
        </message>
        <message>
            <source>Timeline</source>
            <translation>سابقه ارتباط</translation>
        </message>
        <message>
            <source>Products</source>
            <translation>محصولات</translation>
        </message>
        <message>
            <source>Details</source>
            <translation>جزئیات</translation>
        </message>
        <message>
            <source>Change history</source>
            <translation>ردپای تغییرات</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>در حال بارگذاری…</translation>
        </message>
        <message>
            <source>Saved: {0}</source>
            <translation>ذخیره شد: {0}</translation>
        </message>
    </context>
    <context>
        <name>CustomerTableModel</name>
        <message>
            <source>Name</source>
            <translation>نام</translation>
        </message>
        <message>
            <source>National ID</source>
            <translation>کد ملی / شناسه ملی</translation>
        </message>
        <message>
            <source>Mobile</source>
            <translation>تلفن همراه</translation>
        </message>
        <message>
            <source>Customer number</source>
            <translation>شماره مشتری</translation>
        </message>
        <message>
            <source>Branch</source>
            <translation>شعبه</translation>
        </message>
        <message>
            <source>Segment</source>
            <translation>بخش مشتری</translation>
        </message>
        <message>
            <source>Lifecycle stage</source>
            <translation>مرحله چرخه عمر</translation>
        </message>
        <message>
            <source>KYC status</source>
            <translation>احراز هویت</translation>
        </message>
    </context>
    <context>
        <name>CustomersPage</name>
        <message>
            <source>Customers</source>
            <translation>مشتریان</translation>
        </message>
        <message>
            <source>Search customers</source>
            <translation>جستجوی مشتریان</translation>
        </message>
        <message>
            <source>Search by name, national ID, mobile or customer number (Ctrl+F)</source>
            <translation>جستجو با نام، کد ملی، تلفن همراه یا شماره مشتری (Ctrl+F)</translation>
        </message>
        <message>
            <source>New customer (Ctrl+N)</source>
            <translation>مشتری جدید (Ctrl+N)</translation>
        </message>
        <message>
            <source>New customer</source>
            <translation>مشتری جدید</translation>
        </message>
        <message>
            <source>Import from a file…</source>
            <translation>ورود از فایل…</translation>
        </message>
        <message>
            <source>Searching…</source>
            <translation>در حال جستجو…</translation>
        </message>
        <message>
            <source>No customers match «{0}».</source>
            <translation>هیچ مشتری‌ای با «{0}» پیدا نشد.</translation>
        </message>
        <message>
            <source>No customers match these filters.</source>
            <translation>هیچ مشتری‌ای با این فیلترها پیدا نشد.</translation>
        </message>
        <message>
            <source>{0} customers loaded; more appear as you scroll.</source>
            <translation>{0} مشتری نمایش داده شد؛ با پیمایش، بقیه نیز می‌آیند.</translation>
        </message>
        <message>
            <source>{0} customers.</source>
            <translation>{0} مشتری.</translation>
        </message>
        <message>
            <source>Saved: {0}</source>
            <translation>ذخیره شد: {0}</translation>
        </message>
    </context>
    <context>
        <name>DashboardPage</name>
        <message>
            <source>Branch dashboard</source>
            <translation>داشبورد شعبه</translation>
        </message>
        <message>
            <source>Branch</source>
            <translation>شعبه</translation>
        </message>
        <message>
            <source>All branches</source>
            <translation>همه شعبه‌ها</translation>
        </message>
        <message>
            <source>Refresh</source>
            <translation>به‌روزرسانی</translation>
        </message>
        <message>
            <source>The dashboard is for branch managers, administrators and auditors.</source>
            <translation>داشبورد ویژه رئیس شعبه، مدیر سامانه و بازرس است.</translation>
        </message>
        <message>
            <source>Customers</source>
            <translation>مشتریان</translation>
        </message>
        <message>
            <source>Open service requests</source>
            <translation>درخواست‌های خدمت باز</translation>
        </message>
        <message>
            <source>Overdue</source>
            <translation>گذشته از مهلت</translation>
        </message>
        <message>
            <source>Due today</source>
            <translation>مهلت امروز</translation>
        </message>
        <message>
            <source>Opened this month</source>
            <translation>ثبت‌شده در این ماه</translation>
        </message>
        <message>
            <source>Resolved within deadline this month</source>
            <translation>رسیدگی‌شده در مهلت، این ماه</translation>
        </message>
        <message>
            <source>Average satisfaction this month (of 5)</source>
            <translation>میانگین رضایت این ماه (از ۵)</translation>
        </message>
        <message>
            <source>Customers by segment</source>
            <translation>مشتریان بر پایه بخش</translation>
        </message>
        <message>
            <source>Customers by lifecycle stage</source>
            <translation>مشتریان بر پایه مرحله چرخه عمر</translation>
        </message>
        <message>
            <source>Interactions this month by channel</source>
            <translation>تعاملات این ماه بر پایه کانال</translation>
        </message>
        <message>
            <source>Month from {0}</source>
            <translation>ماه از {0}</translation>
        </message>
    </context>
    <context>
        <name>DelayedProgressDialog</name>
        <message>
            <source>Cancel</source>
            <translation>انصراف</translation>
        </message>
    </context>
    <context>
        <name>DryRunPage</name>
        <message>
            <source>Check before importing</source>
            <translation>بررسی پیش از ورود</translation>
        </message>
        <message>
            <source>Every row is checked with the same rules as the forms; nothing is written yet.</source>
            <translation>هر سطر با همان قواعد فرم‌ها بررسی می‌شود؛ هنوز چیزی ثبت نمی‌شود.</translation>
        </message>
        <message>
            <source>to create</source>
            <translation>ایجاد می‌شود</translation>
        </message>
        <message>
            <source>to update</source>
            <translation>به‌روز می‌شود</translation>
        </message>
        <message>
            <source>unchanged</source>
            <translation>بدون تغییر</translation>
        </message>
        <message>
            <source>refused rows</source>
            <translation>سطر ردشده</translation>
        </message>
        <message>
            <source>like stored customers</source>
            <translation>شبیه مشتریان موجود</translation>
        </message>
        <message>
            <source>Refused rows</source>
            <translation>سطرهای ردشده</translation>
        </message>
        <message>
            <source>Rows like stored customers</source>
            <translation>سطرهای شبیه مشتریان موجود</translation>
        </message>
        <message>
            <source>Save the report (Excel)…</source>
            <translation>ذخیره گزارش (Excel)…</translation>
        </message>
        <message>
            <source>{0} rows look like customers already stored: they will still be created; see the second tab.</source>
            <translation>{0} سطر به مشتریانی که پیش‌تر ثبت شده‌اند شبیه است؛ این سطرها هم ثبت می‌شوند؛ برگه دوم را ببینید.</translation>
        </message>
        <message>
            <source>{0} import check.xlsx</source>
            <translation>{0} بررسی ورود اطلاعات.xlsx</translation>
        </message>
        <message>
            <source>Report saved: {0}</source>
            <translation>گزارش ذخیره شد: {0}</translation>
        </message>
        <message>
            <source>Check again</source>
            <translation>بررسی دوباره</translation>
        </message>
        <message>
            <source>The check was cancelled; press «Check again» to run it.</source>
            <translation>بررسی لغو شد؛ برای انجام آن «بررسی دوباره» را بزنید.</translation>
        </message>
        <message>
            <source>Refused rows ({0})</source>
            <translation>سطرهای ردشده ({0})</translation>
        </message>
        <message>
            <source>Like stored customers ({0})</source>
            <translation>شبیه مشتریان موجود ({0})</translation>
        </message>
        <message>
            <source>{0} rows read; {1} rows refused, listed below with the reason.</source>
            <translation>{0} سطر خوانده شد؛ {1} سطر رد شد که با دلیلش در زیر آمده است.</translation>
        </message>
        <message>
            <source>{0} rows read; every row can be imported.</source>
            <translation>{0} سطر خوانده شد؛ همه سطرها قابل ورودند.</translation>
        </message>
        <message>
            <source>Saving the report…</source>
            <translation>در حال ذخیره گزارش…</translation>
        </message>
    </context>
    <context>
        <name>DuplicateGroupModel</name>
        <message>
            <source>Score</source>
            <translation>امتیاز</translation>
        </message>
        <message>
            <source>Records</source>
            <translation>پرونده‌ها</translation>
        </message>
        <message>
            <source>Names</source>
            <translation>نام‌ها</translation>
        </message>
        <message>
            <source>Reasons</source>
            <translation>دلایل</translation>
        </message>
    </context>
    <context>
        <name>DuplicatesSection</name>
        <message>
            <source>Duplicate customers</source>
            <translation>مشتریان تکراری</translation>
        </message>
        <message>
            <source>Choose a group to compare its records.</source>
            <translation>گروهی را انتخاب کنید تا پرونده‌هایش کنار هم دیده شوند.</translation>
        </message>
        <message>
            <source>Not a duplicate</source>
            <translation>تکراری نیست</translation>
        </message>
        <message>
            <source>Merge…</source>
            <translation>ادغام…</translation>
        </message>
        <message>
            <source>Duplicate groups</source>
            <translation>گروه‌های تکراری</translation>
        </message>
        <message>
            <source>Past merges</source>
            <translation>ادغام‌های انجام‌شده</translation>
        </message>
        <message>
            <source>{0} groups among {1} customers</source>
            <translation>{0} گروه در میان {1} مشتری</translation>
        </message>
        <message>
            <source>Score {0}: {1}</source>
            <translation>امتیاز {0}: {1}</translation>
        </message>
        <message>
            <source>Remember that {0} are different customers and stop offering them together?</source>
            <translation>{0} مشتریان جداگانه‌ای شناخته شوند و دیگر با هم پیشنهاد نشوند؟</translation>
        </message>
        <message>
            <source>Remembered: not a duplicate</source>
            <translation>ثبت شد: تکراری نیست</translation>
        </message>
        <message>
            <source>Merged into «{0}»</source>
            <translation>در «{0}» ادغام شد</translation>
        </message>
    </context>
    <context>
        <name>ExportButton</name>
        <message>
            <source>Export to Excel</source>
            <translation>خروجی اکسل</translation>
        </message>
        <message>
            <source>Excel workbook (*.xlsx)</source>
            <extracomment>One export, run in a worker thread: (services, target file, progress) -&gt; rows written. The services choose the format by the file's suffix («.csv» or «.xlsx»).</extracomment>
            <translation>پرونده اکسل (*.xlsx)</translation>
        </message>
        <message>
            <source>CSV for Excel (*.csv)</source>
            <translation>پرونده CSV برای اکسل (*.csv)</translation>
        </message>
        <message>
            <source>Save every row of this list, as it is filtered and sorted now, as an Excel workbook or a CSV file</source>
            <translation>ذخیره همه ردیف‌های این فهرست، با همین فیلترها و ترتیب، در یک پرونده اکسل یا CSV</translation>
        </message>
        <message>
            <source>Exporting to Excel…</source>
            <translation>در حال تهیه خروجی اکسل…</translation>
        </message>
        <message>
            <source>{0} rows exported to «{1}».</source>
            <translation>{0} ردیف در «{1}» صادر شد.</translation>
        </message>
        <message>
            <source>{0} rows were saved in «{1}».</source>
            <translation>{0} ردیف در پرونده «{1}» ذخیره شد.</translation>
        </message>
        <message>
            <source>Open</source>
            <translation>باز کردن</translation>
        </message>
        <message>
            <source>Open folder</source>
            <translation>باز کردن پوشه</translation>
        </message>
    </context>
    <context>
        <name>FilePage</name>
        <message>
            <source>Choose the file</source>
            <translation>انتخاب فایل</translation>
        </message>
        <message>
            <source>An Excel workbook (.xlsx) or a CSV file whose first row names the columns, such as «First name», «Last name», «National ID», «Mobile».</source>
            <translation>فایل Excel ‏(‎.xlsx‎) یا CSV که سطر اول آن نام ستون‌هاست، مانند «نام»، «نام خانوادگی»، «کد ملی»، «تلفن همراه».</translation>
        </message>
        <message>
            <source>File</source>
            <translation>فایل</translation>
        </message>
        <message>
            <source>Choose a file, or type its path and press Enter</source>
            <translation>فایلی انتخاب کنید، یا مسیر آن را بنویسید و Enter را بزنید</translation>
        </message>
        <message>
            <source>Choose…</source>
            <translation>انتخاب…</translation>
        </message>
        <message>
            <source>What the file holds</source>
            <translation>محتوای فایل</translation>
        </message>
        <message>
            <source>Detect from the column headers</source>
            <translation>تشخیص از روی عنوان ستون‌ها</translation>
        </message>
        <message>
            <source>Encoding of a CSV file</source>
            <translation>کدگذاری فایل CSV</translation>
        </message>
        <message>
            <source>Detect automatically</source>
            <translation>تشخیص خودکار</translation>
        </message>
        <message>
            <source>Windows-1256 (Arabic Windows)</source>
            <translation>Windows-1256 (عربی ویندوز)</translation>
        </message>
        <message>
            <source>First rows of the file</source>
            <translation>سطرهای نخست فایل</translation>
        </message>
        <message>
            <source>Encoding (CSV)</source>
            <translation>کدگذاری (CSV)</translation>
        </message>
        <message>
            <source>First rows of the file, as read:</source>
            <translation>سطرهای نخست فایل، همان‌گونه که خوانده شد:</translation>
        </message>
        <message>
            <source>Reading the file…</source>
            <translation>در حال خواندن فایل…</translation>
        </message>
        <message>
            <source>{0} · header on row {1} · {2} columns · {3}</source>
            <translation>{0} · سطر عنوان: {1} · {2} ستون · {3}</translation>
        </message>
        <message>
            <source>{0} (detected)</source>
            <translation>{0} (تشخیص خودکار)</translation>
        </message>
    </context>
    <context>
        <name>FirstRunDialog</name>
        <message>
            <source>First run</source>
            <extracomment>Runs a join on a worker thread and signs the joining user in (``Session.join`` in app.py).</extracomment>
            <translation>راه‌اندازی نخست</translation>
        </message>
        <message>
            <source>New branch database</source>
            <translation>پایگاه داده تازه برای شعبه</translation>
        </message>
        <message>
            <source>Join a branch server (a second desk or a field laptop)</source>
            <translation>پیوستن به سرور شعبه (میز دوم یا رایانه همراه کارکنان میدانی)</translation>
        </message>
        <message>
            <source>Setting up this desk from the server stopped before the end. Enter the password to continue where it stopped.</source>
            <translation>راه‌اندازی این میز از سرور پیش از پایان متوقف شد. گذرواژه را وارد کنید تا از همان‌جا ادامه یابد.</translation>
        </message>
        <message>
            <source>This database is new. Create the branch and the system administrator's account.</source>
            <translation>این پایگاه داده تازه است. شعبه و حساب مدیر سامانه را بسازید.</translation>
        </message>
        <message>
            <source>Branch code</source>
            <translation>کد شعبه</translation>
        </message>
        <message>
            <source>Branch name</source>
            <translation>نام شعبه</translation>
        </message>
        <message>
            <source>Administrator's full name</source>
            <translation>نام و نام خانوادگی مدیر سامانه</translation>
        </message>
        <message>
            <source>Username</source>
            <translation>نام کاربری</translation>
        </message>
        <message>
            <source>Password</source>
            <translation>گذرواژه</translation>
        </message>
        <message>
            <source>Repeat password</source>
            <translation>تکرار گذرواژه</translation>
        </message>
        <message>
            <source>Encrypt this database (for a field laptop): it opens only with a password</source>
            <translation>رمزگذاری این پایگاه داده (برای رایانه همراه کارکنان میدانی): فقط با گذرواژه باز می‌شود</translation>
        </message>
        <message>
            <source>Registering this desk with the server…</source>
            <translation>ثبت این میز در سرور…</translation>
        </message>
        <message>
            <source>Stopping after the current page…</source>
            <translation>توقف پس از صفحهٔ در حال دریافت…</translation>
        </message>
        <message>
            <source>Receiving the branch's data: {0} rows</source>
            <translation>دریافت داده‌های شعبه: {0} ردیف</translation>
        </message>
        <message>
            <source>Stopped. Press Join to continue where it stopped; the registration code is not needed again.</source>
            <translation>متوقف شد. برای ادامه از همان‌جا «پیوستن» را بزنید؛ کد ثبت دوباره لازم نیست.</translation>
        </message>
        <message>
            <source>The connection to the server broke before the end. Press Join to continue where it stopped.</source>
            <translation>ارتباط با سرور پیش از پایان قطع شد. برای ادامه از همان‌جا «پیوستن» را بزنید.</translation>
        </message>
        <message>
            <source>Create</source>
            <translation>ساختن</translation>
        </message>
        <message>
            <source>Set this desk up from the branch server: the branch's customers and users arrive from the server. Ask the system administrator for a registration code.</source>
            <translation>راه‌اندازی این میز از روی سرور شعبه: مشتریان و کاربران شعبه از سرور دریافت می‌شوند. کد ثبت دستگاه را از مدیر سامانه بگیرید.</translation>
        </message>
        <message>
            <source>Server address</source>
            <translation>نشانی سرور</translation>
        </message>
        <message>
            <source>Registration code</source>
            <translation>کد ثبت دستگاه</translation>
        </message>
        <message>
            <source>Encrypt this database (for a field laptop): it opens only with this user's password</source>
            <translation>رمزگذاری این پایگاه داده (برای رایانه همراه کارکنان میدانی): فقط با گذرواژه همین کاربر باز می‌شود</translation>
        </message>
        <message>
            <source>Other users of the branch need the server once, at their first sign-in on this desk.</source>
            <translation>دیگر کاربران شعبه در نخستین ورود به این میز یک بار به سرور نیاز دارند.</translation>
        </message>
        <message>
            <source>Stop</source>
            <translation>توقف</translation>
        </message>
        <message>
            <source>Join</source>
            <translation>پیوستن</translation>
        </message>
        <message>
            <source>The two passwords are not the same.</source>
            <translation>دو گذرواژه یکسان نیستند.</translation>
        </message>
    </context>
    <context>
        <name>HistoryModel</name>
        <message>
            <source>Date and time</source>
            <translation>تاریخ و ساعت</translation>
        </message>
        <message>
            <source>User</source>
            <translation>کاربر</translation>
        </message>
        <message>
            <source>Change</source>
            <translation>تغییر</translation>
        </message>
        <message>
            <source>Fields</source>
            <translation>فیلدها</translation>
        </message>
        <message>
            <source>Created</source>
            <translation>ثبت</translation>
        </message>
        <message>
            <source>Edited</source>
            <translation>ویرایش</translation>
        </message>
        <message>
            <source>Deleted</source>
            <translation>حذف</translation>
        </message>
        <message>
            <source>Restored</source>
            <translation>بازیابی</translation>
        </message>
        <message>
            <source>Purged</source>
            <translation>پاک‌سازی</translation>
        </message>
    </context>
    <context>
        <name>ImportDialogs</name>
        <message>
            <source>Choose the file to import</source>
            <translation>انتخاب فایل برای ورود اطلاعات</translation>
        </message>
        <message>
            <source>Spreadsheets (*.xlsx *.csv *.txt);;Excel workbook (*.xlsx);;CSV text (*.csv *.txt)</source>
            <translation>صفحه‌گسترده (*.xlsx *.csv *.txt);;کارپوشه Excel ‏(*.xlsx);;متن CSV ‏(*.csv *.txt)</translation>
        </message>
        <message>
            <source>Load a column mapping</source>
            <translation>بارگذاری نگاشت ستون‌ها</translation>
        </message>
        <message>
            <source>Column mapping (*.json)</source>
            <translation>نگاشت ستون‌ها (*.json)</translation>
        </message>
        <message>
            <source>Save the column mapping</source>
            <translation>ذخیره نگاشت ستون‌ها</translation>
        </message>
        <message>
            <source>Save the import check report</source>
            <translation>ذخیره گزارش بررسی ورود اطلاعات</translation>
        </message>
        <message>
            <source>Excel workbook (*.xlsx)</source>
            <translation>کارپوشه Excel ‏(*.xlsx)</translation>
        </message>
    </context>
    <context>
        <name>ImportPage</name>
        <message>
            <source>Import</source>
            <translation>ورود اطلاعات</translation>
        </message>
        <message>
            <source>Every record created or changed is kept in the change history, with this file named as its source.</source>
            <translation>هر پرونده‌ای که ایجاد یا تغییر کند، با نام همین فایل به‌عنوان منبع، در ردپای تغییرات ثبت می‌شود.</translation>
        </message>
        <message>
            <source>All or nothing</source>
            <translation>همه یا هیچ</translation>
        </message>
        <message>
            <source>All valid rows</source>
            <translation>فقط سطرهای درست</translation>
        </message>
        <message>
            <source>If even one row is refused, nothing at all is written.</source>
            <translation>اگر حتی یک سطر رد شود، هیچ سطری ثبت نمی‌شود.</translation>
        </message>
        <message>
            <source>Refused rows are left out; every other row is written.</source>
            <translation>سطرهای ردشده کنار گذاشته می‌شوند و بقیه سطرها ثبت می‌شوند.</translation>
        </message>
        <message>
            <source>created</source>
            <translation>ایجاد شد</translation>
        </message>
        <message>
            <source>updated</source>
            <translation>به‌روز شد</translation>
        </message>
        <message>
            <source>unchanged</source>
            <translation>بدون تغییر</translation>
        </message>
        <message>
            <source>The check refused {0} rows: with «All or nothing» this import will write nothing. Fix the file, or choose «All valid rows».</source>
            <translation>در بررسی {0} سطر رد شد: با «همه یا هیچ» این ورود هیچ سطری ثبت نمی‌کند. فایل را اصلاح کنید یا «فقط سطرهای درست» را برگزینید.</translation>
        </message>
        <message>
            <source>{0} refused rows will be left out.</source>
            <translation>{0} سطر ردشده کنار گذاشته می‌شود.</translation>
        </message>
        <message>
            <source>Import finished.</source>
            <translation>ورود اطلاعات با موفقیت انجام شد.</translation>
        </message>
    </context>
    <context>
        <name>ImportWizard</name>
        <message>
            <source>Products held</source>
            <translation>محصولات مشتریان</translation>
        </message>
        <message>
            <source>Interactions</source>
            <translation>تعاملات</translation>
        </message>
        <message>
            <source>Customers</source>
            <translation>مشتریان</translation>
        </message>
        <message>
            <source>Import from a file</source>
            <translation>ورود اطلاعات از فایل</translation>
        </message>
        <message>
            <source>Next</source>
            <translation>بعدی</translation>
        </message>
        <message>
            <source>Back</source>
            <translation>قبلی</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>بستن</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>انصراف</translation>
        </message>
    </context>
    <context>
        <name>InteractionFilterBar</name>
        <message>
            <source>Period</source>
            <translation>بازه زمانی</translation>
        </message>
        <message>
            <source>Any time</source>
            <translation>همه زمان‌ها</translation>
        </message>
        <message>
            <source>Today</source>
            <translation>امروز</translation>
        </message>
        <message>
            <source>This week</source>
            <translation>این هفته</translation>
        </message>
        <message>
            <source>This month</source>
            <translation>این ماه</translation>
        </message>
        <message>
            <source>Chosen dates</source>
            <translation>تاریخ‌های دلخواه</translation>
        </message>
        <message>
            <source>From date</source>
            <translation>از تاریخ</translation>
        </message>
        <message>
            <source>To date</source>
            <translation>تا تاریخ</translation>
        </message>
        <message>
            <source>Channel</source>
            <translation>کانال ارتباطی</translation>
        </message>
        <message>
            <source>All channels</source>
            <translation>همه کانال‌ها</translation>
        </message>
        <message>
            <source>Clerk</source>
            <translation>کارمند</translation>
        </message>
        <message>
            <source>All clerks</source>
            <translation>همه کارمندان</translation>
        </message>
        <message>
            <source>Only mine</source>
            <translation>فقط تعاملات من</translation>
        </message>
        <message>
            <source>Branch</source>
            <translation>شعبه</translation>
        </message>
        <message>
            <source>All branches</source>
            <translation>همه شعبه‌ها</translation>
        </message>
        <message>
            <source>From</source>
            <translation>از</translation>
        </message>
        <message>
            <source>To</source>
            <translation>تا</translation>
        </message>
        <message>
            <source>The end of the period is before its start.</source>
            <translation>پایان بازه زمانی پیش از شروع آن است.</translation>
        </message>
        <message>
            <source>{0} (inactive)</source>
            <translation>{0} (غیرفعال)</translation>
        </message>
    </context>
    <context>
        <name>InteractionTableModel</name>
        <message>
            <source>Date and time</source>
            <translation>تاریخ و ساعت</translation>
        </message>
        <message>
            <source>Customer</source>
            <translation>مشتری</translation>
        </message>
        <message>
            <source>Channel</source>
            <translation>کانال</translation>
        </message>
        <message>
            <source>Direction</source>
            <translation>جهت</translation>
        </message>
        <message>
            <source>Subject</source>
            <translation>موضوع</translation>
        </message>
        <message>
            <source>Clerk</source>
            <translation>کارمند</translation>
        </message>
        <message>
            <source>Outcome</source>
            <translation>نتیجه</translation>
        </message>
        <message>
            <source>Follow-up</source>
            <translation>پیگیری</translation>
        </message>
    </context>
    <context>
        <name>InteractionsPage</name>
        <message>
            <source>Interactions</source>
            <translation>تعاملات</translation>
        </message>
        <message>
            <source>Open customer</source>
            <translation>باز کردن پرونده مشتری</translation>
        </message>
        <message>
            <source>Edit</source>
            <translation>ویرایش</translation>
        </message>
        <message>
            <source>An interaction belongs to a customer: open the customer's 360° view and press Ctrl+L to log one.</source>
            <translation>هر تعامل به یک مشتری تعلق دارد: پرونده مشتری را باز کنید و برای ثبت تعامل Ctrl+L را بزنید.</translation>
        </message>
        <message>
            <source>Only the clerk who logged it or the branch manager can edit it.</source>
            <translation>فقط ثبت‌کننده تعامل یا رئیس شعبه می‌تواند آن را ویرایش کند.</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>در حال بارگذاری…</translation>
        </message>
        <message>
            <source>No interactions in this period.</source>
            <translation>در این بازه زمانی تعاملی ثبت نشده است.</translation>
        </message>
        <message>
            <source>No interactions found.</source>
            <translation>تعاملی پیدا نشد.</translation>
        </message>
        <message>
            <source>{0} interactions shown; scroll down for more.</source>
            <translation>{0} تعامل نمایش داده شد؛ برای دیدن بقیه به پایین بروید.</translation>
        </message>
        <message>
            <source>{0} interactions.</source>
            <translation>{0} تعامل</translation>
        </message>
    </context>
    <context>
        <name>JalaliDateEdit</name>
        <message>
            <source>Choose from the calendar</source>
            <translation>انتخاب از تقویم</translation>
        </message>
    </context>
    <context>
        <name>LogInteractionDialog</name>
        <message>
            <source>Edit interaction</source>
            <translation>ویرایش تعامل</translation>
        </message>
        <message>
            <source>Log an interaction</source>
            <translation>ثبت تعامل</translation>
        </message>
        <message>
            <source>Customer: {0}</source>
            <translation>مشتری: {0}</translation>
        </message>
        <message>
            <source>Not recorded</source>
            <translation>ثبت نشده</translation>
        </message>
        <message>
            <source>minutes</source>
            <translation>دقیقه</translation>
        </message>
        <message>
            <source>Subject</source>
            <translation>موضوع</translation>
        </message>
        <message>
            <source>Channel</source>
            <translation>کانال ارتباطی</translation>
        </message>
        <message>
            <source>Direction</source>
            <translation>جهت</translation>
        </message>
        <message>
            <source>Notes</source>
            <translation>یادداشت</translation>
        </message>
        <message>
            <source>Date and time</source>
            <translation>تاریخ و ساعت</translation>
        </message>
        <message>
            <source>Duration</source>
            <translation>مدت</translation>
        </message>
        <message>
            <source>Outcome</source>
            <translation>نتیجه</translation>
        </message>
        <message>
            <source>Follow-up date</source>
            <translation>تاریخ پیگیری</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>ساعت</translation>
        </message>
        <message>
            <source>Enter saves; from the notes, Ctrl+Enter.</source>
            <translation>با Enter ذخیره می‌شود؛ در یادداشت با Ctrl+Enter.</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>ذخیره</translation>
        </message>
        <message>
            <source>Enter the date of the interaction.</source>
            <translation>تاریخ تعامل را وارد کنید.</translation>
        </message>
        <message>
            <source>Interaction saved.</source>
            <translation>تعامل ثبت شد.</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>Customer relationship management — branch {0}</source>
            <translation>مدیریت ارتباط با مشتری — شعبه {0}</translation>
        </message>
        <message>
            <source>Navigation</source>
            <translation>بخش‌ها</translation>
        </message>
        <message>
            <source>Lock</source>
            <translation>قفل</translation>
        </message>
        <message>
            <source>Sign out</source>
            <translation>خروج از حساب</translation>
        </message>
        <message>
            <source>Customers</source>
            <translation>مشتریان</translation>
        </message>
        <message>
            <source>Interactions</source>
            <translation>تعاملات</translation>
        </message>
        <message>
            <source>Service requests</source>
            <translation>درخواست‌های خدمت</translation>
        </message>
        <message>
            <source>Reports</source>
            <translation>گزارش‌ها</translation>
        </message>
        <message>
            <source>Duplicates</source>
            <translation>مشتریان تکراری</translation>
        </message>
        <message>
            <source>Conflicts</source>
            <translation>تعارض‌ها</translation>
        </message>
        <message>
            <source>Settings</source>
            <translation>تنظیمات</translation>
        </message>
        <message>
            <source>User: {0} ({1})</source>
            <translation>کاربر: {0} ({1})</translation>
        </message>
        <message>
            <source>Branch: {0}</source>
            <translation>شعبه: {0}</translation>
        </message>
        <message>
            <source>Database: {0}</source>
            <translation>پایگاه داده: {0}</translation>
        </message>
        <message>
            <source>Sync now</source>
            <translation>همگام‌سازی اکنون</translation>
        </message>
        <message>
            <source>Send the changes made here and fetch the others' now (F9)</source>
            <translation>ارسال تغییرات این میز و دریافت تغییرات دیگران، همین حالا (F9)</translation>
        </message>
        <message>
            <source>Not yet synced: {0}</source>
            <translation>همگام‌نشده: {0}</translation>
        </message>
        <message>
            <source>This desk is not connected to a sync server.</source>
            <translation>این میز به سرور همگام‌سازی وصل نیست.</translation>
        </message>
    </context>
    <context>
        <name>MappingPage</name>
        <message>
            <source>Match the columns</source>
            <translation>نگاشت ستون‌ها</translation>
        </message>
        <message>
            <source>For each field choose the column of the file that fills it. * marks a required field; ** at least one of these identifies the customer.</source>
            <translation>برای هر فیلد ستونی از فایل را که مقدارش را می‌دهد انتخاب کنید. * یعنی فیلد لازم است؛ ** یعنی دست‌کم یکی از این‌ها برای شناختن مشتری لازم است.</translation>
        </message>
        <message>
            <source>Load a mapping…</source>
            <translation>بارگذاری نگاشت…</translation>
        </message>
        <message>
            <source>Save this mapping…</source>
            <translation>ذخیره این نگاشت…</translation>
        </message>
        <message>
            <source>— not imported —</source>
            <translation>— وارد نشود —</translation>
        </message>
        <message>
            <source>e.g. {0}</source>
            <translation>مثلاً {0}</translation>
        </message>
        <message>
            <source>Columns not imported: {0}</source>
            <translation>ستون‌هایی که وارد نمی‌شوند: {0}</translation>
        </message>
        <message>
            <source>column mapping</source>
            <translation>نگاشت ستون‌ها</translation>
        </message>
        <message>
            <source>The mapping could not be saved: {0}</source>
            <translation>نگاشت ستون‌ها ذخیره نشد: {0}</translation>
        </message>
        <message>
            <source>Column mapping saved: {0}</source>
            <translation>نگاشت ستون‌ها ذخیره شد: {0}</translation>
        </message>
    </context>
    <context>
        <name>MergeDialog</name>
        <message>
            <source>Merge duplicate customers</source>
            <translation>ادغام مشتریان تکراری</translation>
        </message>
        <message>
            <source>The other records will lead to the surviving one, and their history moves to it.</source>
            <translation>پرونده‌های دیگر به پرونده باقی‌مانده راه می‌برند و سوابقشان (تعاملات، درخواست‌های خدمت و محصولات) به آن منتقل می‌شود.</translation>
        </message>
        <message>
            <source>Surviving record</source>
            <translation>پرونده باقی‌مانده</translation>
        </message>
        <message>
            <source>Note</source>
            <translation>یادداشت</translation>
        </message>
        <message>
            <source>Why these records are one customer (optional)</source>
            <translation>چرا این پرونده‌ها یک مشتری‌اند (اختیاری)</translation>
        </message>
        <message>
            <source>Merge</source>
            <translation>ادغام</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>انصراف</translation>
        </message>
        <message>
            <source>Values the surviving record keeps</source>
            <translation>مقدارهایی که پرونده باقی‌مانده نگه می‌دارد</translation>
        </message>
        <message>
            <source>An individual and a corporate customer cannot be merged.</source>
            <translation>مشتری حقیقی و حقوقی را نمی‌توان با هم ادغام کرد.</translation>
        </message>
        <message>
            <source>{0}. {1}, branch {2}: {3} interactions, {4} requests, {5} products</source>
            <translation>{0}. {1}، شعبه {2}: {3} تعامل، {4} درخواست خدمت، {5} محصول</translation>
        </message>
        <message>
            <source>{0} (record {1})</source>
            <translation>{0} (پرونده {1})</translation>
        </message>
    </context>
    <context>
        <name>MergesModel</name>
        <message>
            <source>When</source>
            <translation>زمان</translation>
        </message>
        <message>
            <source>By</source>
            <translation>انجام‌دهنده</translation>
        </message>
        <message>
            <source>Surviving record</source>
            <translation>پرونده باقی‌مانده</translation>
        </message>
        <message>
            <source>Records merged in</source>
            <translation>پرونده‌های ادغام‌شده</translation>
        </message>
        <message>
            <source>History moved</source>
            <translation>سوابق منتقل‌شده</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>وضعیت</translation>
        </message>
        <message>
            <source>{0} interactions</source>
            <translation>{0} تعامل</translation>
        </message>
        <message>
            <source>{0} requests</source>
            <translation>{0} درخواست</translation>
        </message>
        <message>
            <source>{0} products</source>
            <translation>{0} محصول</translation>
        </message>
        <message>
            <source>Undone {0}</source>
            <translation>برگردانده‌شده در {0}</translation>
        </message>
        <message>
            <source>Undone</source>
            <translation>برگردانده‌شده</translation>
        </message>
        <message>
            <source>In effect</source>
            <translation>برقرار</translation>
        </message>
        <message>
            <source>Records merged in: {0}</source>
            <translation>پرونده‌های ادغام‌شده: {0}</translation>
        </message>
    </context>
    <context>
        <name>MergesView</name>
        <message>
            <source>Refresh</source>
            <translation>به‌روزرسانی</translation>
        </message>
        <message>
            <source>Undo merge…</source>
            <translation>برگرداندن ادغام…</translation>
        </message>
        <message>
            <source>{0} merges</source>
            <translation>{0} ادغام</translation>
        </message>
        <message>
            <source>No merges yet.</source>
            <translation>هنوز ادغامی انجام نشده است.</translation>
        </message>
        <message>
            <source>Merge into «{0}» undone</source>
            <translation>ادغام در «{0}» برگردانده شد</translation>
        </message>
    </context>
    <context>
        <name>OpenRequestDialog</name>
        <message>
            <source>New service request</source>
            <translation>درخواست خدمت جدید</translation>
        </message>
        <message>
            <source>New service request for {0}</source>
            <translation>درخواست خدمت جدید برای {0}</translation>
        </message>
        <message>
            <source>Category</source>
            <translation>دسته‌بندی</translation>
        </message>
        <message>
            <source>Priority</source>
            <translation>اولویت</translation>
        </message>
        <message>
            <source>Subject</source>
            <translation>موضوع</translation>
        </message>
        <message>
            <source>Description</source>
            <translation>شرح درخواست</translation>
        </message>
        <message>
            <source>Assignee</source>
            <translation>مسئول رسیدگی</translation>
        </message>
        <message>
            <source>Not assigned yet</source>
            <translation>هنوز ارجاع نشده</translation>
        </message>
        <message>
            <source>Deadline</source>
            <translation>مهلت رسیدگی</translation>
        </message>
        <message>
            <source>Open request</source>
            <translation>ثبت درخواست</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>انصراف</translation>
        </message>
        <message>
            <source>About {0} if opened now</source>
            <translation>حدود {0}، اگر اکنون ثبت شود</translation>
        </message>
        <message>
            <source>Write the request's subject.</source>
            <translation>موضوع درخواست را بنویسید.</translation>
        </message>
        <message>
            <source>Service request opened.</source>
            <translation>درخواست خدمت ثبت شد.</translation>
        </message>
    </context>
    <context>
        <name>ParkedList</name>
        <message>
            <source>Record</source>
            <translation>پرونده</translation>
        </message>
        <message>
            <source>Fields</source>
            <translation>فیلدها</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>دلیل</translation>
        </message>
        <message>
            <source>By</source>
            <translation>ثبت‌کننده</translation>
        </message>
        <message>
            <source>Refused at</source>
            <translation>زمان رد شدن</translation>
        </message>
        <message>
            <source>Every change was saved on the central server.</source>
            <translation>همهٔ تغییرها روی سرور مرکزی ذخیره شده‌اند.</translation>
        </message>
        <message>
            <source>Retry</source>
            <translation>ارسال دوباره</translation>
        </message>
        <message>
            <source>Discard…</source>
            <translation>کنار گذاشتن…</translation>
        </message>
        <message>
            <source>Fix the record if needed, then send the change again or discard it.</source>
            <translation>در صورت نیاز پرونده را اصلاح کنید، سپس تغییر را دوباره بفرستید یا کنار بگذارید.</translation>
        </message>
    </context>
    <context>
        <name>ProductsModel</name>
        <message>
            <source>Product</source>
            <translation>محصول</translation>
        </message>
        <message>
            <source>Account number</source>
            <translation>شماره حساب</translation>
        </message>
        <message>
            <source>Opened on</source>
            <translation>تاریخ افتتاح</translation>
        </message>
        <message>
            <source>State</source>
            <translation>وضعیت</translation>
        </message>
        <message>
            <source>Balance</source>
            <translation>مانده</translation>
        </message>
    </context>
    <context>
        <name>ProfileHeader</name>
        <message>
            <source>Company national ID: {0}</source>
            <translation>شناسه ملی: {0}</translation>
        </message>
        <message>
            <source>National ID: {0}</source>
            <translation>کد ملی: {0}</translation>
        </message>
        <message>
            <source>Mobile: {0}</source>
            <translation>تلفن همراه: {0}</translation>
        </message>
        <message>
            <source>Branch: {0}</source>
            <translation>شعبه: {0}</translation>
        </message>
        <message>
            <source>KYC: {0}</source>
            <translation>احراز هویت: {0}</translation>
        </message>
        <message>
            <source>Segment: {0}</source>
            <translation>بخش مشتری: {0}</translation>
        </message>
        <message>
            <source>Lifecycle stage: {0}</source>
            <translation>مرحله چرخه عمر: {0}</translation>
        </message>
        <message>
            <source>Open requests: {0}</source>
            <translation>درخواست‌های باز: {0}</translation>
        </message>
    </context>
    <context>
        <name>ProgressStrip</name>
        <message>
            <source>Cancel</source>
            <translation>انصراف</translation>
        </message>
        <message>
            <source>Stopping…</source>
            <translation>در حال توقف…</translation>
        </message>
    </context>
    <context>
        <name>RefusalTableModel</name>
        <message>
            <source>Row</source>
            <translation>ردیف</translation>
        </message>
        <message>
            <source>Column</source>
            <translation>ستون</translation>
        </message>
        <message>
            <source>Value</source>
            <translation>مقدار</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>دلیل رد</translation>
        </message>
        <message>
            <source>(whole row)</source>
            <translation>(کل سطر)</translation>
        </message>
    </context>
    <context>
        <name>ReportsPage</name>
        <message>
            <source>Management reports</source>
            <translation>گزارش‌های مدیریتی</translation>
        </message>
        <message>
            <source>Report</source>
            <translation>گزارش</translation>
        </message>
        <message>
            <source>Branch performance summary</source>
            <translation>خلاصه عملکرد شعبه</translation>
        </message>
        <message>
            <source>Service requests</source>
            <translation>درخواست‌های خدمت</translation>
        </message>
        <message>
            <source>Customers</source>
            <translation>مشتریان</translation>
        </message>
        <message>
            <source>Clerk activity</source>
            <translation>کارکرد کارمندان</translation>
        </message>
        <message>
            <source>Customer profile</source>
            <translation>پرونده مشتری</translation>
        </message>
        <message>
            <source>Period</source>
            <translation>دوره</translation>
        </message>
        <message>
            <source>This month</source>
            <translation>این ماه</translation>
        </message>
        <message>
            <source>Last month</source>
            <translation>ماه گذشته</translation>
        </message>
        <message>
            <source>This quarter</source>
            <translation>این فصل</translation>
        </message>
        <message>
            <source>This year</source>
            <translation>امسال</translation>
        </message>
        <message>
            <source>Chosen dates</source>
            <translation>تاریخ‌های دلخواه</translation>
        </message>
        <message>
            <source>From</source>
            <translation>از تاریخ</translation>
        </message>
        <message>
            <source>To</source>
            <translation>تا تاریخ</translation>
        </message>
        <message>
            <source>Customer</source>
            <translation>مشتری</translation>
        </message>
        <message>
            <source>National ID, company ID or customer number</source>
            <translation>کد ملی، شناسه ملی یا شماره مشتری</translation>
        </message>
        <message>
            <source>Branch</source>
            <translation>شعبه</translation>
        </message>
        <message>
            <source>All branches</source>
            <translation>همه شعبه‌ها</translation>
        </message>
        <message>
            <source>PDF</source>
            <translation>PDF</translation>
        </message>
        <message>
            <source>Excel</source>
            <translation>Excel</translation>
        </message>
        <message>
            <source>Make the report</source>
            <translation>ساخت گزارش</translation>
        </message>
        <message>
            <source>Reports are for branch managers, administrators and auditors.</source>
            <translation>گزارش‌ها ویژه رئیس شعبه، مدیر سامانه و بازرس است.</translation>
        </message>
        <message>
            <source>to</source>
            <translation>تا</translation>
        </message>
        <message>
            <source>Dates</source>
            <translation>تاریخ‌ها</translation>
        </message>
        <message>
            <source>Format</source>
            <translation>قالب</translation>
        </message>
        <message>
            <source>Enter both dates of the period.</source>
            <translation>هر دو تاریخ دوره را وارد کنید.</translation>
        </message>
        <message>
            <source>Report saved: {0}</source>
            <translation>گزارش ذخیره شد: {0}</translation>
        </message>
        <message>
            <source>Making the report…</source>
            <translation>در حال ساخت گزارش…</translation>
        </message>
    </context>
    <context>
        <name>ReportsSection</name>
        <message>
            <source>Dashboard</source>
            <translation>داشبورد</translation>
        </message>
        <message>
            <source>Make a report</source>
            <translation>ساخت گزارش</translation>
        </message>
    </context>
    <context>
        <name>RequestDeadline</name>
        <message>
            <source>{0} h {1} min</source>
            <translation>{0} ساعت و {1} دقیقه</translation>
        </message>
        <message>
            <source>{0} h</source>
            <translation>{0} ساعت</translation>
        </message>
        <message>
            <source>{0} min</source>
            <translation>{0} دقیقه</translation>
        </message>
        <message>
            <source>Cancelled</source>
            <translation>لغوشده</translation>
        </message>
        <message>
            <source>Resolved after the deadline</source>
            <translation>پس از پایان مهلت حل شد</translation>
        </message>
        <message>
            <source>Resolved within the deadline</source>
            <translation>در مهلت حل شد</translation>
        </message>
        <message>
            <source>Paused while waiting for the customer</source>
            <translation>در انتظار مشتری (مهلت متوقف است)</translation>
        </message>
        <message>
            <source>Overdue since {0}</source>
            <translation>دارای تأخیر از {0}</translation>
        </message>
        <message>
            <source>Due in {0} of working time</source>
            <translation>{0} وقت کاری تا پایان مهلت</translation>
        </message>
    </context>
    <context>
        <name>RequestPage</name>
        <message>
            <source>Back to the queue</source>
            <translation>بازگشت به صف</translation>
        </message>
        <message>
            <source>Esc</source>
            <translation>Esc</translation>
        </message>
        <message>
            <source>Open the customer's profile</source>
            <translation>باز کردن پرونده مشتری</translation>
        </message>
        <message>
            <source>Request</source>
            <translation>درخواست</translation>
        </message>
        <message>
            <source>Subject</source>
            <translation>موضوع</translation>
        </message>
        <message>
            <source>Category</source>
            <translation>دسته‌بندی</translation>
        </message>
        <message>
            <source>Priority</source>
            <translation>اولویت</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>وضعیت</translation>
        </message>
        <message>
            <source>Assignee</source>
            <translation>مسئول رسیدگی</translation>
        </message>
        <message>
            <source>Opened</source>
            <translation>تاریخ ثبت</translation>
        </message>
        <message>
            <source>Opened by</source>
            <translation>ثبت‌کننده</translation>
        </message>
        <message>
            <source>First response</source>
            <translation>نخستین پاسخ</translation>
        </message>
        <message>
            <source>Deadline</source>
            <translation>مهلت رسیدگی</translation>
        </message>
        <message>
            <source>Resolved</source>
            <translation>زمان حل</translation>
        </message>
        <message>
            <source>Closed</source>
            <translation>زمان بستن</translation>
        </message>
        <message>
            <source>Customer satisfaction</source>
            <translation>رضایت مشتری</translation>
        </message>
        <message>
            <source>Customer</source>
            <translation>مشتری</translation>
        </message>
        <message>
            <source>Description</source>
            <translation>شرح درخواست</translation>
        </message>
        <message>
            <source>Resolution</source>
            <translation>شرح رسیدگی</translation>
        </message>
        <message>
            <source>No step of this request is open to you.</source>
            <translation>اقدامی روی این درخواست برای شما مجاز نیست.</translation>
        </message>
        <message>
            <source>Status history</source>
            <translation>تاریخچه وضعیت</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>زمان</translation>
        </message>
        <message>
            <source>User</source>
            <translation>کاربر</translation>
        </message>
        <message>
            <source>Change</source>
            <translation>تغییر</translation>
        </message>
        <message>
            <source>Note</source>
            <translation>یادداشت</translation>
        </message>
        <message>
            <source>Request {0}</source>
            <translation>درخواست {0}</translation>
        </message>
        <message>
            <source>(no name)</source>
            <translation>(بی‌نام)</translation>
        </message>
        <message>
            <source>Not assigned yet</source>
            <translation>هنوز ارجاع نشده</translation>
        </message>
        <message>
            <source>Opened as {0}</source>
            <translation>ثبت با وضعیت «{0}»</translation>
        </message>
        <message>
            <source>{0} → {1}</source>
            <translation>{0} ← {1}</translation>
        </message>
        <message>
            <source>Request {0} is now «{1}».</source>
            <translation>وضعیت درخواست {0} اکنون «{1}» است.</translation>
        </message>
    </context>
    <context>
        <name>RequestTableModel</name>
        <message>
            <source>Number</source>
            <translation>شماره درخواست</translation>
        </message>
        <message>
            <source>Customer</source>
            <translation>مشتری</translation>
        </message>
        <message>
            <source>Subject</source>
            <translation>موضوع</translation>
        </message>
        <message>
            <source>Category</source>
            <translation>دسته‌بندی</translation>
        </message>
        <message>
            <source>Priority</source>
            <translation>اولویت</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>وضعیت</translation>
        </message>
        <message>
            <source>Assignee</source>
            <translation>مسئول رسیدگی</translation>
        </message>
        <message>
            <source>Opened</source>
            <translation>تاریخ ثبت</translation>
        </message>
        <message>
            <source>Deadline</source>
            <translation>مهلت رسیدگی</translation>
        </message>
    </context>
    <context>
        <name>RequestsPage</name>
        <message>
            <source>Service requests</source>
            <translation>درخواست‌های خدمت</translation>
        </message>
        <message>
            <source>Work queue</source>
            <translation>صف کار</translation>
        </message>
        <message>
            <source>Overdue</source>
            <translation>دارای تأخیر</translation>
        </message>
        <message>
            <source>Due within two working hours</source>
            <translation>کمتر از دو ساعت کاری تا پایان مهلت</translation>
        </message>
        <message>
            <source>No request in this queue.</source>
            <translation>درخواستی در این صف نیست.</translation>
        </message>
        <message>
            <source>Mine</source>
            <translation>درخواست‌های من</translation>
        </message>
        <message>
            <source>Branch open</source>
            <translation>باز در شعبه</translation>
        </message>
        <message>
            <source>Due today</source>
            <translation>مهلت امروز</translation>
        </message>
        <message>
            <source>{0} ({1})</source>
            <translation>{0} ({1})</translation>
        </message>
        <message>
            <source>Open a new request from the customer's profile (Ctrl+R).</source>
            <translation>درخواست جدید را از پرونده مشتری ثبت کنید (Ctrl+R).</translation>
        </message>
    </context>
    <context>
        <name>ScanBar</name>
        <message>
            <source>Branch</source>
            <translation>شعبه</translation>
        </message>
        <message>
            <source>All branches</source>
            <translation>همه شعبه‌ها</translation>
        </message>
        <message>
            <source>Minimum score</source>
            <translation>حداقل امتیاز</translation>
        </message>
        <message>
            <source>Find duplicates</source>
            <translation>یافتن تکراری‌ها</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>انصراف</translation>
        </message>
    </context>
    <context>
        <name>Session</name>
        <message>
            <source>This database is encrypted: your password opens it.</source>
            <extracomment>For an encrypted database: opens it with a user's password (runs off the UI thread at sign-in). The HTTP client for joining a branch server and for first online sign-ins (tests); None: a real one. The signed-in clerk's username and password for the sync server's token; dropped at sign-out.</extracomment>
            <translation>این پایگاه داده رمزگذاری شده است و با گذرواژه شما باز می‌شود.</translation>
        </message>
    </context>
    <context>
        <name>SettingsPage</name>
        <message>
            <source>Language</source>
            <translation>زبان</translation>
        </message>
        <message>
            <source>Font size</source>
            <translation>اندازه قلم</translation>
        </message>
        <message>
            <source>Lock after idle minutes</source>
            <translation>قفل پس از چند دقیقه بیکاری</translation>
        </message>
        <message>
            <source> minutes</source>
            <translation> دقیقه</translation>
        </message>
        <message>
            <source>Language and font size take effect the next time the app starts.</source>
            <translation>زبان و اندازه قلم از اجرای بعدی برنامه اعمال می‌شوند.</translation>
        </message>
        <message>
            <source>Database location</source>
            <translation>محل پایگاه داده</translation>
        </message>
        <message>
            <source>Back up now…</source>
            <translation>پشتیبان‌گیری اکنون…</translation>
        </message>
        <message>
            <source>Only a branch manager or administrator can back up.</source>
            <translation>فقط رئیس شعبه یا مدیر سامانه می‌تواند پشتیبان بگیرد.</translation>
        </message>
        <message>
            <source>Appearance and security</source>
            <translation>نمایش و امنیت</translation>
        </message>
        <message>
            <source>Lock after idle time</source>
            <translation>قفل پس از بیکاری</translation>
        </message>
        <message>
            <source>Database</source>
            <translation>پایگاه داده</translation>
        </message>
        <message>
            <source>Location</source>
            <translation>محل</translation>
        </message>
        <message>
            <source>Back up the database</source>
            <translation>پشتیبان‌گیری از پایگاه داده</translation>
        </message>
        <message>
            <source>SQLite database (*.db)</source>
            <translation>پایگاه داده SQLite (*.db)</translation>
        </message>
        <message>
            <source>Backup saved to {0}</source>
            <translation>نسخه پشتیبان در «{0}» ذخیره شد.</translation>
        </message>
        <message>
            <source>Backup saved.</source>
            <translation>نسخه پشتیبان ذخیره شد.</translation>
        </message>
        <message>
            <source>Backing up the database</source>
            <translation>پشتیبان‌گیری از پایگاه داده</translation>
        </message>
    </context>
    <context>
        <name>SignInDialog</name>
        <message>
            <source>This account is locked after repeated wrong passwords. Try again in {0} minutes.</source>
            <translation>این حساب پس از چند بار ورود گذرواژه نادرست قفل شده است. {0} دقیقه دیگر دوباره تلاش کنید.</translation>
        </message>
        <message>
            <source>Locked</source>
            <translation>قفل</translation>
        </message>
        <message>
            <source>Sign in</source>
            <translation>ورود</translation>
        </message>
        <message>
            <source>The window was locked. Enter your password to go on.</source>
            <translation>پنجره قفل شد. برای ادامه گذرواژه خود را وارد کنید.</translation>
        </message>
        <message>
            <source>Customer relationship management: branch sign-in</source>
            <translation>مدیریت ارتباط با مشتری: ورود به شعبه</translation>
        </message>
        <message>
            <source>Username</source>
            <translation>نام کاربری</translation>
        </message>
        <message>
            <source>Password</source>
            <translation>گذرواژه</translation>
        </message>
        <message>
            <source>Unlock</source>
            <translation>باز کردن قفل</translation>
        </message>
        <message>
            <source>Sign out</source>
            <translation>خروج از حساب</translation>
        </message>
        <message>
            <source>Quit</source>
            <translation>خروج از برنامه</translation>
        </message>
        <message>
            <source>Enter your username and password.</source>
            <translation>نام کاربری و گذرواژه را وارد کنید.</translation>
        </message>
        <message>
            <source>Only the signed-in user can unlock this window.</source>
            <translation>فقط کاربری که وارد شده است می‌تواند قفل این پنجره را باز کند.</translation>
        </message>
    </context>
    <context>
        <name>SimilarTableModel</name>
        <message>
            <source>Row</source>
            <translation>ردیف</translation>
        </message>
        <message>
            <source>Name in the file</source>
            <translation>نام در فایل</translation>
        </message>
        <message>
            <source>Stored customer</source>
            <translation>مشتری موجود</translation>
        </message>
        <message>
            <source>National ID / company ID</source>
            <translation>کد ملی / شناسه ملی</translation>
        </message>
        <message>
            <source>Score</source>
            <translation>امتیاز</translation>
        </message>
        <message>
            <source>Reasons</source>
            <translation>دلایل</translation>
        </message>
    </context>
    <context>
        <name>SyncInboxSection</name>
        <message>
            <source>Sync inbox</source>
            <translation>صندوق همگام‌سازی</translation>
        </message>
        <message>
            <source>Nothing needs review: no open conflicts in this branch.</source>
            <translation>موردی برای بررسی نیست: این شعبه تعارض بازی ندارد.</translation>
        </message>
        <message>
            <source>Needs review ({0})</source>
            <translation>نیاز به بررسی ({0})</translation>
        </message>
        <message>
            <source>Couldn't save ({0})</source>
            <translation>ذخیره نشد ({0})</translation>
        </message>
        <message>
            <source>Decision saved; it is sent with the next sync</source>
            <translation>تصمیم ثبت شد؛ با همگام‌سازی بعدی فرستاده می‌شود</translation>
        </message>
        <message>
            <source>The change is queued again</source>
            <translation>تغییر دوباره در صف ارسال قرار گرفت</translation>
        </message>
        <message>
            <source>Discard this change of «{0}» for good? It will never reach the central server.</source>
            <translation>این تغییرِ «{0}» برای همیشه کنار گذاشته شود؟ دیگر به سرور مرکزی نمی‌رسد.</translation>
        </message>
        <message>
            <source>Discard change</source>
            <translation>کنار گذاشتن تغییر</translation>
        </message>
        <message>
            <source>Why is this change discarded?</source>
            <translation>چرا این تغییر کنار گذاشته می‌شود؟</translation>
        </message>
        <message>
            <source>The change was discarded</source>
            <translation>تغییر کنار گذاشته شد</translation>
        </message>
    </context>
    <context>
        <name>SyncStatusWidget</name>
        <message>
            <source>Not connected to a sync server</source>
            <translation>بدون سرور همگام‌سازی</translation>
        </message>
        <message>
            <source>This desk works on its own; the administrator can register it with the central server.</source>
            <translation>این میز مستقل کار می‌کند؛ مدیر سامانه می‌تواند آن را در سرور مرکزی ثبت کند.</translation>
        </message>
        <message>
            <source>Last sync: {0}</source>
            <translation>آخرین همگام‌سازی: {0}</translation>
        </message>
        <message>
            <source>Not synced yet</source>
            <translation>همگام‌سازی نشده</translation>
        </message>
        <message>
            <source>Conflicts: {0}</source>
            <translation>تعارض: {0}</translation>
        </message>
        <message>
            <source>Changes made here and elsewhere at once; review them.</source>
            <translation>تغییراتی که هم‌زمان اینجا و جای دیگر انجام شده‌اند؛ بررسی کنید.</translation>
        </message>
        <message>
            <source>Couldn't save: {0}</source>
            <translation>ذخیره‌نشده: {0}</translation>
        </message>
        <message>
            <source>Changes the server refused; fix or discard them.</source>
            <translation>تغییراتی که سرور نپذیرفت؛ اصلاح یا کنار بگذارید.</translation>
        </message>
        <message>
            <source>Syncing…</source>
            <translation>در حال همگام‌سازی…</translation>
        </message>
        <message>
            <source>Sync failed</source>
            <translation>خطای همگام‌سازی</translation>
        </message>
        <message>
            <source>Sync stopped</source>
            <translation>همگام‌سازی متوقف شد</translation>
        </message>
        <message>
            <source>Trying again in {0} seconds.</source>
            <translation>تلاش دوباره در {0} ثانیه.</translation>
        </message>
        <message>
            <source>Press “Sync now” (F9) to try again.</source>
            <translation>برای تلاش دوباره «همگام‌سازی اکنون» (F9) را بزنید.</translation>
        </message>
    </context>
    <context>
        <name>TimelineModel</name>
        <message>
            <source>Date and time</source>
            <translation>تاریخ و ساعت</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>نوع</translation>
        </message>
        <message>
            <source>Subject</source>
            <translation>موضوع</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>وضعیت / نتیجه</translation>
        </message>
        <message>
            <source>By</source>
            <translation>کاربر / مسئول رسیدگی</translation>
        </message>
        <message>
            <source>Interaction: {0}</source>
            <translation>تعامل: {0}</translation>
        </message>
        <message>
            <source>Request {0}: {1}</source>
            <translation>درخواست {0}: {1}</translation>
        </message>
        <message>
            <source>Priority: {0}; due {1}</source>
            <translation>اولویت: {0}؛ مهلت رسیدگی: {1}</translation>
        </message>
    </context>
    <context>
        <name>TransitionDialog</name>
        <message>
            <source>{0}: request {1}</source>
            <translation>{0}: درخواست {1}</translation>
        </message>
        <message>
            <source>Assignee</source>
            <translation>مسئول رسیدگی</translation>
        </message>
        <message>
            <source>Assign to</source>
            <translation>ارجاع به</translation>
        </message>
        <message>
            <source>Resolution</source>
            <translation>شرح رسیدگی</translation>
        </message>
        <message>
            <source>Customer satisfaction</source>
            <translation>رضایت مشتری</translation>
        </message>
        <message>
            <source>Choose…</source>
            <translation>انتخاب کنید…</translation>
        </message>
        <message>
            <source>very dissatisfied</source>
            <translation>بسیار ناراضی</translation>
        </message>
        <message>
            <source>dissatisfied</source>
            <translation>ناراضی</translation>
        </message>
        <message>
            <source>neutral</source>
            <translation>نه راضی، نه ناراضی</translation>
        </message>
        <message>
            <source>satisfied</source>
            <translation>راضی</translation>
        </message>
        <message>
            <source>very satisfied</source>
            <translation>بسیار راضی</translation>
        </message>
        <message>
            <source>Note</source>
            <translation>یادداشت</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>دلیل</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>انصراف</translation>
        </message>
        <message>
            <source>No colleague of this branch can take the request.</source>
            <translation>همکار دیگری در این شعبه برای ارجاع نیست.</translation>
        </message>
        <message>
            <source>Choose the customer's satisfaction from 1 to 5.</source>
            <translation>رضایت مشتری را از ۱ تا ۵ انتخاب کنید.</translation>
        </message>
    </context>
    <context>
        <name>UndoMergeDialog</name>
        <message>
            <source>Undo merge</source>
            <translation>برگرداندن ادغام</translation>
        </message>
        <message>
            <source>Undo the merge of {0} into «{1}» ({2})? The merged records come back with their own values and history.</source>
            <translation>ادغام {0} در «{1}» ({2}) برگردانده شود؟ پرونده‌های ادغام‌شده با مقادیر و سوابق خود بازمی‌گردند.</translation>
        </message>
        <message>
            <source>Note</source>
            <translation>یادداشت</translation>
        </message>
        <message>
            <source>Why the merge is undone (optional)</source>
            <translation>چرا ادغام برگردانده می‌شود (اختیاری)</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>انصراف</translation>
        </message>
    </context>
    <context>
        <name>errors</name>
        <message>
            <source>Error</source>
            <translation>خطا</translation>
        </message>
        <message>
            <source>Unexpected error</source>
            <translation>خطای پیش‌بینی‌نشده</translation>
        </message>
        <message>
            <source>Something went wrong that should not have. Your saved work is safe; the details were written to the log file.</source>
            <translation>خطایی پیش آمد که نباید پیش می‌آمد. کارهای ذخیره‌شده شما محفوظ است؛ جزئیات در پرونده گزارش خطا نوشته شد.</translation>
        </message>
    </context>
</TS>