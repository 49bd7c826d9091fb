"""`ImportService`: look at a file, dry-run it, import it (all or nothing, or the valid rows), report on it.

Reading and deciding are shared by the dry run and the import, so the import does what the dry run said.
Long work takes a ``Progress``: it reports rows read and raises ``Cancelled`` between batches. An
all-or-nothing import is one unit of work (a refused row or a cancel leaves the database untouched); the
valid-rows mode commits one unit of work per batch.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from crm_desktop.db.session import driver_connection
from crm_desktop.errors import Cancelled, CrmError
from crm_desktop.models import Branch
from crm_desktop.persian import format_number
from crm_desktop.progress import NullProgress, Progress
from crm_desktop.services.actor import Actor
from crm_desktop.services.base import ServiceBase
from crm_desktop.services.changes import Changes, Outcome
from crm_desktop.services.errors import InvalidInput
from crm_desktop.services.importing.headers import (
    HEADER_SEARCH_ROWS,
    ColumnMap,
    ImportKind,
    build_map,
    fields_of,
    find_header,
    guess_kind,
)
from crm_desktop.services.importing.plan import CustomerPlanner, Decision, ImportSummary
from crm_desktop.services.importing.plan_others import InteractionPlanner, ProductPlanner
from crm_desktop.services.importing.readers import CellValue, ImportFileError, SheetRow, data_rows, open_sheet
from crm_desktop.services.importing.rows import Prepared, prepare_row
from crm_desktop.services.importing.similar import SimilarityCheck
from crm_desktop.services.importing.writer import BulkWriter
from crm_desktop.services.interactions import InteractionService
from crm_desktop.services.permissions import Action, require, require_branch

BATCH_ROWS = 2000
PREVIEW_ROWS = 20
IMPORT_CACHE_KIB = 256 * 1024  # while importing: 16 indexes of customer and the journal stay in memory


class Planner(Protocol):
    def decide(self, conn: sqlite3.Connection, batch: list[Prepared]) -> list[Decision]: ...


@dataclass(frozen=True)
class ImportOptions:
    kind: ImportKind | None = None  # None: guessed from the headers
    mapping: Mapping[str, str | None] = field(default_factory=dict)  # header text → field (None: ignore)
    encoding: str = "auto"  # auto, utf-8 or cp1256 (CSV only)
    all_or_nothing: bool = True
    branch_id: str | None = None  # new customers' branch; the actor's own when None


@dataclass(frozen=True)
class FilePreview:
    """What the mapping step shows: detected kind and encoding, headers, the guessed mapping, a few rows."""

    kind: ImportKind
    encoding: str
    header_row: int
    headers: tuple[str, ...]
    mapping: dict[str, str | None]
    sample: tuple[tuple[CellValue, ...], ...]
    fields: tuple[tuple[str, str], ...]  # (field, Persian label) the user may choose from
    notes: tuple[str, ...]
    problems: tuple[str, ...] = ()  # Persian: what must be fixed (in the mapping) before a dry run can start


class ImportRefused(CrmError):
    """All-or-nothing import with refused rows: nothing was written; ``summary`` lists them."""

    code = "import_refused"

    def __init__(self, summary: ImportSummary) -> None:
        super().__init__(f"{format_number(summary.refused_rows)} سطر رد شد؛ چون «همه یا هیچ» انتخاب شده بود "
                         "هیچ سطری ثبت نشد. سطرهای ردشده را اصلاح کنید یا «فقط سطرهای درست» را برگزینید.")
        self.summary = summary


class ImportCancelled(Cancelled):
    """The user cancelled; ``summary`` says what had already been committed (nothing when all-or-nothing),
    ``changes`` which records those commits touched (so that lists can refresh)."""

    def __init__(self, summary: ImportSummary, changes: Changes | None = None) -> None:
        written = summary.to_create + summary.to_update
        if summary.all_or_nothing or not written:
            text = "ورود اطلاعات لغو شد؛ هیچ سطری ثبت نشد."
        else:
            text = f"ورود اطلاعات لغو شد؛ {format_number(written)} سطر پیش از لغو ثبت شده بود."
        super().__init__(text)
        self.summary = summary
        self.changes = changes or Changes()


@dataclass
class _Opened:
    cmap: ColumnMap
    encoding: str
    merged: frozenset[int]
    rows: Iterator[SheetRow]
    head: list[SheetRow]
    notes: list[str]

    def close(self) -> None:
        """Stop reading (closes the workbook) when not every row was read."""
        close = getattr(self.rows, "close", None)
        if close is not None:
            close()


class ImportService(ServiceBase):
    # -- looking at a file --------------------------------------------------------------------
    def preview(self, path: Path, options: ImportOptions = ImportOptions()) -> FilePreview:
        """Headers, the guessed mapping, the first rows and what still stops the import (``problems``).

        Unlike the dry run this does not refuse a file whose columns are wrong: the wizard shows the problems
        beside the mapping so that the user can fix it. No permission needed: nothing is read from the database.
        """
        problems: list[str] = []
        opened = self._open(Path(path), options, problems)
        sample = tuple(row.values for row in itertools.islice(itertools.chain(opened.head, opened.rows), PREVIEW_ROWS))
        opened.close()
        cmap = opened.cmap
        return FilePreview(cmap.kind, opened.encoding, cmap.header_row, tuple(h for _, h, _ in cmap.columns),
                           cmap.as_mapping(), sample, tuple(fields_of(cmap.kind)), tuple(opened.notes),
                           tuple(problems))

    # -- dry run ------------------------------------------------------------------------------
    def dry_run(self, actor: Actor, path: Path, options: ImportOptions = ImportOptions(),
                progress: Progress | None = None) -> ImportSummary:
        """Every row through the validators and the matching, nothing written."""
        progress = progress or NullProgress()
        opened = self._open(Path(path), options)
        summary = self._summary(Path(path), opened, options)
        planner = self._planner(actor, opened.cmap, self._branch(actor, options, opened.cmap.kind))
        similar = _similarity(opened.cmap.kind)
        with self.db.read_raw() as conn:
            for batch in self._batches(opened, progress):
                decisions = planner.decide(conn, batch)
                for decision in decisions:
                    summary.add(decision)
                if similar is not None:
                    summary.add_similar(similar.check(conn, decisions))
        progress.update(summary.rows, summary.rows, "بررسی پایان یافت")
        return summary

    # -- import -------------------------------------------------------------------------------
    def run(self, actor: Actor, path: Path, options: ImportOptions = ImportOptions(),
            progress: Progress | None = None) -> Outcome[ImportSummary]:
        """Import the file; raises ``ImportRefused`` (all or nothing) or ``ImportCancelled``."""
        path = Path(path)
        progress = progress or NullProgress()
        opened = self._open(path, options)
        summary = self._summary(path, opened, options)
        planner = self._planner(actor, opened.cmap, self._branch(actor, options, opened.cmap.kind))
        source = f"import:{path.name}"[:200]
        writer = BulkWriter(opened.cmap.kind, actor.user_id, self.db.device_id, self.now())
        similar = _similarity(opened.cmap.kind)
        batches = self._batches(opened, progress)
        try:
            if options.all_or_nothing:
                with self._write(actor, source) as session, _big_cache(session) as conn:
                    for batch in batches:
                        decisions = planner.decide(conn, batch)
                        for decision in decisions:
                            summary.add(decision)
                        if similar is not None:
                            summary.add_similar(similar.check(conn, decisions))
                        if not summary.refused_rows:
                            writer.write(conn, decisions)
                    progress.check()
                    if summary.refused_rows:
                        raise ImportRefused(summary)
                    self._log_access(session, actor, "import", detail=_detail(summary))
            else:
                for batch in batches:
                    with self._write(actor, source) as session, _big_cache(session) as conn:
                        decisions = planner.decide(conn, batch)
                        if similar is not None:
                            summary.add_similar(similar.check(conn, decisions))
                        writer.write(conn, decisions)
                    for decision in decisions:
                        summary.add(decision)
                self.record_access(actor, "import", detail=_detail(summary))
        except Cancelled:
            summary.cancelled = True
            summary.written = not options.all_or_nothing
            raise ImportCancelled(summary, None if options.all_or_nothing else _changes(writer)) from None
        summary.written = True
        progress.update(summary.rows, summary.rows, "ورود اطلاعات پایان یافت")
        self.db.ensure_statistics()
        return Outcome(summary, _changes(writer))

    # -- helpers ------------------------------------------------------------------------------
    def _open(self, path: Path, options: ImportOptions, problems: list[str] | None = None) -> _Opened:
        source = open_sheet(path, options.encoding)
        rows = data_rows(source.rows, source.notes)
        head = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
        if not head:
            raise ImportFileError(f"فایل «{path.name}» هیچ داده‌ای ندارد.")
        kind = options.kind or next(
            (k for k in (guess_kind(r.values) for r in head) if k is not ImportKind.CUSTOMERS), ImportKind.CUSTOMERS)
        try:
            position = find_header([(r.number, r.values) for r in head], kind, options.mapping)
        except ImportFileError as exc:
            if problems is None:
                raise
            problems.append(exc.message)
            position = 0
        header = head[position]
        cmap = build_map(kind, header.number, header.values, options.mapping, problems)
        if position:
            source.notes.append(f"{format_number(position)} سطر بالای سطر عنوان (سطر "
                                f"{format_number(header.number)}) خوانده نشد.")
        return _Opened(cmap, source.encoding, source.merged_rows, rows, head[position + 1:], source.notes)

    @staticmethod
    def _summary(path: Path, opened: _Opened, options: ImportOptions) -> ImportSummary:
        return ImportSummary(opened.cmap.kind, path.name, opened.encoding, opened.cmap.header_row,
                             opened.cmap.as_mapping(), notes=opened.notes, all_or_nothing=options.all_or_nothing)

    def _batches(self, opened: _Opened, progress: Progress) -> Iterator[list[Prepared]]:
        """Prepared batches, with progress and a cancel check between them.

        (Reading ahead on a worker thread was measured: no faster, since binding each row of ``executemany``
        needs the GIL the reading thread holds.)
        """
        rows = itertools.chain(opened.head, opened.rows)

        def prepared() -> Iterator[list[Prepared]]:
            while batch := [prepare_row(opened.cmap, r, opened.merged) for r in itertools.islice(rows, BATCH_ROWS)]:
                yield batch

        read = 0
        progress.check()
        for batch in prepared():
            progress.check()
            read += len(batch)
            progress.update(read, None, f"{format_number(read)} سطر خوانده شد")
            yield batch
        if not read:
            raise ImportFileError("فایل زیر سطر عنوان هیچ سطر داده‌ای ندارد.")

    def _branch(self, actor: Actor, options: ImportOptions, kind: ImportKind) -> str:
        require(actor, Action.LOG_INTERACTION if kind is ImportKind.INTERACTIONS else Action.EDIT_CUSTOMER)
        branch_id = options.branch_id or actor.branch_id
        require_branch(actor, branch_id)
        with self.db.read() as session:
            if session.get(Branch, branch_id) is None:
                raise InvalidInput({"branch_id": "شعبه انتخاب‌شده وجود ندارد."})
        return branch_id

    def _planner(self, actor: Actor, cmap: ColumnMap, branch_id: str) -> Planner:
        today = self.now().date()
        if cmap.kind is ImportKind.CUSTOMERS:
            return CustomerPlanner(cmap, actor, branch_id, today)
        if cmap.kind is ImportKind.PRODUCTS:
            return ProductPlanner(cmap, actor, today)
        # The interaction service's own cleaning (same rules as the log dialog), with this service's clock.
        interactions = InteractionService(self.db, self.now)
        return InteractionPlanner(cmap, actor, today, interactions._clean)


def _similarity(kind: ImportKind) -> SimilarityCheck | None:
    """Rows that create customers are compared with the stored ones (a warning, never a refusal)."""
    return SimilarityCheck() if kind is ImportKind.CUSTOMERS else None


@contextmanager
def _big_cache(session: Any) -> Iterator[sqlite3.Connection]:
    """The driver connection of a write session, with a page cache large enough for bulk index updates."""
    conn = driver_connection(session)
    previous = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size=-{IMPORT_CACHE_KIB}")
    try:
        yield conn
    finally:
        conn.execute(f"PRAGMA cache_size={int(previous)}")


def _changes(writer: BulkWriter) -> Changes:
    return Changes(customers=frozenset(writer.touched_customers), interactions=frozenset(writer.created_interactions))


def _detail(summary: ImportSummary) -> dict[str, Any]:
    return {"file": summary.file_name, "kind": str(summary.kind), "created": summary.to_create,
            "updated": summary.to_update, "unchanged": summary.unchanged, "refused": summary.refused_rows,
            "similar": summary.similar_rows}
