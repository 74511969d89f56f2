"""Every export (issue 11 "Exports", issue 12 formula escaping, issue 10 Excel and group scope):
one writer (csm.excel) for Excel and CSV, every list and report by name (csm.exports), the two
buttons of the pages (csm.web.ui.downloads) and `python -m csm export` for scheduled jobs.

The demo database gets hostile text where a resident or a clerk types it (a complainant called
`=HYPERLINK(...)`, a unit `@SUM(...)`, a project renamed `=HYPERLINK(...)`, a wave name starting
with a tab...), and each export must give it back as text: openpyxl reads no formula cell
(data_type 'f') and the CSV field starts with a single quote; numbers stay numbers."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pandas as pd
import pytest

from csm import excel, exports
from csm.actor import Actor
from csm.db import Database
from csm.org.scope import Scope
from tests.conftest import actor, project_id

PERIOD = exports.Request(date(2026, 1, 1), date(2026, 8, 31))

# where the hostile text is planted: (table, column, row filter, text)
HOSTILE = {
    "project": '=HYPERLINK("http://evil.example/?x=1","锦绣花园")',
    "branch": "@SUM(1+1)*cmd|' /C calc'!A0",
    "complainant": "=cmd|' /C calc'!A0",
    "description": "-2+3 楼上漏水 =HYPERLINK(\"http://evil.example\")",
    "contact": "+86 =1+1",
    "resident": "=1+1 王先生",
    "wave": "\t=1+1 年度调查",
    "problem": "\r=1+1 保洁不及时",
    "form_unit": "@A1 单元",
    "display_name": "-1+1 管理员",
    "audit_actor": "=audit()",
    "department": "=1+1 工程部",
    "service": "+1 更换角阀 =1+1",
}


def plant(db: Database) -> None:
    """Hostile text where people type it (the import and the forms may refuse some today; the
    exports must be safe whatever got into the database)."""
    cur = db.cursor()
    q = cur.execute
    q("UPDATE projects SET name = ? WHERE code = 'P001'", [HOSTILE["project"]])
    q("UPDATE branches SET name = ? WHERE code = 'B01'", [HOSTILE["branch"]])
    q("UPDATE departments SET name = ? WHERE code = 'ENG'", [HOSTILE["department"]])
    q("UPDATE service_records SET description = ?", [HOSTILE["service"]])
    first = q("SELECT min(c.id) FROM complaints c JOIN projects p ON p.id = c.project_id WHERE p.code = 'P001' "
              "AND c.received_at >= TIMESTAMPTZ '2026-01-01 00:00:00+08' "
              "AND c.received_at < TIMESTAMPTZ '2026-09-01 00:00:00+08'").fetchone()[0]
    q("UPDATE complaints SET complainant_name = ?, description = ? WHERE id = ?",
      [HOSTILE["complainant"], HOSTILE["description"], first])
    q("UPDATE revisit_tasks SET contact_name = ? WHERE id = (SELECT min(id) FROM revisit_tasks WHERE status = 'open')",
      [HOSTILE["contact"]])
    q("UPDATE residents SET name = ? WHERE id = (SELECT min(r.id) FROM residents r JOIN projects p "
      "ON p.id = r.project_id WHERE p.code = 'P001')", [HOSTILE["resident"]])
    q("UPDATE survey_waves SET name = ?", [HOSTILE["wave"]])
    q("UPDATE survey_actions SET problem = ?", [HOSTILE["problem"]])
    q("UPDATE survey_responses SET unit_text = ?", [HOSTILE["form_unit"]])
    q("UPDATE users SET display_name = ? WHERE username = 'admin'", [HOSTILE["display_name"]])
    q("INSERT INTO audit_log (actor, action, entity, entity_id, at_time) "
      "VALUES (?, 'update', 'branch', '=2+2', TIMESTAMPTZ '2026-03-01 10:00:00+08')", [HOSTILE["audit_actor"]])


@pytest.fixture
def hostile(db):
    plant(db)
    return db


def who(name: str) -> str:
    """The demo user each export is tried as: the widest role allowed to read it."""
    return {"admin": "admin", "manager": "manager_b1"}.get(exports.EXPORTS[name].role, "hq")


def options(name: str) -> dict:
    return {"survey_statistics": {"level": "project"}}.get(name, {})


def cells(data: bytes) -> list[list]:
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    return [[c for c in row] for row in ws.iter_rows()]


def xml_text(text: str) -> str:
    """A text as a workbook gives it back: XML turns a carriage return into a line feed."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "a CSV for Excel starts with the UTF-8 BOM"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


# ---- the writer --------------------------------------------------------------------------------
def test_formula_like_text_is_text_and_numbers_stay_numbers():
    frame = pd.DataFrame({
        "text": ["=HYPERLINK(\"http://x\",\"点我\")", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "普通 - 文字"],
        "n": [-5, -0.5, 0, 3, 1_000_000, -12, 7],
        "at": pd.to_datetime(["2026-03-05 06:30Z"] * 7)})
    headers = {"text": "文字", "n": "数量", "at": "时间"}
    book = cells(excel.frame_to_xlsx(frame, headers, "表", tz="Asia/Shanghai"))
    assert [c.value for c in book[0]] == ["文字", "数量", "时间"]
    for row, (text, n) in zip(book[1:], zip(frame["text"], frame["n"], strict=True), strict=True):
        assert row[0].value == xml_text(text) and row[0].data_type == "s"  # as typed, never a formula
        assert row[1].value == n and row[1].data_type == "n"     # -5 stays the number -5
        assert row[2].value.isoformat() == "2026-03-05T14:30:00"  # in the company's zone
    rows = csv_rows(excel.frame_to_csv(frame, headers, tz="Asia/Shanghai"))
    assert rows[0] == ["文字", "数量", "时间"]
    assert [r[0] for r in rows[1:]] == ["'" + v for v in frame["text"][:6]] + ["普通 - 文字"]
    assert [r[1] for r in rows[1:]] == ["-5", "-0.5", "0", "3", "1000000", "-12", "7"]
    assert rows[1][2] == "2026-03-05 14:30"


def test_excel_has_frozen_bold_header_widths_red_rows_and_no_row_cap():
    n = 3_000  # well past every screen's row limit
    frame = pd.DataFrame({"code": [f"TS-{i:06d}" for i in range(n)], "late": [i % 2 == 0 for i in range(n)],
                          "描述": ["很长的一段中文描述文字" * 3] * n})
    data = excel.frame_to_xlsx(frame, {"code": "投诉编号", "描述": "描述"}, "投诉", red_rows=frame["late"])
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws.max_row == n + 1 and ws.freeze_panes == "A2" and ws["A1"].font.b
    assert ws.column_dimensions["B"].width > ws.column_dimensions["A"].width >= 8
    assert ws["A2"].fill.start_color.rgb == excel.RED.start_color.rgb  # row 0 is late
    assert ws["A3"].fill.start_color.rgb != excel.RED.start_color.rgb


# ---- every export ------------------------------------------------------------------------------
def expected_from_read(name: str, db: Database, a: Actor) -> tuple[str, list]:
    """(column id, values) of the export worked out from the capability's own read, as the page
    shows it (the export must hold the same rows and figures)."""
    from csm.admin import reads as admin
    from csm.complaints import reads as desk
    from csm.dashboards import comparison, kpis
    from csm.dashboards import exports as reports
    from csm.org import reads as org
    from csm.revisits import reads as revisits
    from csm.surveys import reads as surveys

    big = 1_000_000

    def latest_wave() -> int:
        return int(surveys.waves(db, a, with_drafts=False).iloc[0]["id"])

    period = kpis.Period(PERIOD.first, PERIOD.last)
    if name == "complaints":
        return "code", desk.worklist_export(db, a, desk.Filters(date_from=PERIOD.first, date_to=PERIOD.last))["code"].tolist()
    if name == "revisits":
        return "id", revisits.tasks(db, a, revisits.Filters(), limit=big)["id"].tolist()
    if name == "residents":
        return "unit", org.residents(db, a, None, None, limit=big)["unit"].tolist()
    if name == "survey_waves":  # those overlapping the period asked
        waves = surveys.waves(db, a)
        overlap = (pd.to_datetime(waves["starts_on"]).dt.date <= PERIOD.last) & (
            pd.to_datetime(waves["ends_on"]).dt.date >= PERIOD.first)
        return "code", waves[overlap]["code"].tolist()
    if name == "survey_forms":
        return "id", surveys.forms_behind(db, a, latest_wave(), None, None, big)["id"].tolist()
    if name == "survey_statistics":
        table = surveys.satisfaction(db, a, latest_wave(), "project")
        return "satisfaction_rate", [None if pd.isna(v) else round(v * 100, 1) for v in table["satisfaction_rate"]]
    if name == "survey_actions":
        return "id", surveys.actions(db, a)["id"].tolist()
    if name == "dashboard":
        measured = kpis.measure(db, a, period)
        return "value", [comparison._number(k, measured[k.key]) for k in kpis.KPIS]
    if name == "service_records":
        return "id", revisits.service_list(db, a, PERIOD.first, PERIOD.last)["id"].tolist()
    if name == "close_hours":
        from csm.dashboards import reads as dash

        return "close_p50", [round(r["close_p50"], 1) for r in dash.close_hours_by_department(db, a, period)]
    if name == "comparison":
        rows, _ = comparison.table(comparison.league(db, a, period), "on_time_rate")
        return "focus", [r["focus"] for r in rows]
    if name == "monthly_summary":
        return "code", reports.monthly_summary(db, a, period)[0]["code"].tolist()
    if name == "opinion_overview":
        return "returned", reports.opinion_overview(db, a, latest_wave())[0]["returned"].tolist()
    if name == "audit":
        return "entity_id", admin.audit_search(db, a, since=pd.Timestamp("2026-01-01", tz=a.tz),
                                               until=pd.Timestamp("2026-09-01", tz=a.tz), limit=big)["entity_id"].tolist()
    if name == "users":
        return "username", admin.user_list(db, a)["username"].tolist()
    raise AssertionError(f"no read named for export {name}: add it here")


def blank(v):
    return None if v is None or (not isinstance(v, (list, dict)) and pd.isna(v)) or v == "" else v


@pytest.mark.parametrize("name", exports.NAMES)
def test_each_export_gives_hostile_text_back_as_text_and_the_reads_figures(hostile, name):
    db = hostile
    a = actor(db, who(name))
    table = exports.build(name, db, a, exports.Request(PERIOD.first, PERIOD.last, options(name)))
    assert len(table) > 0, f"{name}: the demo has rows for it"
    xlsx, csv_data = exports.write(table, "xlsx", db.timezone), exports.write(table, "csv", db.timezone)
    book, rows = cells(xlsx), csv_rows(csv_data)
    heads = list(table.headers.values())

    # the same rows and columns in both files, with the headers in Chinese
    assert [c.value for c in book[0]] == heads and rows[0] == heads
    assert len(book) == len(rows) == len(table) + 1
    # no cell of the workbook is a formula; every planted text comes back as typed, as text
    assert not [c.coordinate for row in book for c in row if c.data_type == "f"]
    planted = set(HOSTILE.values())
    found_x = [c for row in book[1:] for c in row if isinstance(c.value, str) and c.value in {xml_text(v) for v in planted}]
    found_c = [v for row in rows[1:] for v in row if v.startswith("'") and v[1:] in planted]
    if name != "dashboard":  # the indicators sheet has no typed text at all
        assert found_x, f"{name}: a planted formula-like text shows in the export"
        assert all(c.data_type == "s" for c in found_x)
        assert sorted(c.value for c in found_x) == sorted(xml_text(v[1:]) for v in found_c)
    # numbers stay numbers
    numeric = [i for i, c in enumerate(table.headers) if pd.api.types.is_numeric_dtype(table.frame[c])
               and not pd.api.types.is_bool_dtype(table.frame[c])]
    for i in numeric:
        assert all(row[i].data_type == "n" for row in book[1:] if row[i].value is not None), (name, i)

    # the figures are the capability's read's (what the page shows)
    column, expected = expected_from_read(name, db, a)
    at = list(table.headers).index(column)
    got = [blank(row[at].value) for row in book[1:]]
    assert got == [blank(v) for v in expected], f"{name}: column {column}"


def test_every_export_has_a_read_in_this_file():
    """A new export added to csm.exports without a test fails here."""
    import inspect

    source = inspect.getsource(expected_from_read)
    assert [n for n in exports.NAMES if f'"{n}"' not in source] == []


@pytest.mark.parametrize("name", exports.NAMES)
def test_group_scope_output_has_no_resident_name_phone_or_typed_unit(db, name):
    """Head office (group scope) never gets a resident's name, phone or typed unit: not as a
    column, not inside a typed text (digits masked); the same export at project scope has them."""
    cur = db.cursor()
    secret_phone, secret_unit = "13912345678", "3栋2单元501"
    cur.execute("UPDATE complaints SET description = ? || description", [f"{secret_unit}室 电话{secret_phone} "])
    cur.execute("UPDATE complaints SET validity_basis = ? WHERE validity IS NOT NULL", [f"住户{secret_unit}确认"])
    cur.execute("UPDATE survey_actions SET problem = ?", [f"{secret_unit}门口垃圾"])
    for table in ("complaints", "revisit_tasks", "survey_responses"):  # what a resident typed as their unit
        cur.execute(f"UPDATE {table} SET unit_text = '住户填写' || id || '号' WHERE unit_text IS NOT NULL")
    names = {r[0] for r in cur.execute("SELECT complainant_name FROM complaints WHERE complainant_name IS NOT NULL "
                                       "UNION SELECT name FROM residents UNION SELECT contact_name FROM revisit_tasks "
                                       "WHERE contact_name IS NOT NULL").fetchall()}
    phones = {r[0] for r in cur.execute("SELECT complainant_phone FROM complaints WHERE complainant_phone IS NOT NULL "
                                        "UNION SELECT phone FROM residents WHERE phone IS NOT NULL").fetchall()}
    typed_units = {r[0] for r in cur.execute("SELECT unit_text FROM complaints WHERE unit_text IS NOT NULL UNION "
                                             "SELECT unit_text FROM revisit_tasks WHERE unit_text IS NOT NULL UNION "
                                             "SELECT unit_text FROM survey_responses WHERE unit_text IS NOT NULL").fetchall()}
    a = actor(db, who(name))
    if a.scope.kind != "group":  # revisits: no head-office screen; the scheduler's group export
        a = exports.actor_for(db, name, Scope("group"))
    table = exports.build(name, db, a, exports.Request(PERIOD.first, PERIOD.last, options(name)))
    text = exports.write(table, "csv", db.timezone).decode("utf-8-sig")
    values = {v for row in csv.reader(io.StringIO(text)) for v in row}
    assert not values & names, f"{name}: a resident's name at group scope"
    assert not values & phones and secret_phone not in text, f"{name}: a phone at group scope"
    assert not values & typed_units and secret_unit not in text, f"{name}: a typed unit at group scope"


def test_the_same_export_at_project_scope_shows_the_residents(db):
    """The privacy rule is head office's: the project's own staff get names, full phones, units."""
    cur = db.cursor()
    cur.execute("UPDATE complaints SET description = '3栋2单元501室 漏水' || description")
    table = exports.build("complaints", db, actor(db, "manager_p1"), PERIOD)
    assert {"complainant_name", "phone", "unit_text"} <= set(table.headers)
    assert table.frame["summary"].str.contains("501").any()
    hq = exports.build("complaints", db, actor(db, "hq"), PERIOD)
    assert not {"complainant_name", "phone", "unit_text"} & set(hq.headers)
    assert not hq.frame["summary"].str.contains("501").any() and hq.frame["summary"].str.contains("＊栋").any()


def test_dashboard_rows_and_attention_at_group_scope_mask_typed_numbers(db):
    from csm.dashboards import kpis, reads

    cur = db.cursor()
    cur.execute("UPDATE complaints SET description = '5栋1203 电话13800138000 ' || description")
    period = kpis.Period(PERIOD.first, PERIOD.last)
    hq, local = actor(db, "hq"), actor(db, "manager_p1")
    group_rows = reads.complaints_behind(db, hq, period)
    assert group_rows and not any(any(ch.isdigit() for ch in r["summary"]) for r in group_rows)
    assert any("1203" in r["summary"] for r in reads.complaints_behind(db, local, period))
    hq_items = reads.attention(db, hq)
    assert hq_items and not any("13800138000" in (r["summary"] or "") or "1203" in (r["summary"] or "")
                                for r in hq_items)
    assert any("1203" in (r["summary"] or "") for r in reads.attention(db, local))


def test_csv_opens_with_bom_and_chinese_headers(db):
    table = exports.build("complaints", db, actor(db, "clerk1"), PERIOD)
    data = exports.write(table, "csv", db.timezone)
    assert data[:3] == b"\xef\xbb\xbf"
    head = data.decode("utf-8-sig").splitlines()[0].split(",")
    assert head[:3] == ["投诉编号", "状态", "投诉级别"] and "投诉人" in head


def test_english_user_gets_english_headers_also_when_built_on_click(db):
    """The download is built when clicked, outside the page's run: the language is the actor's."""
    a = actor(db, "clerk1")
    en = Actor(a.user_id, a.username, a.role, a.scope, lang="en", tz=a.tz)
    from csm.i18n import t

    table = exports.build("complaints", db, en, PERIOD)
    assert list(table.headers.values())[:2] == [t("field.code", "en"), t("field.status", "en")]
    assert set(table.frame["status"]) <= {t(f"status.{s}", "en") for s in __import__("csm").status.STATUSES}


# ---- the command line ----------------------------------------------------------------------------
def run_cli(db_path: str, *args: str) -> int:
    from csm import cli

    return cli.main(["--db", db_path, "export", *args])


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_cli_export_equals_the_pages_download(db_path, tmp_path, kind):
    """The desk's download for a project clerk (the page builds it through ui.downloads) and
    `python -m csm export complaints --scope project:P001 --user clerk1` for the same period."""
    from csm.complaints import reads
    from csm.db import open_database
    from csm.web import ui

    db = open_database(db_path)
    try:
        plant(db)
        clerk = actor(db, "clerk1")
        filters = reads.Filters(date_from=PERIOD.first, date_to=PERIOD.last)  # the desk's date filter
        page = ui._export_file(lambda: exports.build("complaints", db, clerk, exports.Request(
            options={"filters": filters})), kind, "zh", db.timezone)
        system = exports.write(exports.build("complaints", db, exports.actor_for(db, "complaints", Scope(
            "project", project_id(db, "P001"))), PERIOD), kind, db.timezone)
    finally:
        db.close()
    out = tmp_path / f"desk.{kind}"
    assert run_cli(db_path, "complaints", "--scope", "project:P001", "--from", "2026-01-01", "--to", "2026-08-31",
                   "--format", kind, "--out", str(out), "--user", "clerk1") == 0
    if kind == "csv":
        assert out.read_bytes() == page
    else:
        assert [[c.value for c in r] for r in cells(out.read_bytes())] == [[c.value for c in r] for r in cells(page)]
    # without --user: the scheduler of that scope writes the same file
    plain = tmp_path / f"system.{kind}"
    assert run_cli(db_path, "complaints", "--scope", "project:P001", "--from", "2026-01-01", "--to", "2026-08-31",
                   "--format", kind, "--out", str(plain)) == 0
    if kind == "csv":
        assert plain.read_bytes() == system == page
    else:
        assert [[c.value for c in r] for r in cells(plain.read_bytes())] == [[c.value for c in r] for r in cells(page)]


def test_cli_group_export_is_the_head_offices_download(db_path, tmp_path):
    from csm.db import open_database

    db = open_database(db_path)
    try:
        page = exports.write(exports.build("monthly_summary", db, actor(db, "hq"), PERIOD), "csv", db.timezone)
    finally:
        db.close()
    out = tmp_path / "m.csv"
    assert run_cli(db_path, "monthly_summary", "--scope", "group", "--from", "2026-01-01", "--to", "2026-08-31",
                   "--format", "csv", "--out", str(out)) == 0
    assert out.read_bytes() == page


@pytest.mark.parametrize(("args", "says"), [
    (["complaints", "--scope", "branch:NOPE"], "NOPE"),
    (["complaints", "--scope", "city:SH"], "group、branch:"),
    (["complaints", "--from", "2026-02-30"], "YYYY-MM-DD"),
    (["complaints", "--from", "2026-03-01", "--to", "2026-02-01"], "after"),
    (["complaints", "--scope", "group", "--user", "clerk1"], "may not"),
    (["complaints", "--user", "nobody"], "nobody"),
    (["complaints", "--format", "csv", "--out", "x.xlsx"], ".csv"),
    (["survey_statistics", "--wave", "NO-SUCH"], "NO-SUCH"),
    (["bogus"], "invalid choice"),
    (["complaints", "--format", "pdf"], "invalid choice"),
])
def test_cli_refuses_bad_arguments_in_one_line(db_path, tmp_path, monkeypatch, capsys, args, says):
    here = tmp_path / "out"
    here.mkdir()
    monkeypatch.chdir(here)
    try:
        code = run_cli(db_path, *args)
    except SystemExit as exc:  # argparse's own refusals
        code = exc.code
    err = capsys.readouterr().err.strip()
    assert code == 2 and says in err and len(err.splitlines()) == 1, err
    assert not list(here.iterdir())  # nothing written


def test_cli_help_lists_every_export(capsys):
    from csm import cli

    with pytest.raises(SystemExit):
        cli.main(["export", "--help"])
    text = capsys.readouterr().out
    assert all(n in text for n in exports.NAMES)


# ---- the pages' buttons ------------------------------------------------------------------------------
def download_labels(at) -> list[str]:
    return [e.proto.label for e in at.get("download_button")]


@pytest.mark.parametrize(("user", "page"), [
    ("clerk1", "complaints"), ("clerk1", "revisits"), ("clerk1", "residents"), ("manager_p1", "survey_actions"),
    ("hq", "dashboard"), ("hq", "comparison"), ("admin", "admin_audit"), ("admin", "admin_users"),
    ("hq", "survey_waves"), ("hq", "survey_analysis"),
])
def test_each_list_page_offers_excel_and_csv(db_path, user, page):
    from tests.apptest_helpers import open_page

    if page == "admin_audit":  # an entry in the page's default period (the last 30 days)
        from csm.db import open_database

        db = open_database(db_path)
        try:
            db.cursor().execute("INSERT INTO audit_log (actor, action, entity, entity_id) "
                                "VALUES ('admin', 'update', 'branch', '1')")
        finally:
            db.close()
    at = open_page(user, page)
    assert not at.exception
    labels = download_labels(at)
    assert "下载 Excel" in labels and "下载 CSV" in labels, labels


def test_a_large_export_is_made_with_a_progress_box(db_path):
    """Over QUICK_ROWS rows the page first makes both files in a progress box, then offers them."""
    from streamlit.testing.v1 import AppTest

    def script():
        import pandas as pd

        from csm import exports
        from csm.web import ui

        n = ui.QUICK_ROWS + 1
        frame = pd.DataFrame({"code": [f"=X{i}" for i in range(n)], "n": range(n)})
        ui.downloads("big.export", lambda: exports.Table(frame, {"code": "编号", "n": "数量"}, "表", "big"), rows=n)

    at = AppTest.from_function(script, default_timeout=60)
    at.run()
    assert [b.label for b in at.button] == ["生成导出文件（Excel 和 CSV）"] and not download_labels(at)
    at.button[0].click().run()
    assert not at.exception
    assert at.status and at.status[0].proto.label.startswith("已生成：big.xlsx")
    assert download_labels(at) == ["下载 Excel", "下载 CSV"]


def test_an_export_too_large_for_excel_is_refused_never_cut(db, monkeypatch):
    from csm.complaints import reads
    from csm.errors import UserError

    clerk = actor(db, "clerk1")
    n = len(exports.build("complaints", db, clerk, PERIOD))
    monkeypatch.setattr(excel, "XLSX_MAX_ROWS", n - 1)
    table = exports.build("complaints", db, clerk, PERIOD)
    with pytest.raises(UserError) as refused:
        exports.write(table, "xlsx", db.timezone)
    assert "一个 Excel 工作表放不下" in refused.value.message()
    assert len(csv_rows(exports.write(table, "csv", db.timezone))) == n + 1  # CSV has no sheet limit
    monkeypatch.setattr(reads, "EXPORT_MAX", n)  # the read stops at its limit: refused, not a cut file
    with pytest.raises(UserError):
        exports.build("complaints", db, clerk, PERIOD)


def test_reports_page_makes_the_monthly_summary_as_excel_and_csv_with_the_same_rows(db_path):
    from tests.apptest_helpers import open_page

    at = open_page("manager_b1", "reports")
    at.segmented_control(key="reports.kind").set_value("monthly").run()
    at.segmented_control(key="reports.period").set_value("year").run()
    at.button(key="reports.make").click().run()
    assert not at.exception
    made = at.session_state["reports.file"]
    book, rows = cells(made["data"]), csv_rows(made["csv"])
    assert len(book) == len(rows) > 1 and rows[0] == [c.value for c in book[0]]
    assert [r[3] for r in rows[1:]] == [r[3].value for r in book[1:]]  # the complaint codes, in order
    assert "下载 CSV" in download_labels(at)
