"""Reports (DOMAIN §6): the statistical analysis report as PDF, the monthly complaint summary and the
opinion handling overview as Excel, for a period and a project within the user's scope."""

import streamlit as st

from csm import exports as export_tables
from csm.dashboards import exports, reads, report
from csm.errors import UserError
from csm.i18n import t
from csm.org.scope import Scope, describe
from csm.web import ui
from csm.web.periods import period_picker
from csm.web.progress import export_progress

user = ui.guard("reports")
db, actor = ui.acting(user)

KINDS = ("analysis", "monthly", "opinion")
kind = st.segmented_control(t("reports.kind"), KINDS, default="analysis", required=True,
                            format_func=lambda k: t(f"reports.kind.{k}"), key="reports.kind")
c1, c2 = st.columns([3, 2])
scope = None
if actor.scope.kind != "project":
    names = {p["id"]: f"{p['name']}（{p['branch']}）" for p in reads.projects(db, actor)}
    project_id = c2.selectbox(t("dash.project"), [0, *names], key="reports.project",
                              format_func=lambda v: t("dash.all_projects", scope=describe(db, actor.scope))
                              if not v else names[v])
    scope = Scope("project", project_id) if project_id else None
wave_id = None
if kind == "opinion":
    waves = {w["wave_id"]: f"{w['code']} · {w['name']}" for w in reversed(reads.survey_waves(db, actor, scope))}
    if not waves:
        st.info(t("reports.no_wave"))
        st.stop()
    wave_id = c1.selectbox(t("reports.wave"), list(waves), format_func=waves.get, key="reports.wave")
else:
    period = period_picker("reports", actor.today(), default="half_year" if kind == "analysis" else "last_month",
                           container=c1)
st.caption(t("reports.survey_stats_hint"))

# the file made last, for this choice only (a changed choice never downloads the previous file)
choice = (kind, scope, wave_id, None if kind == "opinion" else (period.first, period.last))
if st.button(t("reports.make"), type="primary", key="reports.make"):
    try:
        with export_progress() as step:
            step("read")
            if kind == "analysis":
                made = report.build(db, actor, period, scope)
                step("pdf")
                data, name, mime = report.pdf(made), f"统计分析报告_{period.first}_{period.last}.pdf", "application/pdf"
                step.done(name)
            else:  # the same table as Excel and as CSV (csm.exports, the one writer)
                table = export_tables.build("monthly_summary" if kind == "monthly" else "opinion_overview", db, actor,
                                            export_tables.Request(None if kind == "opinion" else period.first,
                                                                  None if kind == "opinion" else period.last,
                                                                  {"scope": scope, "wave_id": wave_id}))
                step("write", n=len(table))
                data = export_tables.write(table, "xlsx", actor.tz, step.moving(0.5, 0.9, len(table)))
                csv_data = export_tables.write(table, "csv", actor.tz, step.moving(0.9, 1.0, len(table), "export.step.csv"))
                name, mime = export_tables.file_name(table, "xlsx"), exports.XLSX
                step.done(name, len(table))
        st.session_state["reports.file"] = {"choice": choice, "data": data, "name": name, "mime": mime,
                                            "csv": None if kind == "analysis" else csv_data}
    except UserError as exc:
        ui.show_error(exc)
made_file = st.session_state.get("reports.file")
if made_file and made_file["choice"] == choice:
    st.download_button(t("reports.download") + f"：{made_file['name']}", data=made_file["data"],
                       file_name=made_file["name"], mime=made_file["mime"], key="reports.download")
    if made_file.get("csv") is not None:
        st.download_button(t("export.csv"), data=made_file["csv"], file_name=made_file["name"].rsplit(".", 1)[0] + ".csv",
                           mime="text/csv", key="reports.download_csv", help=t("export.csv_help"))
