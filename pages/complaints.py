"""Complaint desk (投诉处理台): worklist with filters and counts, detail with timeline and the
actions the status machine allows. Reads and writes through csm.complaints (reads, commands);
overdue complaints escalate on the serving process's timer (csm.ops.service), not from this page."""

from datetime import datetime

import streamlit as st

from csm import complaints, exports, fmt, limits, sla, status
from csm.complaints import commands, reads
from csm.errors import PermissionDenied, UserError
from csm.i18n import current_lang, has, label, t
from csm.web import ui
from csm.web.cache import cached, live

PAGE = reads.PAGE

user = ui.guard("complaints")
db, actor = ui.acting(user)
en = current_lang() == "en"
now = actor.now()
tz = actor.tz

choices = cached(reads.desk_choices, db, actor)  # projects, categories, departments, staff: once per data version
projects, cats, depts, staff = (choices[k] for k in ("projects", "categories", "departments", "staff"))
project_names = dict(zip(projects["id"], projects["name"], strict=True))
staff_names = dict(zip(staff["id"], staff["display_name"], strict=True))
dept_names = dict(zip(depts["id"], depts["name_en" if en else "name"], strict=True))
children: dict[int, list] = {}  # each parent, then its categories indented (one pass, no frame filtering)
parent_names: dict[int, str] = {}
for cat_id, parent_id, name, parent in zip(cats["id"], cats["parent_id"], cats["name_en" if en else "name"],
                                           cats["parent_en" if en else "parent"], strict=True):
    parent_names.setdefault(int(parent_id), parent)
    children.setdefault(int(parent_id), []).append((int(cat_id), "　" + name))
cat_options = {}
for parent_id, parent in parent_names.items():
    cat_options[parent_id] = parent
    cat_options.update(children[parent_id])

@st.fragment
def desk_list() -> None:
    """Filters, counts per status and the worklist: a filter, a page turn or a sort reruns only
    this part (the open complaint's detail, its forms and timeline below are left as they are);
    picking another row reruns the whole page to open it."""
    now = actor.now()  # this part's own clock: it reruns without the page
    # ---- filters ------------------------------------------------------------------------------------
    with st.expander(t("desk.filters"), expanded=True):
        # an empty filter (None) is "all": shown by the placeholder, cleared with the select's own ×
        f1, f2, f3, f4 = st.columns(4)
        f_status = f1.selectbox(t("field.status"), status.STATUSES, index=None, key="complaints.f_status",
                                placeholder=t("common.all"), format_func=lambda v: label(v, "status"))
        f_grade = f2.selectbox(t("field.grade"), sla.GRADES, index=None, key="complaints.f_grade",
                               placeholder=t("common.all"), format_func=lambda v: label(v, "grade"))
        f_cat = f3.selectbox(t("field.category"), list(cat_options), index=None, key="complaints.f_category",
                             placeholder=t("common.all"), format_func=cat_options.get)
        f_dept = f4.selectbox(t("field.department"), depts["id"].tolist(), index=None, key="complaints.f_department",
                              placeholder=t("common.all"), format_func=dept_names.get)
        g1, g2, g3, g4 = st.columns(4)
        f_project = g1.selectbox(t("field.project"), projects["id"].tolist(), index=None, key="complaints.f_project",
                                 placeholder=t("residents.all_projects"), format_func=project_names.get)
        f_assignee = g2.selectbox(t("field.complaint_assignee"), staff["id"].tolist(), index=None,
                                  key="complaints.f_assignee", placeholder=t("common.all"), format_func=staff_names.get)
        f_dates = g3.date_input(t("field.date_from"), value=(), key="complaints.f_dates", format="YYYY-MM-DD")
        f_text = g4.text_input(t("field.text"), key="complaints.f_text")
        h1, h2, _ = st.columns([1, 1, 2])
        f_overdue = h1.toggle(t("field.overdue_only"), key="complaints.f_overdue")
        f_escalated = h2.toggle(t("field.escalated_only"), key="complaints.f_escalated")

    date_from = date_to = None
    if isinstance(f_dates, (list, tuple)) and len(f_dates) >= 1:
        date_from, date_to = f_dates[0], f_dates[-1]
    filters = reads.Filters(status=f_status, grade=f_grade, category_id=f_cat, department_id=f_dept,
                            project_id=f_project, assignee_id=f_assignee, date_from=date_from, date_to=date_to,
                            text=f_text, overdue_only=bool(f_overdue), escalated_only=bool(f_escalated))

    # ---- counts per status ----------------------------------------------------------------------------
    counts = live(reads.status_counts, db, actor, filters)  # per user, data version, minute
    TILES_PER_ROW = 5
    cols = [col for _ in range(0, len(status.STATUSES) + 1, TILES_PER_ROW) for col in st.columns(TILES_PER_ROW)]
    for col, s in zip(cols, status.STATUSES, strict=False):
        n, late = counts[s]
        late_key = "desk.late_n" if s in status.DONE_STATUSES else "desk.overdue_n"  # finished late, or still open and late
        col.metric(label(s, "status"), fmt.num(n), delta=t(late_key, n=late) if late else None, delta_color="inverse")
    cols[len(status.STATUSES)].metric(t("desk.count_total"), fmt.num(sum(n for n, _ in counts.values())))

    page_no = st.session_state.get("complaints.page", 0)
    worklist, more = live(reads.worklist, db, actor, filters, page_no, PAGE)

    headers = {"code": t("field.code"), "status": t("field.status"), "grade": t("field.grade"),
               "urgency": t("field.urgency"), "project": t("field.project"), "unit_text": t("field.unit"),
               "complainant_name": t("field.complainant"), "phone": t("field.phone"),
               "category": t("field.category"), "department": t("field.department"), "assignee": t("field.complaint_assignee"),
               "received_at": t("field.received_at"), "resolve_due_at": t("field.resolve_due_at"),
               "escalation_level": t("field.escalation"), "summary": t("field.summary")}
    status_names = {s: label(s, "status") for s in status.STATUSES}
    grade_names = {g: label(g, "grade") for g in sla.GRADES}
    urgency_names = {u: label(u, "urgency") for u in sla.URGENCIES}
    level_names = {lv: label(lv, "owner_level") for lv in complaints.OWNER_LEVELS}
    # on screen the columns a desk works by, fitted to 1440 px; the rest is in the detail and the export
    on_screen = ["code", "status", "grade", *(["project"] if len(projects) > 1 else []), "unit_text",
                 "complainant_name", "category", "assignee", "resolve_due_at", "summary"]
    widths = {"code": 116, "status": 60, "grade": 72, "project": 104, "unit_text": 60, "complainant_name": 64,
              "category": 96, "assignee": 96, "resolve_due_at": 124, "summary": 84 if "project" in on_screen else 184}  # + the overdue flag (56)

    def shown(frame):
        return frame.assign(
            status=frame["status"].map(status_names), grade=frame["grade"].map(grade_names),
            urgency=frame["urgency"].map(urgency_names),
            category=frame["category_en" if en else "category"],
            department=frame["department_en" if en else "department"],
            escalation_level=frame["escalation_level"].map(lambda v: "" if v == "project" else level_names.get(v, v)),
            received_at=frame["received_at"].map(lambda v: fmt.dt(v, tz)),
            resolve_due_at=frame["resolve_due_at"].map(lambda v: fmt.dt(v, tz))
        ).astype(object).fillna(t("common.none"))  # nothing shows as None or nan

    def due_compact(times):
        """fmt.dt_compact of a whole column at once (200 rows: one call, not 200)."""
        if hasattr(times, "dt") and times.dt.tz is not None:
            return times.dt.tz_convert(tz).dt.strftime("%Y-%m-%d %H:%M")
        return times.map(lambda v: fmt.dt_compact(v, tz))

    if worklist.empty:
        st.info(t("common.no_data"))
    else:
        imported = worklist["imported"].fillna(False).astype(bool)
        view = worklist.assign(  # only the columns on screen, formatted column-wise (the export has them all)
            # an imported complaint is marked 导入: the old system's, no limit runs for it (docs/domain.md)
            status=worklist["status"].map(status_names).where(~imported, worklist["status"].map(status_names)
                                                              + " · " + t("action.import")),
            grade=worklist["grade"].map(grade_names),
            category=worklist["category_en" if en else "category"], resolve_due_at=due_compact(worklist["resolve_due_at"]),
        )[on_screen].astype(object).fillna(t("common.none"))
        event = ui.overdue_table(view.rename(columns=headers), worklist["overdue"], hide_index=True, width="stretch",
                                 key="complaints.table", on_select="rerun", selection_mode="single-row",
                                 column_config={headers[k]: st.column_config.TextColumn(width=widths[k])
                                                for k in on_screen})
        rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
        picked = int(worklist.iloc[rows[0]]["id"]) if rows else None
        if picked is not None and picked != st.session_state.get("complaints.picked"):
            st.session_state["complaints.picked"] = st.session_state["complaints.open_id"] = picked
            if not in_page_run[0]:
                st.rerun()  # picked in a rerun of this part alone: the whole page, to open it below
        n1, n2, n3, n4 = st.columns([1, 1, 3, 3], vertical_alignment="center")
        first = page_no * PAGE + 1
        n3.caption(t("desk.rows_more" if more else "desk.rows_range", a=fmt.num(first), b=fmt.num(first + len(worklist) - 1)))
        if page_no > 0 and n1.button("←", key="complaints.prev"):
            st.session_state["complaints.page"] = page_no - 1
            st.rerun(scope="fragment")
        if more and n2.button("→", key="complaints.next"):
            st.session_state["complaints.page"] = page_no + 1
            st.rerun(scope="fragment")

        ui.downloads("complaints.export", lambda: exports.build("complaints", db, actor, exports.Request(
            options={"filters": filters, "now": now})), rows=None if more else len(worklist), choice=filters,
            container=n4)


in_page_run = [True]  # False once the page has run: a later call is a rerun of the fragment alone
desk_list()
in_page_run[0] = False

# ---- one complaint ----------------------------------------------------------------------------
st.divider()
code_in = st.text_input(t("desk.open"), key="complaints.open_code", placeholder="TS-2026-000123")
if code_in.strip():
    found = reads.find_by_code(db, actor, code_in)
    if found:
        st.session_state["complaints.open_id"] = found
    else:
        st.warning(t("complaint.error.not_found"))
open_id = st.session_state.get("complaints.open_id")
try:
    c = reads.complaint(db, actor, open_id, now) if open_id else None
except PermissionDenied:  # not in this user's scope (an id left from another session's state)
    c = None
if c is None:
    st.caption(t("desk.none_selected"))
    st.stop()

st.subheader(f"{c['code']} · {label(c['status'], 'status')}")
if c["overdue"]:
    st.error(f"{t('field.overdue')} · {t('field.resolve_due_at')} {fmt.dt(c['resolve_due_at'], tz)}")
if c["escalation_level"] != "project":
    st.warning(t("desk.to_escalated", level=label(c["escalation_level"], "owner_level")))
if c["status"] == "suspended":
    st.info(ui.plain_t("desk.paused", reason=c["suspend_reason"]))
if c["linked_code"]:
    st.caption(t("desk.linked", code=c["linked_code"]))
d1, d2, d3, d4 = st.columns(4)
# what users typed (names, units, reasons, results) is shown as plain text: ui.plain
d1.markdown(f"**{t('field.project')}**  \n" + ui.plain(f"{c['project']} {c['building_text'] or ''} {c['unit_text'] or ''}"))
d1.markdown(f"**{t('field.complainant')}**  \n" + ui.plain(" · ".join(
    v for v in (c["complainant_name"], c["phone_shown"], label(c["relation"], "relation")) if v)))
d2.markdown(f"**{t('field.category')}**  \n" + ui.plain(f"{c['category_parent_en' if en else 'category_parent']} / "
                                                          f"{c['category_en' if en else 'category']}"))
d2.markdown(f"**{t('field.channel')}**  \n" + ui.plain(f"{c['channel_en' if en else 'channel']} · {c['received_by_name']}"))
d3.markdown(f"**{t('field.validity')} / {t('field.grade')} / {t('field.urgency')}**  \n"
            f"{label(c['validity'], 'validity') or '—'} / {label(c['grade'], 'grade') or '—'} / "
            f"{label(c['urgency'], 'urgency')}")
d3.markdown(f"**{t('field.department')} / {t('field.complaint_assignee')}**  \n"
            + ui.plain(f"{c['department_en' if en else 'department'] or '—'} / {c['assignee'] or '—'}"))
d4.markdown(f"**{t('field.received_at')}**  \n{fmt.dt(c['received_at'], tz)}")
d4.markdown(f"**{t('field.first_response_due_at')} / {t('field.resolve_due_at')}**  \n"
            f"{fmt.dt(c['first_response_due_at'], tz)} / {fmt.dt(c['resolve_due_at'], tz)}")
st.markdown(f"**{t('desk.description')}**")
st.text(c["description"])
if c["result"]:
    st.markdown(f"**{t('field.result')}**：" + ui.plain(c["result"]))
for f in reads.attachments(db, actor, c["id"]):
    path = f["path"]
    if path.exists():
        st.download_button(f"📎 {ui.plain(f['file_name'])}", data=path.read_bytes(), file_name=f["file_name"],
                           mime=f["mime"], key=f"complaints.file.{f['id']}")

# ---- actions the status machine allows this role now ---------------------------------------------
st.markdown(f"#### {t('desk.actions')}")
actions = c["actions"]
done = st.session_state.pop("complaints.done", None)
if done:
    st.success(t("desk.done", action=label(done, "action")))
if not actions:
    st.caption(t("desk.no_actions"))
else:
    tabs = st.tabs([label(a, "action") for a in actions])
    version = c["version"]
    for action, tab in zip(actions, tabs, strict=True):
        def key(name: str, action=action) -> str:
            """Each complaint's own form state: opening B never shows or saves what was typed on A."""
            return f"complaints.{action}.{name}.{c['id']}"

        with tab, st.form(f"complaints.form.{action}", clear_on_submit=False):
            kw = {}
            if action == "judge":
                a1, a2, a3 = st.columns(3)
                kw["validity"] = a1.selectbox(t("field.validity"), complaints.VALIDITY, key=key("validity"),
                                              index=complaints.VALIDITY.index(c["validity"]) if c["validity"] else 0,
                                              format_func=lambda v: label(v, "validity"))
                kw["grade"] = a2.selectbox(t("field.grade"), sla.GRADES, key=key("grade"),
                                           index=sla.GRADES.index(c["grade"]) if c["grade"] else 0,
                                           format_func=lambda v: label(v, "grade"))
                kw["urgency"] = a3.selectbox(t("field.urgency"), sla.URGENCIES, key=key("urgency"),
                                             index=sla.URGENCIES.index(c["urgency"]),
                                             format_func=lambda v: label(v, "urgency"))
                kw["basis"] = st.text_area(t("field.validity_basis"), key=key("basis"),
                                           value=c["validity_basis"] or "",
                                           max_chars=max(limits.TEXT, len(c["validity_basis"] or "")))
            elif action == "dispatch":
                ids = depts["id"].tolist()
                default = c["department_id"] if c["department_id"] in ids else None
                kw["department_id"] = st.selectbox(
                    t("field.department"), ids, key=key("department"),
                    index=ids.index(default) if default is not None else 0,
                    format_func=dept_names.get)
                people = staff["id"].tolist()
                kw["assignee_id"] = st.selectbox(
                    t("field.complaint_assignee"), people, key=key("assignee"),
                    index=people.index(c["assignee_id"]) if c["assignee_id"] in people else None,
                    placeholder=t("desk.no_assignee"), format_func=staff_names.get)
            elif action == "handle":
                kw["handled_by"] = st.text_input(t("field.handled_by"), key=key("handled_by"), max_chars=limits.NAME)
                kw["content"] = st.text_area(t("field.content"), key=key("content"), max_chars=limits.TEXT)
            elif action == "progress":
                kw["method"] = st.selectbox(t("field.progress_method"), complaints.PROGRESS_METHODS,
                                            key=key("method"),
                                            format_func=lambda v: label(v, "progress_method"))
                kw["content"] = st.text_area(t("field.content"), key=key("content"), max_chars=limits.TEXT)
            elif action == "suspend":
                kw["reason"] = st.text_input(t("field.suspend_reason"), key=key("reason"), max_chars=limits.TEXT)
            elif action == "resolve":
                kw["result"] = st.text_area(t("field.result"), key=key("result"), max_chars=limits.TEXT)
                kw["serious"] = st.checkbox(t("field.serious_complaint"), key=key("serious"),
                                            help=t("field.serious_complaint_help"))
            elif action == "close":
                if c["validity"] == "invalid":
                    kw["explanation"] = st.text_area(t("field.close_explanation"), key=key("explanation"), max_chars=limits.TEXT)
                else:
                    kw["confirmed_by"] = st.text_input(t("field.confirmed_by"), key=key("confirmed_by"),
                                                       value=c["complainant_name"],
                                                       max_chars=max(limits.NAME, len(c["complainant_name"] or "")))
                    kw["satisfied"] = st.checkbox(t("field.close_satisfied"), key=key("satisfied"))
            elif action == "reopen":
                kw["reason"] = st.text_input(t("field.reopen_reason"), key=key("reason"), max_chars=limits.TEXT)
            submitted = st.form_submit_button(label(action, "action"), type="primary")
        if submitted:
            try:
                if action == "judge":
                    commands.judge(db, actor, c["id"], version, kw["validity"], kw["basis"], kw["grade"],
                                     kw["urgency"])
                elif action == "dispatch":
                    commands.dispatch(db, actor, c["id"], version, kw["department_id"], kw["assignee_id"])
                elif action == "handle":
                    commands.add_handling(db, actor, c["id"], version, kw["handled_by"], kw["content"])
                elif action == "progress":
                    commands.add_progress(db, actor, c["id"], version, kw["method"], kw["content"])
                elif action == "suspend":
                    commands.suspend(db, actor, c["id"], version, kw["reason"])
                elif action == "resume":
                    commands.resume(db, actor, c["id"], version)
                elif action == "resolve":
                    commands.resolve(db, actor, c["id"], version, kw["result"], serious=kw["serious"])
                elif action == "close":
                    commands.close(db, actor, c["id"], version, **kw)
                elif action == "reopen":
                    commands.reopen(db, actor, c["id"], version, kw["reason"])
                st.session_state["complaints.done"] = action
                for k in [k for k in st.session_state if k.startswith(f"complaints.{action}.")
                          and k.endswith(f".{c['id']}")]:
                    del st.session_state[k]  # saved: the next record on this complaint starts empty
                st.rerun()
            except UserError as exc:
                with tab:
                    ui.show_error(exc)

# ---- timeline -------------------------------------------------------------------------------------
st.markdown(f"#### {t('desk.timeline')}")
tl = reads.timeline(db, actor, c["id"])  # missing values as None; system notes rendered


def _describe(r) -> str:
    if r["kind"] == "history" and r["field"]:
        values = {"status": "status", "grade": "grade", "urgency": "urgency", "validity": "validity",
                  "owner_level": "owner_level", "escalation_level": "owner_level"}
        prefix = values.get(r["field"])

        def shown_value(v):
            if v is None:
                return "—"
            if prefix:
                return label(v, prefix)
            if r["field"] == "department_id":
                return dept_names.get(int(v), v)
            if r["field"] == "assignee_id":
                return staff_names.get(int(v), v)
            if r["field"].endswith("_at"):
                return fmt.dt(datetime.fromisoformat(v), tz)
            return v

        a, b = shown_value(r["from_value"]), shown_value(r["to_value"])
        name = t(f"field.{r['field']}") if r["field"] not in ("department_id", "assignee_id") \
            else t("field.department" if r["field"] == "department_id" else "field.complaint_assignee")
        note = r["content"]
        if r["action"] == "escalate" and note and has(f"desk.escalate_note.{note}"):
            note = t(f"desk.escalate_note.{note}")  # which due time was missed, stored as a code
        return f"{name}: {a or '—'} → {b or '—'}" + (f"（{note}）" if note else "")
    return r["content"] or ""


if not tl.empty:
    st.dataframe(tl.assign(
        at_time=tl["at_time"].map(lambda v: fmt.dt(v, tz)),
        kind=tl["kind"].map(lambda v: t(f"timeline.{v}")),
        action=[label(a, "action") if k in ("history", "handling") else
                (label(a, "progress_method") if k == "progress" else label(a, "satisfaction") or a)
                for a, k in zip(tl["action"], tl["kind"], strict=True)],
        detail=[_describe(r) for r in tl.to_dict("records")],
        who=tl["who"].map(lambda v: t("timeline.system") if v is None else v),
    )[["at_time", "kind", "action", "who", "detail"]].rename(columns={
        "at_time": t("timeline.at"), "kind": t("timeline.kind"), "action": t("timeline.action"),
        "who": t("timeline.who"), "detail": t("timeline.detail")}),
        hide_index=True, width="stretch", key="complaints.timeline")
