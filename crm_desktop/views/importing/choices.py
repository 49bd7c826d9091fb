"""What the user has chosen so far, shared by the wizard's pages (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from crm_desktop.services.importing import FilePreview, ImportKind, ImportOptions, ImportSummary

ENCODINGS = ("auto", "utf-8", "cp1256")


@dataclass
class ImportChoices:
    path: Path | None = None
    kind: ImportKind | None = None  # None: guessed from the headers
    encoding: str = "auto"
    mapping: dict[str, str | None] = field(default_factory=dict)  # every header of the file → field (None: ignored)
    preview: FilePreview | None = None
    summary: ImportSummary | None = None  # the last dry run

    def options(self, *, all_or_nothing: bool = True) -> ImportOptions:
        kind = self.kind or (self.preview.kind if self.preview else None)
        return ImportOptions(kind=kind, mapping=dict(self.mapping), encoding=self.encoding,
                             all_or_nothing=all_or_nothing)

    def forget_file(self) -> None:
        """A new file (or encoding): the mapping and the dry run start over."""
        self.mapping = {}
        self.preview = None
        self.summary = None
