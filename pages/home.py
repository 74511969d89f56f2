"""Home: my inbox (what my role must act on: notices, assigned and due complaints, due revisits,
overdue corrective actions), 30 a page, then my scope at a glance."""

import pandas as pd
import streamlit as st

from csm import complaints, fmt
from csm.complaints import commands, reads
from csm.dashboards import digest
from csm.i18n import label, t
from csm.org.scope import describe
from csm.web import ui
from csm.web.cache import cached, live

user = ui.guard("home")
db, actor = ui.acting(user)
now = actor.now()
tz = actor.tz

st.subheader(ui.plain_t("home.welcome", name=user["display_name"]))
st.caption(ui.plain_t("home.scope", scope=describe(db, actor.scope)))

if user["role"] in digest.ROLES:  # the daily digest written by the scheduler (python -m csm digest)
    latest = live(digest.latest, db, actor)  # the user's own digest
    if latest:
        with st.expander(t("digest.title", day=latest["day"].isoformat()), expanded=True):
            for col, key in zip(st.columns(len(digest.FIGURES)), digest.FIGURES, strict=True):
                col.metric(t(f"digest.fig.{key}"), fmt.num(latest["figures"].get(key)))
            if latest["file"] is not None and latest["file"].exists():
                st.download_button(t("digest.download"), data=latest["file"].read_bytes(),
                                   file_name=latest["file"].name, key="home.digest_file",
                                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def kind_name(item) -> str:
    if item["source"] == "notice" or item["kind"] == "assigned":
        return label(item["kind"], "notice")
    return t(f"inbox.kind.{item['kind']}")


def status_name(item) -> str:
    prefix = {"revisit": "revisit_kind", "action": "survey_action_status"}.get(item["source"], "status")
    return label(item["status"], prefix)


def due_text(item) -> str:
    if item["source"] == "action":
        text = f"{t('field.survey_action_deadline')} {fmt.dt(item['due_on'], tz, with_time=False)}"
    else:
        name = t("field.due_at") if item["source"] == "revisit" else t("inbox.due")
        text = f"{name} {fmt.dt(item['due_at'], tz) if pd.notna(item['due_at']) else t('common.none')}"
    return f":red[{text} · {t('inbox.late')}]" if item["overdue"] else text


def open_item(item) -> None:
    """Opens the page where the item is worked on, with the item picked there."""
    if item["source"] == "revisit":
        st.session_state["revisits.task"] = int(item["ref_id"])
        # the queue's bucket the task is in, so that it is among the listed tasks there
        st.session_state["revisits.bucket"] = "overdue" if item["kind"] == "revisit_overdue" else "today"
        st.switch_page("pages/revisits.py")
    if item["source"] == "action":
        st.session_state["survey_actions.pick"] = int(item["ref_id"])
        st.switch_page("pages/survey_actions.py")
    if pd.notna(item["notice_id"]):
        commands.mark_read(db, actor, int(item["notice_id"]))
    st.session_state["complaints.open_id"] = int(item["complaint_id"])
    st.switch_page("pages/complaints.py")


if user["role"] != "admin":
    st.markdown(f"#### {t('inbox.title')}")
    per_page = complaints.INBOX_PAGE
    page_no = int(st.session_state.get("home.inbox_page") or 0)
    items, total = live(reads.inbox_page, db, actor, page_no, per_page)  # per user, data version, minute
    pages = max((total - 1) // per_page + 1, 1)
    if page_no >= pages:  # the list got shorter meanwhile: inbox_page gave the last page
        page_no = pages - 1
        st.session_state["home.inbox_page"] = page_no
    if items.empty:
        st.info(t("inbox.empty"))
    else:
        first = page_no * per_page + 1
        p1, p2 = st.columns([3, 1], vertical_alignment="bottom")
        p1.caption(t("inbox.count", n=fmt.num(total)) + " · "
                   + t("inbox.showing", first=first, last=first + len(items) - 1))
        if pages > 1:
            p2.selectbox(t("inbox.page"), list(range(pages)), key="home.inbox_page",
                         format_func=lambda n: t("inbox.page_of", n=n + 1, pages=pages))
        for item in items.to_dict("records"):
            item["overdue"] = bool(item["overdue"]) if pd.notna(item["overdue"]) else False
            key = f"{item['source']}.{item['ref_id']}.{item['notice_id'] if pd.notna(item['notice_id']) else ''}"
            c1, c2, c3, c4 = st.columns([2, 5, 1, 1])
            c1.markdown(f"**{kind_name(item)}**  \n{ui.plain(item['code'])}")
            # the summary is what a user typed (a description, a revisit's contact, an action's problem)
            c2.markdown(f"{ui.plain(item['project'])} · {status_name(item)} · {due_text(item)}  \n"
                        + ui.plain(item["summary"] or ""))
            if c3.button(t("inbox.open"), key=f"home.open.{key}"):
                open_item(item)
            if item["source"] == "notice" and c4.button(t("inbox.mark_read"), key=f"home.read.{key}"):
                commands.mark_read(db, actor, int(item["notice_id"]))
                st.rerun()

counts = cached(reads.home_counts, db, actor)  # four counts of the whole scope: once per data version
cols = st.columns(4)
for col, key in zip(cols, ("branches", "projects", "units", "residents"), strict=False):
    col.metric(t(f"home.stats.{key}"), fmt.num(counts[key]))
st.info(t("home.intro"))
