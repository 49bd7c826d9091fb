"""Finishing a written file: the complete temporary file replaces the target in one step."""

from __future__ import annotations

import os
from pathlib import Path

from crm_desktop.errors import CrmError


def replace_file(temp_name: str, target: Path) -> None:
    """Move the finished temporary file over ``target``; a file Excel holds open gets a Persian error."""
    try:
        os.replace(temp_name, target)
    except PermissionError as exc:  # on Windows: the old file is open in Excel
        raise CrmError(
            f"پرونده «{target.name}» باز است یا اجازهٔ نوشتن در آن نیست؛ آن را ببندید و دوباره تلاش کنید.",
            code="file_busy",
        ) from exc
