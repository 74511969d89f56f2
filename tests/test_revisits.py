"""Revisits: tasks from service records, attempts, flags, indicators, import, scope."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook

from csm import fmt
from csm.actor import Actor
from csm.errors import PermissionDenied, UserError, ValidationFailed
from csm.org import users
from csm.org.scope import Scope
from csm.revisits import Attempt, ServiceRecord, commands, reads
from tests.conftest import calendar_time, project_id

SH = ZoneInfo("Asia/Shanghai")


def who(db, username="clerk1", scope=None, clock=None) -> Actor:
    """The demo user as an Actor (optionally with another scope or a fixed clock)."""
    a = Actor.of(users.get(db, username), tz=db.timezone, clock=clock)
    return a if scope is None else Actor(a.user_id, a.username, a.role, scope, a.lang, a.tz, a.display_name,
                                         clock)


def repair(db, pid, when, **kw):
    rec = ServiceRecord(project_id=pid, service_type=kw.pop("service_type", "repair"), completed_at=when,
                        description=kw.pop("description", "厨房水龙头漏水，更换阀芯"), unit_text="1-0101",
                        resident_name="张伟", resident_phone="13800138000", **kw)
    return commands.record_service(db, who(db, "clerk1", Scope("project", pid)), rec)


def task_of(db, record_id):
    return db.one("revisits/task_for_service", {"service_record_id": record_id})


def test_service_record_creates_one_task_due_per_setting(db):
    calendar_time(db)  # the limits in calendar time, not the branch's working days
    p1 = project_id(db, "P001")
    done = datetime(2026, 11, 20, 15, 30, tzinfo=SH)
    rid = repair(db, p1, done)
    task = task_of(db, rid)
    assert task["kind"] == "repair" and task["status"] == "open"
    assert task["due_at"] == datetime(2026, 11, 23, 15, 30, tzinfo=SH)  # 3 days (setting)


def test_service_record_validation_messages(db):
    p1, p3 = project_id(db, "P001"), project_id(db, "P003")
    future = datetime.now(UTC) + timedelta(days=1)
    with pytest.raises(ValidationFailed) as err:
        commands.record_service(db, who(db, "clerk1", Scope("project", p1)), ServiceRecord(
            project_id=p3, service_type="x", completed_at=future, description=" "))
    assert err.value.messages() == [
        "项目: 请选择您负责范围内的项目", "服务类型: 请选择维修或有偿服务",
        "完成时间: 不能晚于当前时间", "内容: 必填"]


def test_failed_attempts_keep_task_due_and_flag_after_three(db):
    p1 = project_id(db, "P001")
    rid = repair(db, p1, datetime(2026, 11, 20, 9, tzinfo=SH))
    task = task_of(db, rid)
    clerk = who(db, "clerk1")
    for i in range(3):
        out = commands.record_revisit(db, clerk, task["id"], task["version"] + i,
                                      Attempt(method="phone", reached=False, fail_reason="no_answer"))
        assert out["done"] is False
    assert out["flagged"] is True
    after = reads.task(db, clerk, task["id"])
    assert after["status"] == "open" and after["failed_attempts"] == 3 and after["flagged"]
    assert len(reads.attempts(db, clerk, task["id"])) == 3


def test_reached_revisit_closes_task_and_requires_repair_aspects(db):
    p1 = project_id(db, "P001")
    task = task_of(db, repair(db, p1, datetime(2026, 11, 20, 9, tzinfo=SH)))
    clerk = who(db, "clerk1")
    with pytest.raises(ValidationFailed) as err:
        commands.record_revisit(db, clerk, task["id"], task["version"],
                                Attempt(method="phone", reached=True, person_reached="张伟",
                                        satisfaction="satisfied"))
    assert "服务态度: 必填" in err.value.messages() and "维修效果: 必填" in err.value.messages()
    out = commands.record_revisit(db, clerk, task["id"], task["version"], Attempt(
        method="phone", reached=True, person_reached="张伟", satisfaction="very_satisfied",
        attitude="very_satisfied", efficiency="satisfied", effect="satisfied"))
    assert out["done"] and out["new_complaint_id"] is None
    assert reads.task(db, clerk, task["id"])["status"] == "done"
    with pytest.raises(UserError) as err:
        commands.record_revisit(db, clerk, task["id"], task["version"] + 1, Attempt(
            method="phone", reached=False, fail_reason="no_answer"))
    assert err.value.message() == "该回访任务已完成，不能再次记录。"


def test_stale_version_is_a_conflict(db):
    from csm.errors import ConflictError

    p1 = project_id(db, "P001")
    task = task_of(db, repair(db, p1, datetime(2026, 11, 20, 9, tzinfo=SH)))
    clerk = who(db, "clerk1")
    commands.record_revisit(db, clerk, task["id"], task["version"],
                            Attempt(method="phone", reached=False, fail_reason="no_answer"))
    with pytest.raises(ConflictError):
        commands.record_revisit(db, who(db, "supervisor1"), task["id"], task["version"],
                                Attempt(method="phone", reached=False, fail_reason="no_answer"))


def test_other_project_cannot_see_or_record(db):
    p1, p3 = project_id(db, "P001"), project_id(db, "P003")
    task = task_of(db, repair(db, p1, datetime(2026, 11, 20, 9, tzinfo=SH)))
    clerk2 = who(db, "clerk2")
    assert clerk2.scope == Scope("project", p3)
    # a task of another project is refused (the product's permission error), not shown
    with pytest.raises(PermissionDenied):
        reads.task(db, clerk2, task["id"])
    with pytest.raises(PermissionDenied):
        commands.record_revisit(db, clerk2, task["id"], task["version"],
                                Attempt(method="phone", reached=False, fail_reason="no_answer"))
    with pytest.raises(PermissionDenied):
        commands.assign(db, clerk2, task["id"], task["version"], None)
    with pytest.raises(UserError) as err:  # a task that does not exist
        commands.record_revisit(db, clerk2, 10**9, 1, Attempt(method="phone", reached=False,
                                                               fail_reason="no_answer"))
    assert err.value.key == "revisit.error.not_found"
    with pytest.raises(PermissionDenied):  # a filter for another project is refused
        reads.tasks(db, clerk2, reads.Filters(project_id=p1))
    p1_name = db.one("org/project_by_code", {"code": "P001"})["name"]
    assert p1_name not in set(reads.tasks(db, clerk2, reads.Filters(), limit=10_000)["project"])


def test_indicators_on_known_counts_and_empty_period(db):
    calendar_time(db)  # the limits in calendar time, not the branch's working days
    p1 = project_id(db, "P001")
    clerk = who(db, "clerk1")
    # 4 repairs completed 2026-10-0x (due in October): 3 revisited (one late, one unsatisfied), 1 not
    tasks = [task_of(db, repair(db, p1, datetime(2026, 10, d, 10, tzinfo=SH), external_ref=f"R{d}"))
             for d in (1, 2, 3, 4)]
    ok = dict(method="phone", reached=True, person_reached="张伟", attitude="satisfied",
              efficiency="satisfied", effect="satisfied")
    stamps = [datetime(2026, 10, 2, 10, tzinfo=SH), datetime(2026, 10, 9, 10, tzinfo=SH),
              datetime(2026, 10, 4, 10, tzinfo=SH)]
    sats = ["satisfied", "very_satisfied", "neutral"]
    for task, at, sat in zip(tasks[:3], stamps, sats, strict=False):
        commands.record_revisit(db, clerk, task["id"], task["version"],
                                Attempt(attempt_at=at, satisfaction=sat, **ok))
    oct_start, nov_start = datetime(2026, 10, 1, tzinfo=SH), datetime(2026, 11, 1, tzinfo=SH)
    row = reads.indicators(db, clerk, oct_start, nov_start)[0]
    assert (row["due"], row["done"], row["done_on_time"], row["rated"]) == (4, 3, 2, 3)
    assert fmt.pct(row["revisit_rate"]) == "75.0%"
    assert fmt.pct(row["on_time_rate"]) == "50.0%"
    assert fmt.pct(row["satisfaction_rate"]) == "100.0%"   # 一般 is not 不满意
    empty = reads.indicators(db, clerk, datetime(2020, 1, 1, tzinfo=SH), datetime(2020, 2, 1, tzinfo=SH))
    assert not empty or fmt.pct(empty[0]["revisit_rate"]) == "—"


def xlsx(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["项目编号", "房号", "住户姓名", "联系电话", "服务类型", "部门", "完成时间", "完成人", "内容", "维修单号"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


GOOD = [["P001", "1-0101", "张伟", "13800138000", "维修", "工程部", "2026-11-20 15:30", "李师傅", "换阀芯", "WX-1"],
        ["P001", "1-0102", "王芳", "13900139000", "有偿服务", "保洁部", "2026-11-21 10:00", "赵阿姨", "开荒保洁", "WX-2"]]


def import_file(db, data, allowed, name="export.xlsx"):
    """As clerk1, scoped to the one project in `allowed`."""
    (pid,) = allowed
    return len(commands.import_service_records(db, who(db, "clerk1", Scope("project", pid)), data, name))


def test_import_all_rows_then_duplicate_upload_adds_nothing(db):
    p1 = project_id(db, "P001")
    before = db.value("revisits/count_for_project", {"project_id": p1})  # the demo's revisits
    data = xlsx(GOOD)
    assert import_file(db, data, {p1}) == 2
    assert db.value("revisits/count_for_project", {"project_id": p1}) == before + 2
    with pytest.raises(UserError) as err:
        import_file(db, data, {p1})
    assert err.value.message() == "该文件已导入过，未重复导入任何记录。"
    assert db.value("revisits/count_for_project", {"project_id": p1}) == before + 2


def test_import_with_one_bad_cell_imports_nothing_and_names_the_row(db):
    p1 = project_id(db, "P001")
    before = db.value("revisits/count_for_project", {"project_id": p1})
    bad = [GOOD[0], ["P001", "1-0103", "李娜", "13700137000", "维修", "工程部", "昨天下午", "李师傅", "修灯", "WX-3"]]
    with pytest.raises(ValidationFailed) as err:
        import_file(db, xlsx(bad), {p1})
    assert err.value.messages() == ["第 3 行 · 完成时间: 无法识别的时间「昨天下午」"]
    assert db.value("revisits/count_for_project", {"project_id": p1}) == before


def test_import_refuses_rows_outside_scope(db):
    p1 = project_id(db, "P001")
    other = [["P003", "1-0101", "张伟", "13800138000", "维修", "工程部", "2026-11-20 15:30", "李师傅", "换阀芯", "WX-9"]]
    with pytest.raises(ValidationFailed) as err:
        import_file(db, xlsx(other), {p1})
    assert err.value.messages() == ["第 2 行 · 项目: 请选择您负责范围内的项目"]


def test_csv_in_gbk_is_read(db):
    p1 = project_id(db, "P001")
    text = "项目编号,房号,服务类型,完成时间,内容,维修单号\nP001,1-0101,维修,2026/11/20 15:30,更换灯泡,WX-7\n"
    data = text.encode("gb18030")
    assert import_file(db, data, {p1}, "repairs.csv") == 1


def test_contact_rules_are_the_shared_ones():
    """One phone rule and one list of relations (csm/phones.py) for complaints and revisits: no
    package keeps its own copy of the pattern."""
    from csm import complaints, phones
    from csm.revisits import rules

    assert rules.RELATIONS is phones.RELATIONS and complaints.RELATIONS is phones.RELATIONS
    assert not hasattr(rules, "PHONE_RE") and not hasattr(complaints, "PHONE_RE")
    assert rules.clean_phone("+86 138 0013 8000") == "13800138000"


def test_repair_aspects_are_asked_only_for_repairs():
    """The form shows attitude / efficiency / effect exactly when validation requires them."""
    from csm.revisits import rules

    base = Attempt(method="phone", reached=True, person_reached="张伟", satisfaction="satisfied")
    now = datetime.now(UTC)
    for kind in rules.KINDS:
        missing = [p.field for p in rules.validate_attempt({"kind": kind}, base, now)]
        assert (missing == [f"repair_{a}" for a in rules.REPAIR_ASPECTS]) == rules.needs_aspects(kind), kind
        assert bool(missing) == rules.needs_aspects(kind), kind
