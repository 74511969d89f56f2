"""Revisit queue (回访): indicators, due today / overdue / upcoming, assign, record, export."""

import streamlit as st

from csm import exports, fmt, limits, revisits
from csm.errors import UserError
from csm.i18n import label, labels, t
from csm.revisits import commands, reads
from csm.web import ui
from csm.web.cache import cached, live

LIMIT = ui.TABLE_ROWS

user = ui.guard("revisits")
db, actor = ui.acting(user)

# ---- indicators of this month (definitions beside the figures) ----------------------------
ind = cached(reads.month_indicators, db, actor)  # this month's figures: once per data version
st.caption(t("revisit.indicators.period"))
c1, c2, c3 = st.columns(3)
c1.metric(t("revisit.indicators.rate"), fmt.pct(ind.get("revisit_rate")), help=t("revisit.indicators.rate_help"))
c2.metric(t("revisit.indicators.on_time"), fmt.pct(ind.get("on_time_rate")),
          help=t("revisit.indicators.on_time_help"))
c3.metric(t("revisit.indicators.satisfaction"), fmt.pct(ind.get("satisfaction_rate")),
          help=t("revisit.indicators.satisfaction_help"))

# ---- filters and counts ----------------------------------------------------------------------
choices = cached(reads.choices, db, actor)
project_names = {p["id"]: p["name"] for p in choices["projects"]}
staff_names = {s["id"]: s["display_name"] for s in choices["staff"]}
staff_ids = list(staff_names)
f1, f2, f3, f4 = st.columns([2, 1, 1, 1])
bucket = f1.segmented_control(t("revisit.queue"), list(revisits.rules.BUCKETS),
                              format_func=lambda b: t(f"bucket.{b}"), default="all", key="revisits.bucket")
kind = f2.selectbox(t("field.kind"), [None, *revisits.KINDS], placeholder=t("common.choose"), key="revisits.kind",
                    format_func=lambda k: t("bucket.all") if k is None else label(k, "revisit_kind"))
project_id = f3.selectbox(t("field.project"), [None, *project_names], placeholder=t("common.choose"), key="revisits.project",
                          format_func=lambda v: t("residents.all_projects") if v is None
                          else project_names[v])
assignee_id = f4.selectbox(t("field.assignee"), [None, *staff_ids], placeholder=t("common.choose"), key="revisits.assignee",
                           format_func=lambda v: t("bucket.all") if v is None
                           else staff_names[v])
filters = reads.Filters(bucket=bucket or "all", kind=kind, project_id=project_id, assignee_id=assignee_id)
counts = live(reads.queue_counts, db, actor, filters)  # per user, data version, minute
k1, k2, k3, k4 = st.columns(4)
k1.metric(t("bucket.overdue"), fmt.num(counts["overdue"]))
k2.metric(t("bucket.today"), fmt.num(counts["today"]))
k3.metric(t("bucket.upcoming"), fmt.num(counts["upcoming"]))
k4.metric(t("bucket.flagged"), fmt.num(counts["flagged"]))

queue = live(reads.tasks, db, actor, filters, limit=LIMIT + 1)
if len(queue) > LIMIT:
    st.caption(t("common.showing_first", n=LIMIT))
    queue = queue.head(LIMIT)
headers = {"id": "#", "kind": t("field.kind"), "project": t("field.project"), "unit_text": t("field.unit"),
           "contact_name": t("field.contact_name"), "contact_phone": t("field.phone"),
           "event_at": t("field.event_at"), "due_at": t("field.due_at"), "assignee": t("field.assignee"),
           "failed_attempts": t("field.failed_attempts")}
if queue.empty:
    st.info(t("common.no_data"))
else:
    shown = queue.assign(kind=queue["kind"].map(lambda k: label(k, "revisit_kind")),
                         event_at=queue["event_at"].map(lambda v: fmt.dt(v, actor.tz)),
                         due_at=queue["due_at"].map(lambda v: fmt.dt(v, actor.tz)))
    ui.overdue_table(shown[list(headers)].rename(columns=headers), queue["overdue"], hide_index=True,
                     width="stretch", key="revisits.table")
    ui.downloads("revisits.export", lambda: exports.build("revisits", db, actor, exports.Request(
        options={"filters": filters})), rows=len(queue) if len(queue) < LIMIT else None, choice=filters)

    # ---- one task: assign and record -------------------------------------------------------
    st.subheader(t("revisit.record"))
    task_labels = {r["id"]: f"#{r['id']} · {label(r['kind'], 'revisit_kind')} · {r['project']} "
                   f"{r['unit_text'] or ''} · {r['contact_name'] or ''}" for r in queue.to_dict("records")}
    task_id = st.selectbox(t("revisit.pick_task"), queue["id"].tolist(), placeholder=t("common.choose"), key="revisits.task",
                           format_func=task_labels.get)
    task = live(reads.task, db, actor, task_id)
    if task is not None:
        a1, a2 = st.columns([3, 1])
        who = a1.selectbox(t("field.assignee"), [None, *staff_ids], placeholder=t("common.choose"), key=f"revisits.assign_to.{task_id}",
                           index=([None, *staff_ids].index(task["assignee_id"])
                                  if task["assignee_id"] in staff_ids else 0),
                           format_func=lambda v: t("revisit.nobody") if v is None
                           else staff_names[v])
        if a2.button(t("revisit.assign"), key=f"revisits.assign_btn.{task_id}"):
            try:
                commands.assign(db, actor, task_id, task["version"], who)
                st.success(t("revisit.assigned"))
                st.rerun()
            except UserError as exc:
                ui.show_error(exc)

        # Every widget of the task is keyed by the task: picking another task shows (and saves)
        # that task's own values, never what was typed or preset for the previous one.
        with st.form("revisits.form", clear_on_submit=False):
            r1, r2, r3 = st.columns(3)
            method = r1.selectbox(t("field.revisit_method"), revisits.METHODS, placeholder=t("common.choose"), key=f"revisits.method.{task_id}",
                                  format_func=lambda m: label(m, "revisit_method"))
            reached = r2.radio(t("field.reached"), [True, False], horizontal=True, key=f"revisits.reached.{task_id}",
                               format_func=lambda v: t("common.yes") if v else t("common.no"))
            fail_reason = r3.selectbox(t("field.fail_reason"), [None, *revisits.FAIL_REASONS],
                                       placeholder=t("common.choose"), key=f"revisits.fail_reason.{task_id}",
                                       format_func=lambda v: "" if v is None else label(v, "fail_reason"))
            p1, p2, p3 = st.columns(3)
            person = p1.text_input(t("field.person_reached"), key=f"revisits.person.{task_id}",
                                   value=task["contact_name"] or "",
                                   max_chars=max(limits.NAME, len(task["contact_name"] or "")))
            relation = p2.selectbox(t("field.relation_to_complainant"), revisits.RELATIONS,
                                    placeholder=t("common.choose"), key=f"revisits.relation.{task_id}", format_func=lambda v: label(v, "relation"))
            satisfaction = p3.selectbox(t("field.satisfaction"), [None, *revisits.SATISFACTION],
                                        placeholder=t("common.choose"), key=f"revisits.satisfaction.{task_id}",
                                        format_func=lambda v: "" if v is None else label(v, "satisfaction"))
            aspects = {}
            if revisits.rules.needs_aspects(task["kind"]):
                q1, q2, q3 = st.columns(3)
                for col, aspect in zip((q1, q2, q3), revisits.rules.REPAIR_ASPECTS, strict=False):
                    aspects[aspect] = col.selectbox(
                        t(f"field.repair_{aspect}"), [None, *revisits.SATISFACTION], placeholder=t("common.choose"), key=f"revisits.{aspect}.{task_id}",
                        format_func=lambda v: "" if v is None else label(v, "satisfaction"))
            comments = st.text_area(t("field.comments"), key=f"revisits.comments.{task_id}",
                                    max_chars=limits.TEXT)
            serious = st.checkbox(t("field.serious"), key=f"revisits.serious.{task_id}")
            submitted = st.form_submit_button(t("common.save"), type="primary")
        if submitted:
            attempt = revisits.Attempt(method=method, reached=reached, fail_reason=fail_reason,
                                       person_reached=person, relation=relation, satisfaction=satisfaction,
                                       comments=comments, serious=serious, **aspects)
            try:
                out = commands.record_revisit(db, actor, task_id, task["version"], attempt)
                if out["reopened_complaint_id"] or out["new_complaint_id"]:
                    key = "revisit.saved_reopened" if out["reopened_complaint_id"] else "revisit.saved_new_complaint"
                    st.warning(t(key, code=out["complaint_code"]))
                elif out["done"]:
                    st.success(t("revisit.saved_done"))
                elif out["flagged"]:
                    st.warning(t("revisit.saved_flagged", n=out["failed_attempts"]))
                else:
                    st.info(t("revisit.saved_failed"))
            except UserError as exc:
                ui.show_error(exc)

        attempts = live(reads.attempts, db, actor, task_id)
        if not attempts.empty:
            st.caption(t("revisit.history"))
            st.dataframe(fmt.blank_missing(attempts.assign(
                attempt_at=attempts["attempt_at"].map(lambda v: fmt.dt(v, actor.tz)),
                method=labels(attempts["method"], "revisit_method"),
                satisfaction=labels(attempts["satisfaction"], "satisfaction"),
                fail_reason=labels(attempts["fail_reason"], "fail_reason"),
            )[["attempt_at", "by_user", "method", "reached", "fail_reason", "person_reached", "satisfaction",
               "comments"]].rename(columns={
                   "attempt_at": t("field.attempt_at"), "by_user": t("field.assignee"),
                   "method": t("field.revisit_method"), "reached": t("field.reached"),
                   "fail_reason": t("field.fail_reason"), "person_reached": t("field.person_reached"),
                   "satisfaction": t("field.satisfaction"), "comments": t("field.comments")})),
                hide_index=True, width="stretch", key=f"revisits.attempts.{task_id}")
