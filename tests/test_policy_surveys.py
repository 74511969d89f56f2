"""Role matrix of the survey reads and commands (see tests/policy_matrix.py), and the resident's
link, which has no role: a bad token is refused.

The records are set up inside each call with the internal (un-guarded) functions: a wave of P001
drawn up by supervisor1 (approved by head office unless a draft is wanted), so that every allowed
role can run the call and an actor scoped to P003 / B02 cannot see it.
"""

from __future__ import annotations

from datetime import date

import pytest

from csm import policy
from csm.actor import Actor
from csm.errors import UserError
from csm.surveys import actions, commands, reads, rules, self_service, waves
from tests.policy_matrix import Case, actor_for, matrix_test
from tests.test_surveys import filled_template, form_row


def _pid(db, code="P001") -> int:
    return db.one("org/project_by_code", {"code": code})["id"]


def _p001_wave(db, approved: bool = True) -> int:
    """A fresh project wave of P001 drawn up by supervisor1 (approved by hq unless a draft)."""
    author, hq = actor_for(db, "supervisor"), actor_for(db, "head_office")

    def work(tx):
        wave_id = waves.insert_wave(tx, author, waves.WavePlan(
            "矩阵测试调查", "检查角色", 1, date(2026, 11, 1), date(2026, 12, 31), {_pid(db): 100}))
        if approved:
            waves.set_status(tx, hq, wave_id, 1, "approved", "approve", "draft")
        return wave_id

    return db.transaction(work)


def _version(db, wave_id: int) -> int:
    return int(db.one("surveys/wave", {"id": wave_id})["version"])


def _form(db, unit: str = "MX-1"):
    key = rules.items_of(db, 1)[0]["item_key"]
    return commands.FormInput(_pid(db), {key: 4}, unit_text=unit)


def _p001_form(db) -> int:
    """A returned form of P001 in a fresh wave (entered as clerk1)."""
    wave_id = _p001_wave(db)
    return commands.enter_forms(db, actor_for(db, "clerk"), wave_id, [_form(db)], confirm_incomplete=True)[0]["id"]


def _p001_action(db) -> int:
    wave_id = _p001_wave(db)
    dim = db.df("surveys/dimensions")["code"].iloc[0]
    return db.transaction(lambda tx: actions.insert_action(tx, actor_for(db, "head_office"), actions.ActionInput(
        wave_id, _pid(db), "电梯故障多", "加强维保", "工程部 王工", date(2026, 12, 20), dimension=dim)))


def _latest_group_wave(db) -> int:
    rows = db.df("surveys/waves", {"scope_kind": "group", "scope_id": -1})
    return int(rows[(rows["level"] == "group") & (rows["status"] == "approved")]["id"].iloc[0])


def _no_p001_project(db, frame, column="project_id"):
    assert _pid(db) not in set(frame[column].tolist())


def _waves_without_p001_wave(db, a):
    wave_id = _p001_wave(db)
    return wave_id, reads.waves(db, a)


def _import(db, a):
    wave_id = _p001_wave(db)
    data = filled_template(db, wave_id, [form_row("MX-2", [4] * 30)])
    return commands.import_forms(db, a, wave_id, data, "forms.xlsx", confirm_incomplete=True)


def _approve(db, a):
    wave_id = _p001_wave(db, approved=False)
    commands.approve_wave(db, a, wave_id, _version(db, wave_id))


def _close(db, a):
    wave_id = _p001_wave(db)
    commands.close_wave(db, a, wave_id, _version(db, wave_id))


def _new_version(db, a):
    items = [{k: i[k] for k in ("item_key", "dimension", "text_zh", "text_en")} for i in rules.items_of(db, 1)]
    return commands.new_questionnaire_version(db, a, 1, "矩阵测试问卷", "", items[:5])


def _create_action(db, a):
    wave_id = _p001_wave(db)
    dim = db.df("surveys/dimensions")["code"].iloc[0]
    return commands.create_action(db, a, commands.ActionInput(
        wave_id, _pid(db), "夜间巡逻少", "增加巡逻", "秩序部", date(2026, 12, 20), dimension=dim))


def _update_action(db, a):
    action_id = _p001_action(db)
    commands.update_action(db, a, action_id, 1, measure="加强维保", owner="王工", deadline=date(2026, 12, 20),
                           result="已更换主板", status="done")


CASES = [
    # ---- reads ----------------------------------------------------------------------------------
    Case("surveys.waves", lambda db, a: _waves_without_p001_wave(db, a), record=False,
         check_outside=lambda db, r: (r[0] not in set(r[1]["id"])) or pytest.fail("P001 wave listed"),
         id="reads.waves"),
    Case("surveys.waves", lambda db, a: reads.wave(db, a, _p001_wave(db)), id="reads.wave.P001"),
    Case("surveys.waves", lambda db, a: reads.wave_projects(db, a, _latest_group_wave(db)), record=False,
         check_outside=lambda db, r: _no_p001_project(db, r), id="reads.wave_projects"),
    Case("surveys.waves", lambda db, a: reads.wave_rights(db, a, _p001_wave(db)), id="reads.wave_rights.P001"),
    Case("surveys.waves", lambda db, a: reads.targets(db, a), record=False, id="reads.targets"),
    Case("surveys.plan", lambda db, a: reads.plan_projects(db, a), record=False,
         check_outside=lambda db, r: _no_p001_project(db, r, "id"), id="reads.plan_projects"),
    Case("surveys.questionnaires", lambda db, a: reads.questionnaires(db, a), record=False),
    Case("surveys.questionnaires", lambda db, a: reads.questionnaire(db, a, 1), record=False,
         id="reads.questionnaire"),
    Case("surveys.items", lambda db, a: reads.items(db, a, 1), record=False),
    Case("surveys.items", lambda db, a: reads.dimensions(db, a), record=False, id="reads.dimensions"),
    Case("surveys.weights", lambda db, a: reads.weights(db, a), record=False),
    Case("surveys.satisfaction", lambda db, a: reads.satisfaction(db, a, _latest_group_wave(db), "project"),
         record=False, check_outside=lambda db, r: _no_p001_project(db, r, "key") if "key" in r else None),
    Case("surveys.entry", lambda db, a: reads.recent_forms(db, a, _p001_wave(db), _pid(db)),
         id="reads.recent_forms.P001"),
    Case("surveys.entry", lambda db, a: reads.template(db, a, _p001_wave(db), "P001"), id="reads.template.P001"),
    Case("surveys.analysis", lambda db, a: reads.summary(db, a, _latest_group_wave(db)), record=False,
         id="reads.summary"),
    Case("surveys.analysis", lambda db, a: reads.pareto(db, a, _latest_group_wave(db)), record=False,
         id="reads.pareto"),
    Case("surveys.analysis", lambda db, a: reads.low_scores(db, a, _latest_group_wave(db)), record=False,
         id="reads.low_scores"),
    Case("surveys.analysis", lambda db, a: reads.form(db, a, _p001_form(db)), id="reads.form.P001"),
    Case("surveys.links", lambda db, a: reads.household_links(db, a, _p001_wave(db), _pid(db), "https://kf.example"),
         id="reads.household_links.P001"),
    Case("surveys.links", lambda db, a: reads.public_base_url(db, a), record=False, id="reads.public_base_url"),
    Case("surveys.actions", lambda db, a: (_p001_action(db), reads.actions(db, a)), record=False,
         check_outside=lambda db, r: (r[0] not in set(r[1]["id"])) or pytest.fail("P001 action listed"),
         id="reads.actions"),
    Case("surveys.actions", lambda db, a: reads.action_counts(db, a), record=False, id="reads.action_counts"),
    # ---- commands -------------------------------------------------------------------------------
    Case("surveys.new_questionnaire_version", _new_version, record=False),
    Case("surveys.set_weights", lambda db, a: commands.set_weights(db, a, {4: 100, 3: 80, 2: 60, 1: 0}),
         record=False),
    Case("surveys.create_wave", lambda db, a: commands.create_wave(db, a, waves.WavePlan(
        "矩阵测试", "检查角色", 1, date(2026, 11, 1), date(2026, 11, 30),
        {int(p["id"]): 10 for p in reads.plan_projects(db, a).head(1).to_dict("records")})), record=False),
    Case("surveys.approve_wave", _approve),
    Case("surveys.close_wave", _close),
    Case("surveys.set_forms_issued", lambda db, a: commands.set_forms_issued(db, a, _p001_wave(db), _pid(db), 150)),
    Case("surveys.enter_forms", lambda db, a: commands.enter_forms(db, a, _p001_wave(db), [_form(db)],
                                                                   confirm_incomplete=True)),
    Case("surveys.import_forms", _import),
    Case("surveys.create_tokens", lambda db, a: commands.create_tokens(db, a, _p001_wave(db), _pid(db))),
    Case("surveys.create_action", _create_action),
    Case("surveys.update_action", _update_action),
]

test_role_matrix = matrix_test(CASES)


# ---- the resident's link: no role, the token is the credential ----------------------------------
@pytest.mark.parametrize("token", [None, "", "   ", "no-such-token", "' OR 1=1 --"])
def test_a_bad_token_is_refused_before_and_at_the_answer(db, token):
    with pytest.raises(UserError) as exc:
        self_service.token_info(db, token)
    assert exc.value.key == "survey.self.unknown_token"
    with pytest.raises(UserError) as exc:
        self_service.answer_by_token(db, token, {"cs_attitude": 4})
    assert exc.value.key == "survey.self.unknown_token" and "链接无效" in exc.value.message()


def test_a_good_token_answers_once_without_any_role(db):
    wave_id = _p001_wave(db)
    commands.create_tokens(db, actor_for(db, "supervisor"), wave_id, _pid(db))
    token = db.df("surveys/tokens", {"wave_id": wave_id, "project_id": _pid(db), "scope_kind": "group",
                                     "scope_id": -1})["token"].iloc[0]
    info = self_service.token_info(db, token)
    assert len(info["items"]) == 30
    out = self_service.answer_by_token(db, token, {i["item_key"]: 4 for i in info["items"]})
    assert db.one("surveys/response", {"id": out["id"], "scope_kind": "group", "scope_id": -1})["entered_by"] is None
    with pytest.raises(UserError) as exc:
        self_service.answer_by_token(db, token, {i["item_key"]: 4 for i in info["items"]})
    assert exc.value.key == "survey.self.already_answered"


def test_the_resident_is_no_role_of_the_policy_table(db):
    """The resident's clock actor is never allowed a guarded read or command."""
    resident = self_service._clock(db)
    assert isinstance(resident, Actor)
    assert resident.role not in policy.ROLES
    assert not any(policy.allows(resident, name) for name in policy.POLICY)
