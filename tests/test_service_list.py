"""The service-records list (issue 11): filters (project within the scope, type, period), a clerk
sees only the own project's rows, head office sees every project with the resident left out and
the description's digits masked (csm/privacy.py), the downloaded files hold exactly the rows shown,
a formula-like cell comes back as text; the page shows the list to each role that may open it."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook

from csm import exports
from csm.errors import PermissionDenied
from csm.i18n import t
from csm.revisits import ServiceRecord, commands, reads
from tests.apptest_helpers import open_page
from tests.conftest import actor, project_id

EVIL = "=HYPERLINK(\"http://evil.example\",\"点我\") 3栋501 电话13812345678"


def record(db, who: str, code: str, stype: str, description: str, ref: str) -> int:
    return commands.record_service(db, actor(db, who), ServiceRecord(
        project_id=project_id(db, code), service_type=stype, completed_at=datetime.now(UTC) - timedelta(hours=2),
        description=description, unit_text="1-0101", resident_name="王建国", resident_phone="13912345678",
        external_ref=ref))


@pytest.fixture
def records(db):
    return {"p1_repair": record(db, "clerk1", "P001", "repair", EVIL, "WX-1"),
            "p1_paid": record(db, "clerk1", "P001", "paid_service", "安装晾衣架", "WX-2"),
            "p3_repair": record(db, "clerk2", "P003", "repair", "更换灯泡 2号楼", "WX-3")}


def listed(db, who: str, **filters):
    a = actor(db, who)
    today = a.today()
    return reads.service_list(db, a, today - timedelta(days=1), today, **filters)


def test_a_clerk_sees_only_the_own_projects_records(db, records):
    rows = listed(db, "clerk1")
    ids = set(rows["id"])
    assert {records["p1_repair"], records["p1_paid"]} <= ids and records["p3_repair"] not in ids
    assert set(rows["project"]) == {db.one("org/project_by_code", {"code": "P001"})["name"]}
    mine = rows.set_index("id").loc[records["p1_repair"]]
    assert mine["resident_name"] == "王建国" and mine["resident_phone"] == "13912345678"  # own project: as typed
    assert set(listed(db, "clerk1", service_type="paid_service")["id"]) & set(records.values()) == {records["p1_paid"]}
    with pytest.raises(PermissionDenied):
        listed(db, "clerk1", project_id=project_id(db, "P003"))


def test_head_office_sees_every_project_without_the_resident(db, records):
    rows = listed(db, "hq").set_index("id")
    assert set(records.values()) <= set(rows.index)
    assert rows[["unit_text", "resident_name", "resident_phone"]].isna().all().all()
    assert rows.loc[records["p1_repair"], "description"] == '=HYPERLINK("http://evil.example","点我") ＊栋＊ 电话＊'
    table = exports.build("service_records", db, actor(db, "hq"),
                          exports.Request(actor(db, "hq").today() - timedelta(days=1), actor(db, "hq").today()))
    assert not {"resident_name", "resident_phone", "unit_text"} & set(table.headers)


def test_the_downloaded_files_hold_the_rows_shown_and_escape_formulas(db, records):
    a = actor(db, "clerk1")
    today = a.today()
    req = exports.Request(today - timedelta(days=1), today, {"service_type": "repair"})
    table = exports.build("service_records", db, a, req)
    shown = reads.service_list(db, a, today - timedelta(days=1), today, service_type="repair")
    assert list(table.frame["id"]) == list(shown["id"])
    book = load_workbook(io.BytesIO(exports.write(table, "xlsx", db.timezone))).active
    rows = list(book.iter_rows())
    assert [c.value for c in rows[0]] == list(table.headers.values())
    assert [r[0].value for r in rows[1:]] == list(shown["id"])
    evil = [c for r in rows[1:] for c in r if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
    assert evil and all(c.data_type == "s" for c in evil)  # text, not a formula
    lines = list(csv.reader(io.StringIO(exports.write(table, "csv", db.timezone).decode("utf-8-sig"))))
    assert [int(r[0]) for r in lines[1:]] == list(shown["id"])
    assert any(v.startswith("'=HYPERLINK") for r in lines[1:] for v in r)


@pytest.mark.parametrize(("user", "sees_form"), [("clerk1", True), ("manager_p1", False), ("hq", False)])
def test_the_page_lists_the_records_of_the_scope(db_path, db, records, user, sees_form):
    at = open_page(user, "service_records")
    assert not at.exception
    table = next(d for d in at.dataframe if "内容" in d.value.columns)
    assert records["p1_repair"] in set(table.value["#"].astype(int))
    assert ("住户姓名" in table.value.columns) == (user != "hq")
    assert (t("service.new") in [tab.label for tab in at.tabs]) == sees_form


def test_the_list_shows_the_last_30_days_by_default(db_path, db, records):
    """On the 1st of a month "this month" is one day: the list opens on the last 30 days, so a
    repair of 20 days ago is there without touching the period, and one of 40 days ago is not."""
    def past(days: int, ref: str) -> int:
        return commands.record_service(db, actor(db, "clerk1"), ServiceRecord(
            project_id=project_id(db, "P001"), service_type="repair",
            completed_at=datetime.now(UTC) - timedelta(days=days), description=f"{days}天前的维修",
            unit_text="1-0102", resident_name="李四", resident_phone="13912345679", external_ref=ref))

    recent, old = past(20, "WX-20"), past(40, "WX-40")
    at = open_page("clerk1", "service_records")
    assert not at.exception
    today = actor(db, "clerk1").today()
    assert tuple(at.date_input(key="service.list.range").value) == (today - timedelta(days=29), today)
    shown = set(next(d for d in at.dataframe if "内容" in d.value.columns).value["#"].astype(int))
    assert recent in shown and old not in shown


def test_an_empty_choice_says_so_in_chinese_instead_of_an_empty_grid(db_path, db, records):
    at = open_page("clerk2", "service_records")
    at.selectbox(key="service.list.type").set_value("paid_service").run()  # P003 has a repair, no paid service
    assert not at.exception
    assert "所选项目、类型和期间内没有服务记录。" in [i.value for i in at.info]
    assert not [d for d in at.dataframe if "内容" in d.value.columns]
    assert "共 0 条" in [c.value for c in at.caption]
    assert not [b for b in at.get("download_button") if "service.list" in str(b.proto.id)]  # no empty file offered


def test_a_choice_with_records_offers_both_downloads(db_path, db, records):
    at = open_page("clerk1", "service_records")
    labels = [b.proto.label for b in at.get("download_button")]
    assert "下载 Excel" in labels and "下载 CSV" in labels


def test_the_count_is_the_number_of_rows_and_the_table_reads_only_the_newest(db, records):
    """The page reads the newest 500 for its table and the count for its caption (head office's 30
    days are tens of thousands of rows, read whole only for a download): the count is the rows'
    number for each scope and filter, and a limited export holds the newest first."""
    for who, filters in [("clerk1", {}), ("clerk2", {}), ("hq", {}), ("hq", {"service_type": "repair"}),
                         ("clerk1", {"project_id": project_id(db, "P001")})]:
        a = actor(db, who)
        today = a.today()
        rows = reads.service_list(db, a, today - timedelta(days=1), today, **filters)
        assert reads.service_count(db, a, today - timedelta(days=1), today, **filters) == len(rows), (who, filters)
    a = actor(db, "hq")
    whole = exports.build("service_records", db, a, exports.Request(a.today() - timedelta(days=1), a.today()))
    two = exports.build("service_records", db, a, exports.Request(a.today() - timedelta(days=1), a.today(),
                                                                   {"limit": 2}))
    assert len(whole) == 3 and list(two.frame["id"]) == list(whole.frame["id"][:2])
    with pytest.raises(PermissionDenied):  # a project outside the clerk's scope: refused, not counted
        reads.service_count(db, actor(db, "clerk1"), a.today(), a.today(), project_id=project_id(db, "P003"))


def test_the_caption_counts_the_rows_of_the_choice(db_path, db, records):
    at = open_page("hq", "service_records")
    assert not at.exception
    assert "共 3 条" in [c.value for c in at.caption]
