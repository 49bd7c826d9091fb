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
        <name>CustomerFilters</name>
        <message>
            <source>Segment</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Lifecycle stage</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Segment:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Lifecycle stage:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Branch</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Branch:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>All</source>
            <translation type="unfinished" />
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
        <name>FirstRunDialog</name>
        <message>
            <source>First run</source>
            <translation>راه‌اندازی نخست</translation>
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
            <source>Create</source>
            <translation>ساختن</translation>
        </message>
        <message>
            <source>The two passwords are not the same.</source>
            <translation>دو گذرواژه یکسان نیستند.</translation>
        </message>
    </context>
    <context>
        <name>InteractionFilterBar</name>
        <message>
            <source>Period</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Any time</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Today</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This week</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This month</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Chosen dates</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>From date</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>To date</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Channel</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>All channels</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Clerk</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>All clerks</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Only mine</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Branch</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>All branches</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>From</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>To</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The end of the period is before its start.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{0} (inactive)</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>InteractionTableModel</name>
        <message>
            <source>Date and time</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Customer</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Channel</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Direction</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Subject</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Clerk</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Outcome</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Follow-up</source>
            <translation type="unfinished" />
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
            <source>Not yet synced: {0}</source>
            <translation>همگام‌نشده: {0}</translation>
        </message>
    </context>
    <context>
        <name>OpenRequestDialog</name>
        <message>
            <source>New service request</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New service request for {0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Category</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Priority</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Subject</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Description</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Assignee</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not assigned yet</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Deadline</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Open request</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cancel</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>About {0} if opened now</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Write the request's subject.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Service request opened.</source>
            <translation type="unfinished" />
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