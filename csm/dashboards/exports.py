"""The reports managers print or send (DOMAIN §6) as tables: the monthly complaint summary and the
opinion handling overview; each returns the rows and the headers in the user's language, and the
Excel file is written from exactly those (csm.excel)."""

from __future__ import annotations

import pandas as pd

from csm import excel, policy, privacy
from csm.actor import Actor
from csm.dashboards.kpis import Period
from csm.db import Database
from csm.i18n import label, t
from csm.org.scope import Scope


def monthly_summary(db: Database, actor: Actor, period: Period, scope: Scope | None = None
                    ) -> tuple[pd.DataFrame, dict[str, str]]:
    """月度投诉记录汇总表: code, nature, judgement and its basis, completed or not, per project and month."""
    policy.ensure(actor, "dashboards.report")
    scope = policy.narrow(db, actor, scope)
    start, end = period.bounds(actor.tz)
    rows = db.rows("dashboards/report_monthly_complaints", {**scope.params(), "period_start": start, "period_end": end})
    en = actor.lang == "en"
    group = privacy.group_view(actor)  # head office: the basis may quote a unit number (csm.privacy)
    frame = pd.DataFrame([{
        "branch": r["branch"], "project": r["project"], "month": r["month"], "code": r["code"],
        "received_at": r["received_at"],
        "category": f"{r['category_en'] if en else r['category']} / {r['subcategory_en'] if en else r['subcategory']}",
        "validity": label(r["validity"], "validity") or t("report.unjudged"),
        "validity_basis": (privacy.redact(r["validity_basis"]) if group else r["validity_basis"]) or "",
        "grade": label(r["grade"], "grade") or t("report.unjudged"),
        "status": label(r["status"], "status"),
        "completed": t("common.yes") if r["completed"] else t("common.no"),
        "completed_at": r["completed_at"]} for r in rows],
        columns=["branch", "project", "month", "code", "received_at", "category", "validity", "validity_basis",
                 "grade", "status", "completed", "completed_at"])
    headers = {c: t(f"export.monthly.{c}") for c in frame.columns}
    return frame, headers


def opinion_overview(db: Database, actor: Actor, wave_id: int, scope: Scope | None = None
                     ) -> tuple[pd.DataFrame, dict[str, str]]:
    """顾客意见处理情况一览表 of one wave per project."""
    policy.ensure(actor, "dashboards.report")
    scope = policy.narrow(db, actor, scope)
    rows = db.rows("dashboards/report_opinion_overview", {**scope.params(), "wave_id": wave_id})
    frame = pd.DataFrame(rows, columns=["branch", "project", "issued", "returned", "unsatisfied_answers",
                                        "low_scores", "revisits", "revisits_done", "actions", "actions_done"])
    headers = {c: t(f"export.opinion.{c}") for c in frame.columns}
    return frame, headers


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(frame: pd.DataFrame, headers: dict[str, str], sheet: str, tz: str) -> bytes:
    return excel.frame_to_xlsx(frame, headers, sheet, tz=tz)
