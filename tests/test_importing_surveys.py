"""Survey forms under the one import mechanism (issue 11): a generated survey-forms workbook (the
wave's own headers and rating words) and a GBK CSV with English headers and a 5-point scale,
through a saved mapping, land with the right wave, project, unit and ratings; the wave's
satisfaction rate shown by csm's analysis equals the one computed from the file; an unmappable
rating rejects its row (line, column, reason) and nothing is imported; the same file twice adds
nothing; undo and its refusals."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from csm import fmt, import_targets, surveys
from csm.actor import Actor
from csm.errors import UserError, ValidationFailed
from csm.importing import commands, reads
from csm.importing.mapping import Mapping
from csm.org import users
from csm.surveys import commands as survey_commands
from csm.surveys import reads as survey_reads
from csm.surveys.import_target import ITEMS
from tests.conftest import project_id

TARGET = import_targets.get("survey_forms")
ZH_WORDS = {4: "很满意", 3: "满意", 2: "较满意", 1: "不满意", None: ""}
FIVE_POINT = {"5": "4", "4": "3", "3": "2", "2": "1", "1": "1", "N/A": "unrated"}  # the other tool's scale


def who(db, name: str) -> Actor:
    return Actor.of(users.get(db, name), tz=db.timezone)


def make_wave(db, issued: int = 500) -> dict:
    wave_id = survey_commands.create_wave(db, who(db, "supervisor1"), surveys.WavePlan(
        name="2026年客户满意度调查", purpose="了解业主满意程度", questionnaire_id=1, starts_on=date(2026, 10, 1),
        ends_on=date(2099, 12, 31), forms_issued={project_id(db, "P001"): issued}, target="全体业主", staff="客服中心"))
    survey_commands.approve_wave(db, who(db, "manager_p1"), wave_id, 1)
    return db.one("surveys/wave", {"id": wave_id})


def forms(n: int, seed: int = 7) -> list[dict]:
    """n forms of units 1-0001 …, each rating every item (a few left unrated)."""
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        ratings = {key: rnd.choices([4, 3, 2, 1, None], weights=[40, 30, 12, 15, 3])[0] for key, *_ in ITEMS}
        out.append({"unit": f"1-{i + 1:04d}", "form_no": f"F{i + 1:05d}", "ratings": ratings})
    return out


def rate_from_file(rows: list[dict]) -> float:
    """The satisfaction rate straight from the file (seed 002 4.1.5.2): qualified (4, 3, 2) over
    qualified + unsatisfied, unrated left out."""
    values = [v for r in rows for v in r["ratings"].values() if v is not None]
    return sum(1 for v in values if v >= 2) / len(values)


def write_xlsx(tmp_path: Path, wave: dict, rows: list[dict], name: str = "问卷录入.xlsx",
               bad: tuple[int, str, str] | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["调查活动", "项目编号", "问卷编号", "房号", "回收日期"] + [f"{n:02d} {zh}" for _, n, zh, _ in ITEMS])
    for i, r in enumerate(rows):
        cells = [wave["code"], "P001", r["form_no"], r["unit"], "2026-10-20"]
        cells += [ZH_WORDS[r["ratings"][key]] or None for key, *_ in ITEMS]
        if bad and bad[0] == i:
            cells[5 + [k for k, *_ in ITEMS].index(bad[1])] = bad[2]
        ws.append(cells)
    path = tmp_path / name
    wb.save(path)
    return path


def write_gbk_csv(tmp_path: Path, wave: dict, rows: list[dict]) -> Path:
    """Another tool's export: English headers, a 5-point scale (5 best, N/A), GBK, ';'."""
    back = {4: "5", 3: "4", 2: "3", 1: "2", None: "N/A"}
    header = ["Survey", "Project", "Room", "Returned", *[en for *_, en in ITEMS], "Comments"]
    lines = [header] + [[wave["code"], "P001", r["unit"], "2026/10/21", *[back[r["ratings"][k]] for k, *_ in ITEMS],
                         "电梯维修太慢"] for r in rows]
    path = tmp_path / "export.csv"
    path.write_bytes(("\r\n".join(";".join(x.replace(";", ",") for x in line) for line in lines) + "\r\n")
                     .encode("gbk"))
    return path


def inspect(db, a, path: Path, mapping: Mapping | None = None, progress=None):
    return reads.inspect(db, a, TARGET, path.read_bytes(), path.name, mapping, progress=progress)


def stored(db, wave_id: int) -> dict[str, dict]:
    """unit -> (project code, source, ratings by item) of the wave's forms, from the database."""
    rows = db._conn.execute(
        "SELECT r.unit_text, p.code, r.source, a.item_key, a.rating, r.import_batch FROM survey_responses r "
        "JOIN projects p ON p.id = r.project_id JOIN survey_answers a ON a.response_id = r.id WHERE r.wave_id = ?",
        [wave_id]).fetchall()
    out: dict[str, dict] = {}
    for unit, code, source, key, rating, batch in rows:
        out.setdefault(unit, {"project": code, "source": source, "batch": batch, "ratings": {}})["ratings"][key] = rating
    return out


def shown_rate(db, a, wave_id: int) -> str:
    return fmt.pct(survey_reads.summary(db, a, wave_id)["satisfaction_rate"])


def test_a_survey_forms_workbook_lands_in_its_wave_and_the_rate_equals_the_files(db, tmp_path):
    sup = who(db, "supervisor1")
    wave = make_wave(db)
    rows = forms(60)
    path = write_xlsx(tmp_path, wave, rows)
    found = inspect(db, sup, path)
    m = found.mapping
    assert m.columns["wave"] == "调查活动" and m.columns["project"] == "项目编号" and m.columns["unit"] == "房号"
    assert m.columns["cs_attitude"] == "01 客服人员服务态度" and m.columns["ovr_overall"] == "30 对物业服务的总体评价"
    assert m.values["cs_attitude"] == {"很满意": "4", "满意": "3", "较满意": "2", "不满意": "1"}  # suggested
    assert m.values["wave"] == {wave["code"]: str(wave["id"])}
    dry = reads.dry_run(db, sup, TARGET, found.sheet, m)
    assert (dry.count("add"), dry.count("reject")) == (60, 0)
    done = commands.apply(db, sup, TARGET, found.sheet, m)
    assert done.applied and done.count("add") == 60
    got = stored(db, wave["id"])
    assert len(got) == 60
    for r in rows:
        assert got[r["unit"]]["project"] == "P001" and got[r["unit"]]["source"] == "import"
        assert got[r["unit"]]["ratings"] == r["ratings"]
    expected = f"{rate_from_file(rows) * 100:.1f}%"
    assert shown_rate(db, sup, wave["id"]) == expected
    assert fmt.pct(survey_reads.satisfaction(db, who(db, "hq"), wave["id"])["satisfaction_rate"].iloc[0]) == expected
    # the same file again adds nothing
    again = reads.dry_run(db, sup, TARGET, inspect(db, sup, path).sheet, m)
    assert (again.count("add"), again.count("same"), again.count("reject")) == (0, 60, 0)
    assert not commands.apply(db, sup, TARGET, inspect(db, sup, path).sheet, m).applied
    assert len(stored(db, wave["id"])) == 60


def test_a_gbk_export_with_english_headers_and_a_five_point_scale_through_a_saved_mapping(db, tmp_path):
    sup = who(db, "supervisor1")
    wave = make_wave(db)
    first, second = forms(40, seed=1), forms(80, seed=2)[40:]
    path = write_gbk_csv(tmp_path, wave, first)
    found = inspect(db, sup, path)
    assert found.sheet.encoding in ("gb18030", "gbk") and found.sheet.delimiter == ";"
    m = found.mapping
    assert m.columns["unit"] == "Room" and m.columns["cs_attitude"] == "Attitude of customer-service staff"
    for f in TARGET.fields:  # the other tool's 5-point words, mapped once by the user
        if f.key.startswith(("cs_", "eng_", "sec_", "cln_", "lnd_", "fee_", "paid_", "cul_", "ovr_")):
            m.values[f.key] = dict(FIVE_POINT)
    m.values["wave"] = {wave["code"]: str(wave["id"])}
    commands.save_mapping(db, sup, TARGET, "旧问卷系统", m)
    assert commands.apply(db, sup, TARGET, found.sheet, m).count("add") == 40
    # the next export of the same system, through the saved mapping only
    path = write_gbk_csv(tmp_path, wave, second)
    saved = reads.saved_mapping(db, sup, TARGET, "旧问卷系统")
    again = inspect(db, sup, path, saved)
    assert commands.apply(db, sup, TARGET, again.sheet, again.mapping).count("add") == 40
    got = stored(db, wave["id"])
    assert {u: g["ratings"] for u, g in got.items()} == {r["unit"]: r["ratings"] for r in first + second}
    assert db._conn.execute("SELECT DISTINCT comments FROM survey_responses WHERE wave_id = ?",
                            [wave["id"]]).fetchall() == [("电梯维修太慢",)]  # read as GBK, not garbled
    assert shown_rate(db, who(db, "hq"), wave["id"]) == f"{rate_from_file(first + second) * 100:.1f}%"


def test_an_unmappable_rating_rejects_its_row_and_nothing_is_imported(db, tmp_path):
    sup = who(db, "supervisor1")
    wave = make_wave(db)
    rows = forms(5)
    path = write_xlsx(tmp_path, wave, rows, bad=(2, "eng_elevator", "还行"))
    found = inspect(db, sup, path)
    dry = reads.dry_run(db, sup, TARGET, found.sheet, found.mapping)
    assert [(o.line, o.column) for o in dry.rejected] == [(4, "eng_elevator")]
    shown = reads.report_rows(db, sup, TARGET, type(dry)(outcomes=dry.rejected))
    assert shown.iloc[0]["column"] == "09 电梯运行及维护保养" and "还行" in shown.iloc[0]["reason"]
    with pytest.raises(ValidationFailed) as exc:
        commands.apply(db, sup, TARGET, found.sheet, found.mapping)
    assert exc.value.messages()[0].startswith("第 4 行「09 电梯运行及维护保养」")
    assert stored(db, wave["id"]) == {}
    # the user maps the word (还行 → 较满意): then every row imports, with that rating
    found.mapping.values["eng_elevator"]["还行"] = "2"
    assert commands.apply(db, sup, TARGET, found.sheet, found.mapping).count("add") == 5
    assert stored(db, wave["id"])[rows[2]["unit"]]["ratings"]["eng_elevator"] == 2


def test_the_grids_rules_apply_to_imported_forms(db, tmp_path):
    sup = who(db, "supervisor1")
    wave = make_wave(db, issued=3)
    rows = forms(4)
    rows[1]["unit"] = rows[0]["unit"]   # one household twice
    rows[3]["ratings"] = dict.fromkeys(rows[3]["ratings"])  # nothing rated
    path = write_xlsx(tmp_path, wave, rows)
    found = inspect(db, sup, path)
    dry = reads.dry_run(db, sup, TARGET, found.sheet, found.mapping)
    reasons = {o.line: (o.column, o.reason.message()) for o in dry.rejected}
    assert reasons[3] == ("unit", f"房号 {rows[0]['unit']} 本次调查已有问卷")
    assert reasons[5][0] is None and dry.count("add") == 2


def test_follow_ups_like_typed_forms_and_undo_and_its_refusals(db, tmp_path):
    sup, admin = who(db, "supervisor1"), who(db, "admin")
    wave = make_wave(db)
    rows = forms(10)
    rows[0]["ratings"] = dict.fromkeys(rows[0]["ratings"], 1)  # all unsatisfied: a follow-up revisit
    path = write_xlsx(tmp_path, wave, rows)
    found = inspect(db, sup, path)
    done = commands.apply(db, sup, TARGET, found.sheet, found.mapping)
    n_tasks = db._conn.execute(
        "SELECT count(*) FROM revisit_tasks t JOIN survey_responses r ON r.id = t.survey_response_id "
        "WHERE r.import_batch = ?", [f"batch:{done.batch_id}"]).fetchone()[0]
    assert n_tasks >= 1  # as a typed form with unsatisfied items
    rate = survey_reads.summary(db, who(db, "hq"), wave["id"])["satisfaction_rate"]
    assert rate is not None
    # a follow-up worked on refuses the undo
    task = db._conn.execute("SELECT t.id FROM revisit_tasks t JOIN survey_responses r ON r.id = t.survey_response_id "
                            "WHERE r.import_batch = ? LIMIT 1", [f"batch:{done.batch_id}"]).fetchone()[0]
    db._conn.execute("UPDATE revisit_tasks SET status = 'cancelled' WHERE id = ?", [task])
    with pytest.raises(UserError) as exc:
        commands.undo(db, admin, TARGET, done.batch_id)
    assert exc.value.key == "targets.error.undo_referred"
    db._conn.execute("UPDATE revisit_tasks SET status = 'open' WHERE id = ?", [task])
    # a corrective action drawn up since the import refuses it too
    db._conn.execute("INSERT INTO survey_actions (wave_id, project_id, branch_id, problem, measure, owner, deadline, "
                     "created_by) SELECT ?, id, branch_id, '电梯', '保养', '张三', DATE '2099-01-01', 'x' FROM projects "
                     "WHERE code = 'P001'", [wave["id"]])
    with pytest.raises(UserError) as exc:
        commands.undo(db, admin, TARGET, done.batch_id)
    assert exc.value.message() == "导入后已针对这些项目制定了 1 项整改措施，不能撤销"
    db._conn.execute("DELETE FROM survey_actions WHERE wave_id = ?", [wave["id"]])
    assert commands.undo(db, admin, TARGET, done.batch_id) == 10
    assert stored(db, wave["id"]) == {}
    assert survey_reads.summary(db, who(db, "hq"), wave["id"])["satisfaction_rate"] is None  # the counts went too
    assert db._conn.execute("SELECT count(*) FROM revisit_tasks WHERE id = ?", [task]).fetchone()[0] == 0
    # imported again after the undo: everything comes back
    assert commands.apply(db, sup, TARGET, inspect(db, sup, path).sheet, found.mapping).count("add") == 10


# ---- a corrected file; a hand-typed form; bulk save = the grid's save ---------------------------
def counts_table(db, wave_id: int) -> dict:
    """survey_item_counts of the wave (project, item) -> (n4, n3, n2, n1, n0): the summary the analysis reads."""
    return {(p, k): (n4, n3, n2, n1, n0) for p, k, n4, n3, n2, n1, n0 in db._conn.execute(
        "SELECT project_id, item_key, n4, n3, n2, n1, n0 FROM survey_item_counts WHERE wave_id = ?",
        [wave_id]).fetchall()}


def counts_from_answers(db, wave_id: int) -> dict:
    return {(p, k): (n4, n3, n2, n1, n0) for p, k, n4, n3, n2, n1, n0 in db._conn.execute(
        "SELECT r.project_id, a.item_key, count(*) FILTER (WHERE a.rating = 4), count(*) FILTER (WHERE a.rating = 3), "
        "count(*) FILTER (WHERE a.rating = 2), count(*) FILTER (WHERE a.rating = 1), "
        "count(*) FILTER (WHERE a.rating IS NULL) FROM survey_answers a JOIN survey_responses r "
        "ON r.id = a.response_id WHERE r.wave_id = ? GROUP BY ALL", [wave_id]).fetchall()}


def form_rows(db, wave_id: int) -> dict[str, tuple]:
    """unit -> the form's stored fields and score, and its follow-up revisits (status, note)."""
    out = {}
    for row in db._conn.execute(
            "SELECT r.unit_text, r.form_no, r.unit_id, r.respondent_name, r.returned_on, r.comments, r.n_rated, "
            "r.n_unsatisfied, round(r.score, 6), (SELECT list((t.status, t.note, t.due_at) ORDER BY t.id) "
            "FROM revisit_tasks t WHERE t.survey_response_id = r.id) FROM survey_responses r WHERE r.wave_id = ?",
            [wave_id]).fetchall():
        out[row[0]] = row[1:]
    return out


def test_a_corrected_file_updates_the_forms_it_brought_and_undo_puts_them_back(db, tmp_path):
    sup, admin = who(db, "supervisor1"), who(db, "admin")
    wave = make_wave(db)
    rows = forms(8)
    rows[0]["ratings"] = dict.fromkeys(rows[0]["ratings"], 4)   # no follow-up
    rows[1]["ratings"] = dict.fromkeys(rows[1]["ratings"], 1)   # a follow-up
    path = write_xlsx(tmp_path, wave, rows, name="first.xlsx")
    found = inspect(db, sup, path)
    first = commands.apply(db, sup, TARGET, found.sheet, found.mapping)
    assert first.count("add") == 8
    before_rows, before_counts = form_rows(db, wave["id"]), counts_table(db, wave["id"])
    assert before_rows[rows[0]["unit"]][-1] is None and len(before_rows[rows[1]["unit"]][-1]) == 1
    # the corrected file: form 1 all unsatisfied now, form 2 all very satisfied, form 3 one rating changed
    fixed = [dict(r, ratings=dict(r["ratings"])) for r in rows]
    fixed[0]["ratings"] = dict.fromkeys(fixed[0]["ratings"], 1)
    fixed[1]["ratings"] = dict.fromkeys(fixed[1]["ratings"], 4)
    fixed[2]["ratings"]["cs_attitude"] = 1 if fixed[2]["ratings"]["cs_attitude"] != 1 else 4
    path = write_xlsx(tmp_path, wave, fixed, name="corrected.xlsx")
    again = inspect(db, sup, path)
    dry = reads.dry_run(db, sup, TARGET, again.sheet, again.mapping)
    ids = {u: i for u, i in db._conn.execute("SELECT unit_text, id FROM survey_responses WHERE wave_id = ?",
                                              [wave["id"]]).fetchall()}
    assert [(o.line, o.action, o.record_id) for o in dry.outcomes if o.action != "same"] == [
        (2, "update", ids[rows[0]["unit"]]), (3, "update", ids[rows[1]["unit"]]), (4, "update", ids[rows[2]["unit"]])]
    assert (dry.count("same"), dry.count("add"), dry.count("reject")) == (5, 0, 0)
    second = commands.apply(db, sup, TARGET, again.sheet, again.mapping)
    assert (second.count("update"), second.count("add")) == (3, 0)
    got = stored(db, wave["id"])
    assert {u: g["ratings"] for u, g in got.items()} == {r["unit"]: r["ratings"] for r in fixed}
    assert len(got) == 8 and got[rows[0]["unit"]]["batch"] == f"batch:{first.batch_id}"  # still the first import's
    assert counts_table(db, wave["id"]) == counts_from_answers(db, wave["id"])  # the summary follows the answers
    assert shown_rate(db, who(db, "hq"), wave["id"]) == f"{rate_from_file(fixed) * 100:.1f}%"
    after = form_rows(db, wave["id"])
    assert after[rows[0]["unit"]][7] == 0.0 and after[rows[0]["unit"]][-1][0][0] == "open"  # a follow-up now
    assert after[rows[1]["unit"]][7] == 100.0 and after[rows[1]["unit"]][-1] is None        # withdrawn
    # the same scores as the same forms typed in (the grid's rules)
    typed_wave = make_wave(db)
    survey_commands.enter_forms(db, sup, typed_wave["id"], [surveys.FormInput(
        project_id=project_id(db, "P001"), ratings=fixed[i]["ratings"], unit_text=fixed[i]["unit"],
        form_no=fixed[i]["form_no"], returned_on=date(2026, 10, 20)) for i in range(3)])
    typed = form_rows(db, typed_wave["id"])
    for i in range(3):
        u = rows[i]["unit"]
        assert after[u][:8] == typed[u][:8]
        assert [(s, n) for s, n, _ in after[u][-1] or []] == [(s, n) for s, n, _ in typed[u][-1] or []]
    # undo of the correcting import puts the earlier forms back, the counts with them
    assert commands.undo(db, admin, TARGET, second.batch_id) == 3
    assert {u: g["ratings"] for u, g in stored(db, wave["id"]).items()} == {r["unit"]: r["ratings"] for r in rows}
    assert counts_table(db, wave["id"]) == before_counts == counts_from_answers(db, wave["id"])
    back = form_rows(db, wave["id"])
    assert {u: v[:8] for u, v in back.items()} == {u: v[:8] for u, v in before_rows.items()}
    assert back[rows[0]["unit"]][-1] is None and [s for s, *_ in back[rows[1]["unit"]][-1]] == ["open"]
    # and then the first import can be undone too
    assert commands.undo(db, admin, TARGET, first.batch_id) == 8
    assert stored(db, wave["id"]) == {} and counts_from_answers(db, wave["id"]) == {}


def test_a_corrected_file_keeps_what_its_empty_cells_do_not_say_and_updates_the_comments(db, tmp_path):
    sup = who(db, "supervisor1")
    wave = make_wave(db)
    rows = forms(3)
    path = write_gbk_csv(tmp_path, wave, rows)  # comments 电梯维修太慢, returned 2026/10/21
    found = inspect(db, sup, path)
    for f in TARGET.fields:
        if f.key in {k for k, *_ in ITEMS}:
            found.mapping.values[f.key] = dict(FIVE_POINT)
    found.mapping.values["wave"] = {wave["code"]: str(wave["id"])}
    assert commands.apply(db, sup, TARGET, found.sheet, found.mapping).count("add") == 3
    text = path.read_bytes().decode("gbk").replace("电梯维修太慢", "绿化很好", 1).replace("2026/10/21", "", 1)
    path.write_bytes(text.encode("gbk"))
    again = inspect(db, sup, path, found.mapping)
    done = commands.apply(db, sup, TARGET, again.sheet, again.mapping)
    assert (done.count("update"), done.count("same")) == (1, 2)
    assert db._conn.execute("SELECT unit_text, comments, returned_on FROM survey_responses WHERE wave_id = ? "
                            "ORDER BY unit_text", [wave["id"]]).fetchall() == [
        (rows[0]["unit"], "绿化很好", date(2026, 10, 21)), (rows[1]["unit"], "电梯维修太慢", date(2026, 10, 21)),
        (rows[2]["unit"], "电梯维修太慢", date(2026, 10, 21))]


def test_an_import_does_not_change_a_form_typed_in_by_hand(db, tmp_path):
    sup = who(db, "supervisor1")
    wave = make_wave(db)
    rows = forms(3)
    survey_commands.enter_forms(db, sup, wave["id"], [surveys.FormInput(
        project_id=project_id(db, "P001"), ratings=dict.fromkeys(rows[1]["ratings"], 3), unit_text=rows[1]["unit"],
        form_no=rows[1]["form_no"])])
    path = write_xlsx(tmp_path, wave, rows)
    found = inspect(db, sup, path)
    dry = reads.dry_run(db, sup, TARGET, found.sheet, found.mapping)
    assert [(o.line, o.column, o.reason.message()) for o in dry.rejected] == [
        (3, "unit", f"{rows[1]['unit']} 的问卷是手工录入的，导入不会修改它（请在问卷录入中更正）")]
    with pytest.raises(ValidationFailed):
        commands.apply(db, sup, TARGET, found.sheet, found.mapping)
    assert set(stored(db, wave["id"])[rows[1]["unit"]]["ratings"].values()) == {3}


def test_forms_saved_in_bulk_equal_the_same_forms_typed_in_one_by_one(db, tmp_path):
    """entry.insert_forms (the import) writes the rows entry.insert_form (the grid) writes: forms,
    answers, the counts table, scores, spent links and follow-up revisits."""
    sup = who(db, "supervisor1")
    pid = project_id(db, "P001")
    rows = forms(120, seed=11)
    rows[5]["ratings"] = dict.fromkeys(rows[5]["ratings"], 2)  # no unsatisfied item, but a low score
    typed_wave, imported_wave = make_wave(db), make_wave(db)
    units = [u for (u,) in db._conn.execute("SELECT code FROM units WHERE project_id = ? ORDER BY code LIMIT 40",
                                            [pid]).fetchall()]
    for i, r in enumerate(rows):  # the real households (unit_id linked, their links spent), then unknown ones
        r["unit"] = units[i] if i < len(units) else f"外-{i:03d}"
    for w in (typed_wave, imported_wave):
        survey_commands.create_tokens(db, sup, w["id"], pid)
    survey_commands.enter_forms(db, sup, typed_wave["id"], [surveys.FormInput(
        project_id=pid, ratings=r["ratings"], unit_text=r["unit"], form_no=r["form_no"],
        returned_on=date(2026, 10, 20)) for r in rows])
    path = write_xlsx(tmp_path, imported_wave, rows)
    found = inspect(db, sup, path)
    assert commands.apply(db, sup, TARGET, found.sheet, found.mapping).count("add") == 120
    a, b = form_rows(db, typed_wave["id"]), form_rows(db, imported_wave["id"])
    assert len(a) == 120 and sum(1 for v in a.values() if v[1] is not None) == len(units) > 5
    assert {u: v[:8] for u, v in a.items()} == {u: v[:8] for u, v in b.items()}
    assert {u: [(s, n) for s, n, _ in v[-1] or []] for u, v in a.items()} == {
        u: [(s, n) for s, n, _ in v[-1] or []] for u, v in b.items()}
    assert sum(1 for v in b.values() if v[-1]) > 0
    answers = ("SELECT r.unit_text, a.item_key, a.rating FROM survey_answers a JOIN survey_responses r "
               "ON r.id = a.response_id WHERE r.wave_id = ? ORDER BY 1, 2")
    assert db._conn.execute(answers, [typed_wave["id"]]).fetchall() == db._conn.execute(
        answers, [imported_wave["id"]]).fetchall()
    assert counts_table(db, typed_wave["id"]) == counts_table(db, imported_wave["id"]) == counts_from_answers(
        db, imported_wave["id"])
    spent = ("SELECT t.unit_id, r.unit_text FROM survey_tokens t JOIN survey_responses r ON r.id = t.response_id "
             "WHERE t.wave_id = ? AND t.used_at IS NOT NULL ORDER BY 1")
    assert db._conn.execute(spent, [typed_wave["id"]]).fetchall() == db._conn.execute(
        spent, [imported_wave["id"]]).fetchall() != []
    audit = "SELECT count(*) FROM audit_log WHERE entity = 'survey_response' AND entity_id IN (SELECT CAST(id AS VARCHAR) FROM survey_responses WHERE wave_id = ?)"
    assert db._conn.execute(audit, [imported_wave["id"]]).fetchone() == db._conn.execute(
        audit, [typed_wave["id"]]).fetchone() == (120,)


def test_the_undo_of_a_correction_is_refused_while_the_follow_up_it_opened_was_worked_on(db, tmp_path):
    sup, admin = who(db, "supervisor1"), who(db, "admin")
    wave = make_wave(db)
    rows = forms(2)
    for r in rows:
        r["ratings"] = dict.fromkeys(r["ratings"], 4)
    found = inspect(db, sup, write_xlsx(tmp_path, wave, rows, name="a.xlsx"))
    commands.apply(db, sup, TARGET, found.sheet, found.mapping)
    rows[0]["ratings"] = dict.fromkeys(rows[0]["ratings"], 1)
    again = inspect(db, sup, write_xlsx(tmp_path, wave, rows, name="b.xlsx"))
    second = commands.apply(db, sup, TARGET, again.sheet, again.mapping)
    assert second.count("update") == 1
    task = db._conn.execute("SELECT t.id FROM revisit_tasks t JOIN survey_responses r ON r.id = t.survey_response_id "
                            "WHERE r.wave_id = ?", [wave["id"]]).fetchall()
    assert len(task) == 1
    db._conn.execute("UPDATE revisit_tasks SET status = 'done' WHERE id = ?", [task[0][0]])
    with pytest.raises(UserError) as exc:
        commands.undo(db, admin, TARGET, second.batch_id)
    assert exc.value.key == "targets.error.undo_referred"
    assert set(stored(db, wave["id"])[rows[0]["unit"]]["ratings"].values()) == {1}  # nothing undone
    assert counts_table(db, wave["id"]) == counts_from_answers(db, wave["id"])
