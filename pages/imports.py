"""Moving in (issue 11): import a ledger or another system's export into a target — upload → reading
options → column mapping (with a preview) → value mapping → dry run (+ the rejected rows as Excel)
→ import, and the import log with undo. Every choice of the user is kept per file: the widget keys
and the kept file carry the file's fingerprint, so a second file never shows the first one's."""

import streamlit as st

from csm import fmt, import_targets, policy
from csm.errors import UserError
from csm.i18n import t
from csm.importing import commands, reads
from csm.importing.mapping import Mapping
from csm.importing.reader import DELIMITERS, ENCODINGS, fingerprint, kind_of
from csm.importing.values import DATE_FORMATS
from csm.web import ui

MAX_VALUES = 60  # distinct values of a choice field offered for mapping on screen

user = ui.guard("imports")
db, actor = ui.acting(user)
st.caption(t("imports.intro"))

names = import_targets.names()
target_name = st.selectbox(t("imports.target"), names, key="imports.target",
                           format_func={n: t(import_targets.get(n).label) for n in names}.get)
target = import_targets.get(target_name)
upload = st.file_uploader(t("imports.upload"), type=["xlsx", "xls", "csv"], key=f"imports.upload.{target_name}")


def _named(none_text: str, names: dict | None = None):
    """A select's labels, made in this run's language (a label made later, outside the run, would
    fall back to the default language and no longer match the options)."""
    names = names or {}
    return lambda v: none_text if v is None else names.get(v, v)


def _read(data: bytes, name: str, base: Mapping, key: str):
    """The file as read with these options, kept per file and options (not re-read on each rerun)."""
    kept = st.session_state.get(key)
    if kept is None:
        with ui.import_progress(name) as progress:
            kept = reads.inspect(db, actor, target, data, name, base, progress=progress)
        st.session_state[key] = kept
    return kept


if upload is not None:
    data = upload.getvalue()
    fp = fingerprint(data)
    k = f"imports.{target_name}.{fp[:16]}."  # every widget and kept value of this file
    for stale in [key for key in st.session_state if str(key).startswith("imports.") and ".read." in str(key)
                  and not str(key).startswith(k)]:
        del st.session_state[stale]  # another file's rows are not kept once this one is uploaded
    try:
        kind = kind_of(upload.name)
        saved = [m["name"] for m in reads.mappings(db, actor, target)]

        st.subheader(t("imports.step.read"))
        c1, c2, c3, c4 = st.columns(4)
        saved_name = c1.selectbox(t("imports.saved_mapping"), [None, *saved], key=k + "saved",
                                  format_func=_named(t("imports.saved_mapping.none")))
        base = reads.saved_mapping(db, actor, target, saved_name) if saved_name else Mapping()
        first = _read(data, upload.name, base, k + f"read.{saved_name}.{base.encoding}.{base.delimiter}.{base.sheet}")
        encoding = delimiter = sheet = None
        if kind == "csv":
            encoding = c2.selectbox(t("imports.encoding"), [None, *ENCODINGS], key=k + "encoding",
                                    format_func=_named(t("imports.encoding.auto", found=first.sheet.encoding)))
            delimiter = c3.selectbox(t("imports.delimiter"), [None, *DELIMITERS], key=k + "delimiter",
                                     format_func=_named(t("imports.delimiter.auto", found=repr(first.sheet.delimiter)),
                                                        {"\t": t("imports.delimiter.tab")}))
        elif len(first.sheet.sheets) > 1:
            sheet = c2.selectbox(t("imports.sheet"), first.sheet.sheets, key=k + "sheet")
        options = Mapping(base.columns, base.values, base.date_format, encoding or base.encoding,
                          delimiter or base.delimiter, sheet or base.sheet)
        found = _read(data, upload.name, options, k + f"read.{saved_name}.{options.encoding}.{options.delimiter}.{options.sheet}")
        suggested = found.mapping.date_format
        date_format = c4.selectbox(t("imports.date_format"), DATE_FORMATS, key=k + f"date.{saved_name}",
                                   index=DATE_FORMATS.index(suggested) if suggested in DATE_FORMATS else 0,
                                   format_func={f: t(f"imports.date_format.{f}") for f in DATE_FORMATS}.get,
                                   help=t("imports.date_format.help", suggested=t(f"imports.date_format.{suggested}"),
                                          tz=actor.tz))
        sheet_read = found.sheet
        st.caption(t("imports.file_read", name=upload.name, rows=len(sheet_read.rows), cols=len(sheet_read.headers)))
        if sheet_read.samples:
            st.caption(t("import.samples_skipped", rows="、".join(map(str, sheet_read.samples))))

        st.subheader(t("imports.step.columns"))
        headers = sheet_read.headers
        columns = {}
        grid = st.columns(3)
        for i, f in enumerate(target.fields):
            proposed = found.mapping.columns.get(f.key)
            label = t(f.label) if not f.required else t("imports.required_mark", label=t(f.label))
            picked = grid[i % 3].selectbox(t("imports.column_for", field=label), [None, *headers],
                                           index=headers.index(proposed) + 1 if proposed in headers else 0,
                                           key=k + f"col.{saved_name}.{f.key}",
                                           format_func=_named(t("imports.column.none")))
            if picked:
                columns[f.key] = picked
        st.caption(t("imports.preview", n=reads.PREVIEW_ROWS))
        st.dataframe(found.preview(), hide_index=True, width="stretch")

        mapping = Mapping(columns, {key: dict(v) for key, v in found.mapping.values.items()}, date_format,
                          found.mapping.encoding, found.mapping.delimiter, found.mapping.sheet)
        counts = reads.value_counts(db, actor, target, sheet_read, mapping)
        if counts:
            st.subheader(t("imports.step.values"))
        for key, frame in counts.items():
            f = next(x for x in target.fields if x.key == key)
            options_ = reads.choices(db, actor, target, key)
            labels = {c.value: c.label for c in options_}
            st.markdown(t("imports.values_of", field=t(f.label)))
            own = mapping.values.setdefault(key, {})
            for row in frame.head(MAX_VALUES).itertuples():
                current = own.get(row.value)
                pick = st.selectbox(f"{row.value}（{row.rows}）", list(labels),
                                    index=list(labels).index(current) if current in labels else None,
                                    key=k + f"val.{saved_name}.{key}.{row.value}", placeholder=t("imports.value.pick"),
                                    format_func=labels.get)
                if pick is None:
                    own.pop(row.value, None)
                else:
                    own[row.value] = pick
            if len(frame) > MAX_VALUES:
                st.caption(t("imports.values_shown", n=MAX_VALUES, total=len(frame)))
            unmapped = [(r.value, r.rows) for r in frame.itertuples() if r.value not in own]
            if unmapped:
                st.warning(t("imports.unmapped", values="；".join(t("imports.unmapped_value", value=v, n=n)
                                                                 for v, n in unmapped)))
            else:
                st.caption(t("imports.all_mapped"))

        s1, s2 = st.columns([3, 1], vertical_alignment="bottom")
        name = s1.text_input(t("imports.mapping_name"), value=saved_name or "", key=k + "mapping_name", max_chars=commands.NAME_CHARS)
        if s2.button(t("imports.save_mapping"), key=k + "save_mapping"):
            try:
                commands.save_mapping(db, actor, target, name, mapping)
                st.success(t("imports.mapping_saved", name=name.strip()))
            except UserError as exc:
                ui.show_error(exc)

        st.subheader(t("imports.step.dry_run"))
        if st.button(t("imports.run_dry"), key=k + "dry_run", type="primary"):
            try:
                with ui.import_progress(upload.name) as progress:
                    report = reads.dry_run(db, actor, target, sheet_read, mapping, progress=progress)
                progress.status.update(label=t("imports.dry_run_done"))  # not "imported": nothing was written
                errors = reads.error_file(db, actor, target, report, sheet_read) if report.rejected else None
                st.session_state[k + "report"] = (mapping.to_json(), report, errors)
            except UserError as exc:
                st.session_state.pop(k + "report", None)
                ui.show_error(exc)
        kept = st.session_state.get(k + "report")
        if kept is not None:
            planned_for, report, errors = kept
            if report.previous:
                p = report.previous
                st.info(t("imports.previous", at=fmt.dt(p["created_at"], actor.tz), user=p["username"], id=p["id"]))
            st.markdown(t("imports.counts", total=report.total, add=report.count("add"), update=report.count("update"),
                          same=report.count("same"), reject=report.count("reject")))
            if planned_for != mapping.to_json():
                st.warning(t("imports.stale"))
            if report.rejected:
                st.error(t("imports.rejected_title"))
                rows = reads.report_rows(db, actor, target, type(report)(outcomes=report.rejected))
                st.dataframe(rows[["line", "column", "reason"]].rename(columns={
                    "line": t("imports.col.line"), "column": t("imports.col.column"), "reason": t("imports.col.reason")}),
                    hide_index=True, width="stretch")
                st.download_button(t("imports.download_errors"), key=k + "errors", file_name=f"{upload.name}.errors.xlsx",
                                   data=errors,
                                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                st.caption(t("imports.apply_blocked"))
            elif not report.count("add") and not report.count("update"):
                st.success(t("imports.nothing_to_do"))
            else:
                st.subheader(t("imports.step.apply"))
                if st.button(t("imports.apply"), key=k + "apply", type="primary", disabled=planned_for != mapping.to_json()):
                    try:
                        with ui.import_progress(upload.name) as progress:
                            done = commands.apply(db, actor, target, sheet_read, mapping, saved_name, progress=progress)
                        st.session_state.pop(k + "report", None)
                        st.success(t("imports.applied", name=upload.name, add=done.count("add"),
                                     update=done.count("update"), same=done.count("same"), id=done.batch_id)
                                   if done.applied else t("imports.nothing_to_do"))
                    except UserError as exc:
                        ui.show_error(exc)
    except UserError as exc:
        ui.show_error(exc)

st.subheader(t("imports.step.log"))
log = reads.log(db, actor, target)
if log.empty:
    st.caption(t("imports.log.empty"))
else:
    shown = log.assign(target=[t(import_targets.get(n).label) if n in import_targets.TARGETS else n for n in log["target"]],
                       fingerprint=log["fingerprint"].str[:12],
                       undone=log["undone_at"].notna(),
                       created_at=[fmt.dt(v, actor.tz) for v in log["created_at"]])
    st.dataframe(fmt.blank_missing(shown[["id", "target", "file_name", "fingerprint", "mapping_name", "project", "added",
                                          "updated", "same", "username", "created_at", "undone"]]).rename(columns={
        "id": t("imports.log.id"), "target": t("imports.log.target"), "file_name": t("imports.log.file"),
        "fingerprint": t("imports.log.fingerprint"), "mapping_name": t("imports.log.mapping"),
        "project": t("imports.log.project"), "added": t("imports.log.added"), "updated": t("imports.log.updated"),
        "same": t("imports.log.same"), "username": t("imports.log.user"), "created_at": t("imports.log.at"),
        "undone": t("imports.log.undone")}), hide_index=True, width="stretch")
    undoable = log[log["is_latest"].fillna(False).astype(bool) & log["undone_at"].isna()]
    if policy.allows(actor, "imports.undo") and not undoable.empty:
        u1, u2 = st.columns([3, 1], vertical_alignment="bottom")
        files = dict(zip(undoable["id"], undoable["file_name"], strict=True))
        batch = u1.selectbox(t("imports.undo_pick"), list(files), key="imports.undo_pick",
                             format_func=lambda i: f"#{i} {files[i]}")
        if u2.button(t("imports.undo"), key=f"imports.undo.{batch}"):
            try:
                n = commands.undo(db, actor, target, int(batch))
                st.success(t("imports.undone", id=batch, n=n))
            except UserError as exc:
                ui.show_error(exc)
