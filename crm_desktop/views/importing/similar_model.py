"""Rows of the file that look like stored customers (row, name in the file, the stored customer, score, Persian
reasons): warnings beside the refusals, revealed page by page like them."""

from __future__ import annotations

from crm_desktop.persian import format_number, to_persian_digits
from crm_desktop.services.importing import SimilarRow
from crm_desktop.views.importing.refusal_model import PagedLinesModel


class SimilarTableModel(PagedLinesModel[SimilarRow]):
    ROW, NAME, CUSTOMER, IDENTITY, SCORE, REASONS = range(6)
    CENTERED = (ROW, SCORE)

    def titles(self) -> tuple[str, ...]:
        return (self.tr("Row"), self.tr("Name in the file"), self.tr("Stored customer"),
                self.tr("National ID / company ID"), self.tr("Score"), self.tr("Reasons"))

    def cell(self, line: SimilarRow, column: int) -> str | None:
        if column == self.ROW:
            return format_number(line.row)
        if column == self.NAME:
            return line.name
        if column == self.CUSTOMER:
            if line.customer_no:
                return f"{line.customer_name} ({to_persian_digits(line.customer_no)})"
            return line.customer_name
        if column == self.IDENTITY:
            return to_persian_digits(line.identity)
        if column == self.SCORE:
            return format_number(line.score)
        if column == self.REASONS:
            return "؛ ".join(line.reasons)
        return None
