"""Bad input, form by form and importer by importer (issue 12): each case says what the user
types, the message the user sees, and that the database holds exactly what it held before
(the tables the form writes: same rows, same values) — and, for a form, that it keeps what was
typed. A text over its limit is refused by the domain, not only by the widget's counter.

Forms are driven with AppTest as the user who fills them; the admin grids, the survey entry grid
(a data editor) and the importers are driven through their commands with real files. A text box
counts to its limit (max_chars, the counter the user sees) and Streamlit takes no more, so a text
over the limit reaches a command only from another caller: the command cases refuse it."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import Workbook

from csm import complaints, config, revisits, surveys
from csm.errors import UserError
from csm.i18n import t
from csm.org.scope import Scope
from csm.surveys import commands as survey_commands
from csm.surveys import self_service
from tests.apptest_helpers import open_page, submit_form
from tests.conftest import actor, project_id
from tests.test_complaints_pages import fill_intake
from tests.test_revisits import who
from tests.test_surveys import filled_template, form_row, item_keys, make_wave

LONG = "长" * (config.MAX_TEXT_CHARS + 1)             # one character over the text limit
LONG_NAME = "名" * 51                                 # over a name's 50
TOO_LONG = "内容过长：最多 20,000 个字符，当前 20,001 个。"
NAME_TOO_LONG = "内容过长：最多 50 个字符，当前 51 个。"


def snapshot(db, *tables: str) -> dict:
    """Rows and a checksum of every value of each table: equal before and after = nothing changed."""
    return {tb: db._conn.execute(f"SELECT count(*), bit_xor(hash(t)) FROM {tb} AS t").fetchone() for tb in tables}


def shown_errors(at) -> str:
    return "\n".join(e.value for e in at.error)


# ---- the forms (AppTest) -------------------------------------------------------------------
@dataclass
class FormCase:
    id: str
    user: str
    page: str
    form: str                                   # the st.form key (its submit button)
    typed: dict[str, str]                       # widget key -> what the user types ({cid} / {task})
    sees: str                                   # the message shown
    tables: tuple[str, ...]                     # what the form writes: unchanged after the refusal
    before: str | None = None                   # what the case needs first (see prepare)
    widgets: dict[str, str] = field(default_factory=dict)   # key -> "text_area" (default text_input)
    picks: dict[str, object] = field(default_factory=dict)   # select key -> option picked


def _complaint(db, dispatched: bool) -> int:
    clerk, sup = actor(db, "clerk1"), actor(db, "supervisor1")
    c = complaints.file_complaint(db, clerk, complaints.Intake(
        project_id=clerk.scope.id, complainant_name="王建国", complainant_phone="13912345678",
        channel_id=db.one("complaints/channel_by_code", {"code": "PHONE"})["id"],
        category_id=db.one("complaints/category_by_code", {"code": "ENG-WATER"})["id"],
        description="地下室水管漏水", received_at=datetime.now(UTC) - timedelta(minutes=5), unit_text="9-0901"))
    if dispatched:
        c = complaints.judge(db, sup, c["id"], 1, "valid", "依据", "general", "normal")
        complaints.dispatch(db, sup, c["id"], c["version"],
                            db.value("revisits/department_by_code_or_name", {"text": "CLN"}), sup.user_id)
    return c["id"]


def _repair_task(db) -> int:
    p1 = actor(db, "clerk1").scope.id
    rid = revisits.commands.record_service(db, who(db, "clerk1", Scope("project", p1)), revisits.ServiceRecord(
        project_id=p1, service_type="repair", completed_at=datetime.now(UTC) - timedelta(hours=2),
        description="更换水龙头", unit_text="1-0101", resident_name="张伟", resident_phone="13800138000"))
    return db._conn.execute("SELECT id FROM revisit_tasks WHERE service_record_id = ?", [rid]).fetchone()[0]


FORM_CASES = [
    # complaint intake: the register
    FormCase("intake-phone-zeros", "clerk1", "intake", "intake.form.0", {"intake.phone.0": "0000000"},
             "电话: 电话号码「0000000」无效：请填写11位手机号或带区号的座机（如 010-8888 6666）。",
             ("complaints", "complaint_history", "revisit_tasks")),
    FormCase("intake-phone-letters", "clerk1", "intake", "intake.form.0", {"intake.phone.0": "138OO138OOO"},
             "电话号码「138OO138OOO」无效", ("complaints",)),
    FormCase("intake-phone-foreign", "clerk1", "intake", "intake.form.0", {"intake.phone.0": "+1 415 555 1234"},
             "电话号码「+1 415 555 1234」无效", ("complaints",)),
    # complaint desk: the actions on one complaint
    FormCase("desk-judge-blank-basis", "supervisor1", "complaints", "complaints.form.judge",
             {"complaints.judge.basis.{cid}": "   "}, "界定依据: 必填", ("complaints", "complaint_history"),
             before="new complaint", widgets={"complaints.judge.basis.{cid}": "text_area"}),
    FormCase("desk-handling-without-handler", "supervisor1", "complaints", "complaints.form.handle",
             {"complaints.handle.content.{cid}": "更换水管"}, "处理人: 必填",
             ("complaints", "complaint_handling", "complaint_history"), before="dispatched complaint",
             widgets={"complaints.handle.content.{cid}": "text_area"}),
    # a revisit's record
    FormCase("revisit-unsatisfied-without-comment", "clerk1", "revisits", "revisits.form",
             {"revisits.person.{task}": "张伟的爱人"}, "回访意见: 不满意时请记录客户意见",
             ("revisit_tasks", "revisit_records", "complaints"), before="repair task",
             picks={"revisits.satisfaction.{task}": "unsatisfied"}),
    # a service record typed in
    FormCase("service-phone-wrong-length", "clerk1", "service_records", "service.form",
             {"service.phone": "1380013800", "service.description": "更换灯泡"},
             "电话: 电话号码「1380013800」无效", ("service_records", "revisit_tasks"),
             widgets={"service.description": "text_area"}),
    # a resident moving in (the residents page)
    FormCase("move-in-phone-one-digit", "clerk1", "residents", "residents.move_in_form",
             {"residents.mi_name": "冯晓", "residents.mi_phone": "88888888"}, "电话号码「88888888」无效",
             ("residents", "revisit_tasks")),
    # my account: the password change (messages from the accounts' own catalog)
    FormCase("account-wrong-current-password", "clerk1", "account", "account.password_form",
             {"account.old_password": "not-my-password", "account.new_password": "Brand#New#2026",
              "account.confirm_password": "Brand#New#2026"}, "@account.error.old_password", ("users",)),
    FormCase("account-confirmation-differs", "clerk1", "account", "account.password_form",
             {"account.old_password": "Demo@2026", "account.new_password": "Brand#New#2026",
              "account.confirm_password": "Brand#New#2027"}, "@account.error.mismatch", ("users",)),
]

# The text boxes show a counter at the domain's own limit: Streamlit cuts a longer value at
# max_chars on the server too, so an over-long text reaches the domain only from another caller
# (an import, the command line, a client of its own): the command cases below refuse it.
COUNTERS = [
    ("clerk1", "intake", None, "intake.description.0", "text_area", config.MAX_TEXT_CHARS),
    ("clerk1", "intake", None, "intake.name.0", "text_input", 50),
    ("clerk1", "intake", None, "intake.unit_text.0", "text_input", 50),
    ("clerk1", "intake", None, "intake.phone.0", "text_input", 40),
    ("supervisor1", "complaints", "new complaint", "complaints.judge.basis.{cid}", "text_area", config.MAX_TEXT_CHARS),
    ("supervisor1", "complaints", "dispatched complaint", "complaints.handle.content.{cid}", "text_area",
     config.MAX_TEXT_CHARS),
    ("supervisor1", "complaints", "dispatched complaint", "complaints.handle.handled_by.{cid}", "text_input", 50),
    ("clerk1", "revisits", "repair task", "revisits.comments.{task}", "text_area", config.MAX_TEXT_CHARS),
    ("clerk1", "revisits", "repair task", "revisits.person.{task}", "text_input", 50),
    ("clerk1", "service_records", None, "service.description", "text_area", config.MAX_TEXT_CHARS),
    ("clerk1", "service_records", None, "service.phone", "text_input", 40),
    ("clerk1", "residents", None, "residents.mi_name", "text_input", 50),
]


@pytest.mark.parametrize(("username", "page", "before", "key", "kind", "limit"), COUNTERS,
                         ids=[c[3].split(".{")[0] for c in COUNTERS])
def test_text_boxes_count_to_the_domains_limit(db_path, db, username, page, before, key, kind, limit):
    ctx = prepare(db, FormCase("counter", username, page, "", {}, "", (), before=before))
    at = open_page(username, page)
    for k, v in ctx["state"].items():
        at.session_state[k] = v
    at.run()
    assert not at.exception
    assert widget(at, kind, key.format(**ctx)).max_chars == limit  # the counter the user sees: n/limit


def prepare(db, case: FormCase) -> dict:
    """What the case's form needs (a complaint, a revisit task) and the session state picking it."""
    if case.before == "new complaint":
        cid = _complaint(db, dispatched=False)
        return {"cid": cid, "state": {"complaints.open_id": cid}}
    if case.before == "dispatched complaint":
        cid = _complaint(db, dispatched=True)
        return {"cid": cid, "state": {"complaints.open_id": cid}}
    if case.before == "repair task":
        task = _repair_task(db)
        return {"task": task, "state": {"revisits.task": task}}
    return {"state": {}}


def widget(at, kind: str, key: str):
    return at.text_area(key=key) if kind == "text_area" else at.text_input(key=key)


@pytest.mark.parametrize("case", FORM_CASES, ids=lambda c: c.id)
def test_a_form_refuses_bad_input_keeps_it_and_saves_nothing(db_path, db, case):
    ctx = prepare(db, case)
    at = open_page(case.user, case.page)
    if ctx["state"]:
        for k, v in ctx["state"].items():
            at.session_state[k] = v
        at.run()
    assert not at.exception
    if case.page == "intake":
        fill_intake(at, db)  # every other field of the register filled correctly
    if case.page == "revisits":
        at.selectbox(key=f"revisits.satisfaction.{ctx['task']}").select("satisfied")
        if revisits.rules.needs_aspects("repair"):
            for aspect in revisits.rules.REPAIR_ASPECTS:
                at.selectbox(key=f"revisits.{aspect}.{ctx['task']}").select("satisfied")
    for key, option in case.picks.items():
        at.selectbox(key=key.format(**ctx)).select(option)
    typed = {k.format(**ctx): v for k, v in case.typed.items()}
    kinds = {k.format(**ctx): v for k, v in case.widgets.items()}
    for key, value in typed.items():
        box = widget(at, kinds.get(key, "text_input"), key)
        if box.max_chars and len(value) > box.max_chars:
            # the widget shows a counter and takes no more (AppTest's input() and the browser both
            # stop at max_chars); a client sending more anyway meets the same limit in the domain
            assert len(value) == box.max_chars + 1, (key, box.max_chars)
        box.set_value(value)
    before = snapshot(db, *case.tables)
    submit_form(at, case.form)
    assert not at.exception
    sees = t(case.sees[1:]) if case.sees.startswith("@") else case.sees
    assert sees in shown_errors(at), (case.id, shown_errors(at))
    assert not [s for s in at.success], "nothing reported as saved"
    assert snapshot(db, *case.tables) == before, "the database holds what it held"
    for key, value in typed.items():  # the form keeps what was typed and picked
        assert widget(at, kinds.get(key, "text_input"), key).value == value, key
    for key, option in case.picks.items():
        assert at.selectbox(key=key.format(**ctx)).value == option


# ---- texts over their limit, refused by the commands whoever calls them ------------------------
def _intake(db, **kw):
    clerk = actor(db, "clerk1")
    base = dict(project_id=clerk.scope.id, complainant_name="王建国", complainant_phone="13912345678",
                channel_id=db.one("complaints/channel_by_code", {"code": "PHONE"})["id"],
                category_id=db.one("complaints/category_by_code", {"code": "ENG-WATER"})["id"],
                description="地下室水管漏水", received_at=datetime.now(UTC) - timedelta(minutes=5), unit_text="9-0901")
    return complaints.commands.file_complaint(db, clerk, complaints.Intake(**{**base, **kw}))


def _version(db, cid):
    return db.one("complaints/row", {"id": cid})["version"]


def _attempt(db, task, **kw):
    a = revisits.Attempt(method="phone", reached=True, person_reached="张伟", satisfaction="satisfied",
                         attitude="satisfied", efficiency="satisfied", effect="satisfied", **kw)
    version = db.one("revisits/task_get", {"id": task})["version"]
    return revisits.commands.record_revisit(db, who(db, "clerk1"), task, version, a)


def _service(db, **kw):
    p1 = actor(db, "clerk1").scope.id
    rec = dict(project_id=p1, service_type="repair", completed_at=datetime.now(UTC) - timedelta(hours=1),
               description="更换灯泡")
    return revisits.commands.record_service(db, who(db, "clerk1", Scope("project", p1)),
                                            revisits.ServiceRecord(**{**rec, **kw}))


def _sup(db):
    return actor(db, "supervisor1")


COMMAND_CASES = [
    ("intake-description", None, lambda db, c: _intake(db, description=LONG), "内容: " + TOO_LONG,
     ("complaints", "complaint_history")),
    ("intake-complainant", None, lambda db, c: _intake(db, complainant_name=LONG_NAME), "投诉人: " + NAME_TOO_LONG,
     ("complaints",)),
    ("intake-unit", None, lambda db, c: _intake(db, unit_text="1" * 51), "房号: " + NAME_TOO_LONG, ("complaints",)),
    ("judge-basis", "new complaint", lambda db, c: complaints.commands.judge(
        db, _sup(db), c["cid"], _version(db, c["cid"]), "valid", LONG, "general", "normal"),
     "界定依据: " + TOO_LONG, ("complaints", "complaint_history")),
    ("handling-content", "dispatched complaint", lambda db, c: complaints.commands.add_handling(
        db, _sup(db), c["cid"], _version(db, c["cid"]), "李师傅", LONG), "内容: " + TOO_LONG,
     ("complaints", "complaint_handling")),
    ("handler-name", "dispatched complaint", lambda db, c: complaints.commands.add_handling(
        db, _sup(db), c["cid"], _version(db, c["cid"]), LONG_NAME, "更换水管"), "处理人: " + NAME_TOO_LONG,
     ("complaints", "complaint_handling")),
    ("progress-content", "dispatched complaint", lambda db, c: complaints.commands.add_progress(
        db, _sup(db), c["cid"], _version(db, c["cid"]), "phone", LONG), "内容: " + TOO_LONG,
     ("complaints", "complaint_progress")),
    ("suspend-reason", "dispatched complaint", lambda db, c: complaints.commands.suspend(
        db, _sup(db), c["cid"], _version(db, c["cid"]), LONG), TOO_LONG, ("complaints", "complaint_history")),
    ("resolve-result", "dispatched complaint", lambda db, c: complaints.commands.resolve(
        db, _sup(db), c["cid"], _version(db, c["cid"]), LONG), TOO_LONG,
     ("complaints", "complaint_history", "revisit_tasks")),
    ("revisit-comments", "repair task", lambda db, c: _attempt(db, c["task"], comments=LONG), "回访意见: " + TOO_LONG,
     ("revisit_tasks", "revisit_records")),
    ("revisit-person", "repair task", lambda db, c: revisits.commands.record_revisit(
        db, who(db, "clerk1"), c["task"], db.one("revisits/task_get", {"id": c["task"]})["version"],
        revisits.Attempt(method="phone", reached=True, person_reached=LONG_NAME, satisfaction="satisfied",
                         attitude="satisfied", efficiency="satisfied", effect="satisfied")),
     "接受回访人: " + NAME_TOO_LONG, ("revisit_tasks", "revisit_records")),
    ("service-description", None, lambda db, c: _service(db, description=LONG), "内容: " + TOO_LONG,
     ("service_records", "revisit_tasks")),
    ("service-resident", None, lambda db, c: _service(db, resident_name=LONG_NAME), "住户姓名: " + NAME_TOO_LONG,
     ("service_records", "revisit_tasks")),
    ("move-in-name", None, lambda db, c: revisits.commands.record_move_in(
        db, who(db, "clerk1"), project_id=actor(db, "clerk1").scope.id, unit_id=None, name=LONG_NAME,
        phone="13800138000", relation="owner", moved_in_on=date(2026, 11, 1)), "住户姓名: " + NAME_TOO_LONG,
     ("residents", "revisit_tasks")),
]


@pytest.mark.parametrize(("name", "before", "call", "sees", "tables"), COMMAND_CASES, ids=[c[0] for c in COMMAND_CASES])
def test_a_command_refuses_a_text_over_its_limit(db_path, db, name, before, call, sees, tables):
    ctx = prepare(db, FormCase(name, "", "", "", {}, "", (), before=before))
    state = snapshot(db, *tables)
    with pytest.raises(UserError) as info:
        call(db, ctx)
    err = info.value
    assert sees in "\n".join([err.message(), *(err.messages() if hasattr(err, "messages") else [])])
    assert snapshot(db, *tables) == state


# ---- the survey entry grid, the admin grids, a wave: through their commands ----------------------
def test_survey_form_with_a_bad_phone_and_long_comments_is_refused(db_path, db):
    wave_id = make_wave(db, {"P001": 20})
    pid = project_id(db, "P001")
    first = item_keys(db)[0]
    before = snapshot(db, "survey_responses", "survey_answers", "revisit_tasks", "survey_item_counts")
    forms = [surveys.FormInput(project_id=pid, ratings={first: 4}, unit_text="1-0101", respondent_phone="0000000",
                               row=1, cells={}),
             surveys.FormInput(project_id=pid, ratings={first: 3}, unit_text="1-0102", comments=LONG, row=2, cells={})]
    with pytest.raises(UserError) as info:
        survey_commands.enter_forms(db, actor(db, "supervisor1"), wave_id, forms)
    messages = info.value.messages()
    assert any(m.startswith("第 1 行") and "电话号码「0000000」无效" in m for m in messages), messages
    assert any(m.startswith("第 2 行") and TOO_LONG in m for m in messages), messages
    assert snapshot(db, "survey_responses", "survey_answers", "revisit_tasks", "survey_item_counts") == before


def test_admin_grid_name_too_long_is_refused(db_path, db):
    from csm import admin
    from csm.admin import commands as admin_commands

    hq = actor(db, "admin")
    base = admin.load_grid(db, admin.BRANCHES)
    edited = base.copy()
    edited.loc[edited.index[0], "name"] = "分" * 201
    before = snapshot(db, "branches", "audit_log")
    with pytest.raises(UserError) as info:
        admin_commands.save_branches(db, hq, base, edited)
    assert any("内容过长：最多 200 个字符，当前 201 个。" in m for m in info.value.messages())
    assert snapshot(db, "branches", "audit_log") == before


def test_wave_with_an_over_long_name_is_refused(db_path, db):
    before = snapshot(db, "survey_waves", "survey_wave_projects")
    with pytest.raises(UserError) as info:
        survey_commands.create_wave(db, actor(db, "supervisor1"), surveys.WavePlan(
            name="调" * 201, purpose="了解满意度", questionnaire_id=1, starts_on=date(2026, 10, 1),
            ends_on=date(2026, 11, 30), forms_issued={project_id(db, "P001"): 10}))
    assert "活动名称: 内容过长：最多 200 个字符，当前 201 个。" in info.value.messages()
    assert snapshot(db, "survey_waves", "survey_wave_projects") == before


# ---- the resident's link --------------------------------------------------------------------------
def _token(db, wave_id):
    pid = project_id(db, "P001")
    survey_commands.create_tokens(db, actor(db, "supervisor1"), wave_id, pid)
    return db._conn.execute("SELECT token FROM survey_tokens WHERE wave_id = ? ORDER BY token LIMIT 1",
                            [wave_id]).fetchone()[0]


def _resident_page(token):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "pages" / "survey_self.py"), default_timeout=60)
    at.query_params["survey_token"] = token
    at.run()
    return at


def test_resident_comments_too_long_are_refused(db_path, db):
    token = _token(db, make_wave(db, {"P001": 20}))
    at = _resident_page(token)
    assert at.text_area(key="survey_self.comments").max_chars == config.MAX_TEXT_CHARS  # the counter
    before = snapshot(db, "survey_responses", "survey_tokens", "survey_answers")
    with pytest.raises(UserError) as info:
        self_service.answer_by_token(db, token, {item_keys(db)[0]: 4}, LONG)
    assert any(TOO_LONG in m for m in info.value.messages())
    assert snapshot(db, "survey_responses", "survey_tokens", "survey_answers") == before


def test_a_link_37_days_after_its_waves_end_is_refused_in_chinese(db_path, db):
    from csm import dates

    today = dates.today(db.timezone)
    ended = today - timedelta(days=37)
    sup = actor(db, "supervisor1")
    wave_id = survey_commands.create_wave(db, sup, surveys.WavePlan(
        name="已结束的调查", purpose="了解满意度", questionnaire_id=1, starts_on=ended - timedelta(days=30),
        ends_on=ended, forms_issued={project_id(db, "P001"): 20}))
    survey_commands.approve_wave(db, actor(db, "manager_p1"), wave_id, 1)
    token = _token(db, wave_id)
    with pytest.raises(UserError) as info:
        self_service.token_info(db, token)
    message = f"本次调查已于 {ended.isoformat()} 结束，此链接已失效，感谢您的关注。"
    assert info.value.message() == message
    before = snapshot(db, "survey_responses", "survey_tokens")
    with pytest.raises(UserError):
        self_service.answer_by_token(db, token, {item_keys(db)[0]: 4})
    assert snapshot(db, "survey_responses", "survey_tokens") == before
    at = _resident_page(token)
    assert message in [i.value for i in at.info] and not at.radio  # no questions to answer


def test_a_link_of_a_closed_wave_says_the_survey_ended(db_path, db):
    wave_id = make_wave(db, {"P001": 20})
    token = _token(db, wave_id)
    assert self_service.token_info(db, token)["wave_id"] == wave_id  # open and running: it works
    survey_commands.close_wave(db, actor(db, "manager_p1"), wave_id, db.one("surveys/wave", {"id": wave_id})["version"])
    at = _resident_page(token)
    assert "本次调查已结束，此链接已失效，感谢您的关注。" in [i.value for i in at.info] and not at.radio


# ---- the importers ----------------------------------------------------------------------------------
def service_csv(n: int, phone: str = "13800138000") -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["项目编号", "房号", "住户姓名", "联系电话", "服务类型", "完成时间", "内容", "维修单号"])
    for i in range(n):
        w.writerow(["P001", f"1-{i:04d}", "张伟", phone, "维修", "2026/11/20 15:30", "更换灯泡", f"WX-{i}"])
    return buf.getvalue().encode("utf-8-sig")


def service_xlsx(n: int) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("服务记录")
    ws.append(["项目编号", "房号", "服务类型", "完成时间", "内容"])
    for i in range(n):
        ws.append(["P001", f"1-{i:04d}", "维修", "2026-11-20 15:30", "更换灯泡"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


SERVICE_TABLES = ("service_records", "revisit_tasks", "audit_log")


@dataclass
class ImportCase:
    id: str
    file_name: str
    make: object                       # () -> bytes
    env: dict[str, str]
    sees: str


SERVICE_IMPORT_CASES = [
    ImportCase("csv-over-the-row-limit", "repairs.csv", lambda: service_csv(6), {"CSM_MAX_IMPORT_ROWS": "5"},
               "文件「repairs.csv」有 6 行数据，超过每次导入 5 行的上限，未导入任何内容。请拆分成多个文件后再导入。"),
    ImportCase("xlsx-over-the-row-limit", "repairs.xlsx", lambda: service_xlsx(6), {"CSM_MAX_IMPORT_ROWS": "5"},
               "文件「repairs.xlsx」有 6 行数据，超过每次导入 5 行的上限，未导入任何内容。"),
    ImportCase("file-over-the-size-limit", "repairs.csv", lambda: service_csv(20000), {"CSM_MAX_UPLOAD_MB": "1"},
               "超过每个文件 1 MB 的上限，未导入任何内容。"),
    ImportCase("row-with-a-wrong-phone", "repairs.csv", lambda: service_csv(2, phone="0000000"), {},
               "第 2 行 · 电话: 电话号码「0000000」无效"),
]


@pytest.mark.parametrize("case", SERVICE_IMPORT_CASES, ids=lambda c: c.id)
def test_service_record_import_refuses_and_saves_nothing(db_path, db, monkeypatch, case):
    for k, v in case.env.items():
        monkeypatch.setenv(k, v)
    data = case.make()
    before = snapshot(db, *SERVICE_TABLES)
    clerk = who(db, "clerk1", Scope("project", project_id(db, "P001")))
    with pytest.raises(UserError) as info:
        revisits.commands.import_service_records(db, clerk, data, case.file_name)
    err = info.value
    shown = "\n".join([err.message(), *(err.messages() if hasattr(err, "messages") else [])])
    assert case.sees in shown, shown
    assert snapshot(db, *SERVICE_TABLES) == before


SURVEY_TABLES = ("survey_responses", "survey_answers", "survey_tokens", "revisit_tasks", "survey_item_counts")


def test_survey_import_over_the_row_limit_is_refused_before_its_rows_are_read(db_path, db, monkeypatch):
    from csm import excel

    wave_id = make_wave(db, {"P001": 200})
    keys = item_keys(db)
    data = filled_template(db, wave_id, [form_row(f"2-{n:04d}", [4] * len(keys)) for n in range(6)])
    monkeypatch.setenv("CSM_MAX_IMPORT_ROWS", "5")

    def no_reading(*_a, **_k):
        raise AssertionError("the rows of a file over the limit were read")

    monkeypatch.setattr(excel.Book, "rows", no_reading)
    before = snapshot(db, *SURVEY_TABLES)
    with pytest.raises(UserError) as info:
        survey_commands.import_forms(db, actor(db, "supervisor1"), wave_id, data, "forms.xlsx")
    assert info.value.message() == ("文件「forms.xlsx」有 6 行数据，超过每次导入 5 行的上限，未导入任何内容。"
                                    "请拆分成多个文件后再导入。")
    assert snapshot(db, *SURVEY_TABLES) == before
    monkeypatch.setenv("CSM_MAX_IMPORT_ROWS", "6")  # at the limit: read and saved
    monkeypatch.undo()
    assert len(survey_commands.import_forms(db, actor(db, "supervisor1"), wave_id, data, "forms.xlsx")) == 6


def test_survey_import_cells_with_a_bad_phone_or_long_comments_are_named(db_path, db):
    wave_id = make_wave(db, {"P001": 200})
    n_items = len(item_keys(db))
    rows = [["P001", None, "3-0001", "张伟", "0000000", "2026-10-20", *([4] * n_items), None],
            ["P001", None, "3-0002", "李娜", "13800138000", "2026-10-20", *([3] * n_items), LONG]]
    data = filled_template(db, wave_id, rows)
    before = snapshot(db, *SURVEY_TABLES)
    with pytest.raises(UserError) as info:
        survey_commands.import_forms(db, actor(db, "supervisor1"), wave_id, data, "forms.xlsx")
    messages = info.value.messages()
    assert any("第 2 行" in m and "E2「联系电话」" in m and "电话号码「0000000」无效" in m for m in messages), messages
    assert any("第 3 行" in m and "意见和建议" in m and TOO_LONG in m for m in messages), messages
    assert snapshot(db, *SURVEY_TABLES) == before
