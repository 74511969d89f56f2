"""The dry run and the apply of one file into one target (internal: csm.importing.reads and
commands are the guarded face).

The db-level entry points are csm.importing.reads.dry_run and commands.apply / undo (guarded);
this module holds the steps they run inside their transaction.

1. every mapped cell is parsed by its field's kind (csm.importing.values); a cell that cannot be
   read, or an empty required one, rejects its row with the line, the field and the reason;
2. the target judges the rest (`plan`: add / update / same / reject) — in the dry run inside a
   transaction that is rolled back, so nothing can be written;
3. apply plans again inside ONE transaction, refuses the whole file if any row is rejected,
   records the batch (who, when, file, fingerprint, mapping, counts) and lets the target write
   the added and updated rows marked with the batch id: all or nothing.
The same file again (same sha256) into a target without natural keys is all "same"; with natural
keys the target finds its rows and says same or update."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from csm import audit
from csm.errors import UserError, ValidationFailed
from csm.i18n import t
from csm.importing import values as cells
from csm.importing.mapping import Mapping
from csm.importing.progress import of_phase, takes_progress
from csm.importing.reader import Sheet
from csm.importing.target import Outcome, Report, Target

PROGRESS_EVERY = 1000


class RowRejected(UserError):
    """One rejected row as a line of the refusal: 第 N 行「字段」：reason (in the user's language
    at the time it is shown)."""

    def __init__(self, target: Target, outcome: Outcome):
        super().__init__("imports.row_rejected")
        self.target = target
        self.outcome = outcome

    def message(self) -> str:
        return t("imports.row_rejected", line=self.outcome.line, column=column_label(self.target, self.outcome.column),
                 reason=self.outcome.reason.message() if self.outcome.reason else "")


@dataclass
class RunReport(Report):
    """Report (csm.importing.target) with what the mechanism knows besides the outcomes."""

    target: str = ""
    file_name: str = ""
    fingerprint: str = ""
    total: int = 0
    previous: dict | None = None     # the earlier import of the same file, if any
    batch_id: int | None = None      # set by apply
    applied: bool = False
    samples: list[int] = field(default_factory=list)


def column_label(target: Target, key: str | None) -> str:
    if not key:
        return ""
    f = next((f for f in target.fields if f.key == key), None)
    return t(f.label) if f else key


def check_mapping(target: Target, mapping: Mapping, sheet: Sheet) -> None:
    """Every required field has a column of the file (else the whole file is refused)."""
    problems = [UserError("imports.error.required_unmapped", field_name=t(f.label))
                for f in target.fields if f.required and mapping.columns.get(f.key) not in sheet.headers]
    if problems:
        raise ValidationFailed(problems)


def typed_rows(target: Target, sheet: Sheet, mapping: Mapping, tz: str,
               progress=None) -> tuple[pd.DataFrame, list[Outcome]]:
    """The rows whose cells all read, as a frame with a column per field key (None where the
    field has no column) and `_line`; and a rejection for each of the others (its first field,
    in the target's order, that does not read).

    Column by column, each distinct cell value parsed once (a ledger repeats its projects,
    categories, statuses and days on every row)."""
    check_mapping(target, mapping, sheet)
    where = {f.key: sheet.headers.index(mapping.columns[f.key]) for f in target.fields
             if mapping.columns.get(f.key) in sheet.headers}
    total = len(sheet.rows)
    date_format = mapping.date_format or "ymd"
    bad: dict[int, Outcome] = {}  # row index -> its rejection
    data: dict[str, list] = {"_line": [line for line, _ in sheet.rows]}
    mapped = [f for f in target.fields if f.key in where]
    for f in target.fields:
        i = where.get(f.key)
        if i is None:
            data[f.key] = [None] * total
            continue
        values = mapping.values.get(f.key)
        memo: dict = {}
        out: list = [None] * total
        for r, (line, raw) in enumerate(sheet.rows):
            if r in bad:
                continue
            v = raw[i] if i < len(raw) else None
            try:
                key = (v.__class__, v)
                hit = memo.get(key, memo)
            except TypeError:  # an unhashable cell (never from the readers): parse it each time
                key, hit = None, memo
            if hit is memo:
                try:
                    hit = cells.cell(v, f.kind, tz=tz, date_format=date_format, values=values, max_chars=f.max_chars)
                    if hit is None and f.required:
                        raise UserError("imports.error.required")
                except UserError as exc:
                    hit = exc
                if key is not None:
                    memo[key] = hit
            if isinstance(hit, UserError):
                bad[r] = Outcome(line, "reject", column=f.key, reason=hit)
            else:
                out[r] = hit
        data[f.key] = out
        if progress and f in mapped:
            progress("check", round(total * (mapped.index(f) + 1) / len(mapped)), total)
    keep = [r for r in range(total) if r not in bad]
    frame = pd.DataFrame({k: [col[r] for r in keep] for k, col in data.items()},
                         columns=["_line", *[f.key for f in target.fields]], dtype=object)
    frame["_line"] = frame["_line"].astype("int64")
    if progress:
        progress("check", total, total)
    return frame, sorted(bad.values(), key=lambda o: o.line)


def plan(tx, actor, target: Target, sheet: Sheet, rows: pd.DataFrame, rejected: list[Outcome],
         progress=None) -> RunReport:
    """The target judges the typed rows; progress("plan", done, total) before and after (and in
    between when the target's plan accepts a `progress` callable of the fraction done)."""
    previous = tx.one("importing/batch_previous", {"target": target.name, "fingerprint": sheet.fingerprint})
    outcomes = list(rejected)
    if progress:
        progress("plan", 0, len(rows))
    if len(rows):
        if progress and takes_progress(target.plan):
            judged = target.plan(tx, actor, rows, progress=of_phase(progress, "plan", len(rows)))
        else:
            judged = target.plan(tx, actor, rows)
        if previous and not target.natural_key:  # the file came before and nothing tells its rows apart
            judged = [o if o.action == "reject" else Outcome(o.line, "same", record_id=o.record_id) for o in judged]
        outcomes += judged
    outcomes.sort(key=lambda o: o.line)
    if progress:
        progress("plan", len(rows), len(rows))
    return RunReport(outcomes=outcomes, target=target.name, file_name=sheet.file_name,
                     fingerprint=sheet.fingerprint, total=len(sheet.rows), previous=previous,
                     samples=list(sheet.samples))


def apply_batch(tx, actor, target: Target, sheet: Sheet, mapping: Mapping, mapping_name: str | None,
                rows: pd.DataFrame, rejected: list[Outcome], progress=None) -> RunReport:
    """Inside the import's one transaction: plan again, refuse the whole file when any row is
    rejected (ValidationFailed, one RowRejected per row), else record the batch and let the target
    write. Nothing is recorded when nothing is added or updated (the same file again)."""
    report = plan(tx, actor, target, sheet, rows, rejected, progress)
    if report.rejected:
        raise ValidationFailed([RowRejected(target, o) for o in report.rejected])
    if not report.count("add") and not report.count("update"):
        return report
    if progress:
        progress("save", 0, len(rows))
    batch_id = tx.value("importing/batch_insert", {
        "target": target.name, "file_name": sheet.file_name, "fingerprint": sheet.fingerprint,
        "mapping_name": mapping_name or None, "mapping": mapping.to_json(),
        "project_id": _project_of(actor, rows), "added": report.count("add"),
        "updated": report.count("update"), "same": report.count("same"), "user_id": actor.user_id,
        "username": actor.username, "at": actor.now()})
    kept = [o for o in report.outcomes if o.action != "reject"]
    if progress and takes_progress(target.apply):  # the optional hook: the target says how far it is
        target.apply(tx, actor, rows, kept, batch_id, progress=of_phase(progress, "save", len(rows)))
    else:
        target.apply(tx, actor, rows, kept, batch_id)
    audit.record(tx, actor.username, "import.apply", "import_batch", batch_id, after={
        "target": target.name, "file": sheet.file_name, "fingerprint": sheet.fingerprint,
        "added": report.count("add"), "updated": report.count("update")})
    report.batch_id = batch_id
    report.applied = True
    if progress:
        progress("save", len(rows), len(rows))
    return report


def _project_of(actor, rows: pd.DataFrame) -> int | None:
    """The one project every row belongs to (the log's scope), else the actor's own project."""
    for key in ("project_id", "project"):
        if key in rows.columns:
            found = set(rows[key].dropna())
            if len(found) == 1:
                try:
                    return int(next(iter(found)))
                except (TypeError, ValueError):
                    break
    return actor.scope.id if actor.scope.kind == "project" else None


def undo_batch(tx, actor, target: Target, batch_id: int) -> int:
    """Inside a transaction: take back one import (the target's latest still in force)."""
    batch = tx.one("importing/batch", {"id": int(batch_id)})
    if batch is None or batch["target"] != target.name:
        raise UserError("imports.error.no_batch")
    if batch["undone_at"] is not None:
        raise UserError("imports.error.undone_already")
    if not batch["is_latest"]:
        raise UserError("imports.error.not_latest")
    removed = target.undo(tx, actor, int(batch_id))
    tx.execute("importing/batch_undone", {"id": int(batch_id), "at": actor.now(), "by": actor.username,
                                          "rows": int(removed)})
    audit.record(tx, actor.username, "import.undo", "import_batch", int(batch_id),
                 before={"target": target.name, "file": batch["file_name"]}, after={"removed": removed})
    return removed


def report_frame(target: Target, report: Report, sheet: Sheet | None = None) -> pd.DataFrame:
    """The report row by row for a screen, the command line and the error file: line, action
    (in the user's language), field, reason; with the file's own cells of the row when given."""
    by_line = dict(sheet.rows) if sheet else {}
    records = []
    for o in report.outcomes:
        rec = {"line": o.line, "action": t(f"imports.action.{o.action}"), "column": column_label(target, o.column),
               "reason": o.reason.message() if o.reason else ""}
        if sheet:
            raw = by_line.get(o.line, [])
            rec |= {f"file.{h}": cells.text(raw[i]) if i < len(raw) else None for i, h in enumerate(sheet.headers)}
        records.append(rec)
    cols = ["line", "action", "column", "reason"] + ([f"file.{h}" for h in sheet.headers] if sheet else [])
    return pd.DataFrame(records, columns=cols)


def error_file(target: Target, report: Report, sheet: Sheet) -> bytes:
    """The rejected rows as an Excel workbook: line, field, reason, then the row as the file had it."""
    from csm import excel

    frame = report_frame(target, Report([o for o in report.outcomes if o.action == "reject"]), sheet)
    headers = {"line": t("imports.col.line"), "column": t("imports.col.column"), "reason": t("imports.col.reason")}
    headers |= {f"file.{h}": h for h in sheet.headers}
    return excel.frame_to_xlsx(frame, headers, sheet=t("imports.error_sheet"))
