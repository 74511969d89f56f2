"""The issue's test (issue 11): a foreign system's export with English columns and its own
category and department names imports through a saved mapping (the one import mechanism), and
the dashboard's median hours to close per department — the figure on the page, tab 部门关闭时长 —
equals the median computed directly from the file (generated with known hours). Its Excel and
CSV downloads carry the same rows and figures (the one writer)."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from csm import exports, fmt, import_targets
from csm.actor import Actor
from csm.i18n import t
from csm.importing import commands, reads
from csm.org import users
from tests.apptest_helpers import open_page
from tests.ledger_files import helpdesk_export, map_values, medians

LEDGER = import_targets.get("complaints")
YEAR_2023 = (date(2023, 1, 1), date(2023, 12, 31))  # before the demo's data


def import_through_saved_mapping(db, tmp_path) -> dict[str, float]:
    admin = Actor.of(users.get(db, "admin"), tz=db.timezone)
    first = tmp_path / "helpdesk_2023_h1.csv"
    hours = helpdesk_export(first, 45, seed=11)
    found = reads.inspect(db, admin, LEDGER, first.read_bytes(), first.name)
    assert found.mapping.columns["department"] == "Dept" and found.mapping.columns["closed_at"] == "Closed At"
    map_values(found.mapping)  # PLUMBING → 工程 / 给水管, Engineering → 工程部 …, once
    commands.save_mapping(db, admin, LEDGER, "helpdesk", found.mapping)
    assert commands.apply(db, admin, LEDGER, found.sheet, found.mapping, "helpdesk").count("add") == 45
    # the next export of the same system: only the saved mapping
    second = tmp_path / "helpdesk_2023_h2.csv"
    more = helpdesk_export(second, 45, seed=12)
    saved = reads.saved_mapping(db, admin, LEDGER, "helpdesk")
    text = second.read_text(encoding="utf-8").replace("WO-", "WO2-")  # its own ticket numbers
    second.write_text(text, encoding="utf-8")
    again = reads.inspect(db, admin, LEDGER, second.read_bytes(), second.name, saved)
    assert commands.apply(db, admin, LEDGER, again.sheet, again.mapping, "helpdesk").count("add") == 45
    for dept, v in more.items():
        hours.setdefault(dept, []).extend(v)
    return medians(hours)


def test_the_dashboard_shows_the_files_median_hours_to_close_per_department(db_path, db, tmp_path):
    expected = import_through_saved_mapping(db, tmp_path)
    at = open_page("hq", "dashboard")
    at.segmented_control(key="dashboard.period").set_value("custom").run()
    at.date_input(key="dashboard.range").set_value(YEAR_2023).run()
    at.session_state["dashboard.tab"] = t("dash.tab.departments")
    at.run()
    assert not at.exception
    table = next(d for d in at.dataframe if "中位数（小时）" in d.value.columns)
    shown = table.value.set_index("部门")
    assert set(shown.index) == set(expected)
    for dept, median in expected.items():
        assert shown.loc[dept, "中位数（小时）"] == fmt.num(median, 1)  # the figure a manager reads
    assert shown["关闭数"].sum() == 90
    assert len(at.get("vega_lite_chart")) == 1  # the bar chart beside the table

    # the downloads: same rows and figures, through the one writer
    hq = Actor.of(users.get(db, "hq"), tz=db.timezone)
    built = exports.build("close_hours", db, hq, exports.Request(*YEAR_2023))
    assert dict(zip(built.frame["department"], built.frame["close_p50"], strict=True)) == {
        d: round(m, 1) for d, m in expected.items()}
    ws = load_workbook(io.BytesIO(exports.write(built, "xlsx", db.timezone))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("部门", "关闭数", "中位数（小时）", "P90（小时）")
    assert {r[0]: r[2] for r in rows[1:]} == {d: round(m, 1) for d, m in expected.items()}
    csv_text = exports.write(built, "csv", db.timezone).decode("utf-8-sig")
    assert csv_text.splitlines()[0] == "部门,关闭数,中位数（小时）,P90（小时）"
    assert len(csv_text.splitlines()) == 1 + len(expected)
