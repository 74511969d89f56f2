"""The import mechanism with the households target (issue 11), on real files written to tmp_path:
.xlsx, .xls, CSV in UTF-8 with BOM and in GBK land with the right projects, buildings and units;
a bad row is named by the dry run and stops the whole import; the fixed file imports everything;
the same file again adds nothing; a corrected file updates; a saved mapping is reused; undo."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
import xlwt
from openpyxl import Workbook, load_workbook

from csm import import_targets
from csm.actor import Actor
from csm.errors import PermissionDenied, UserError, ValidationFailed
from csm.importing import commands, reads
from csm.importing.mapping import Mapping
from csm.org import users
from tests.conftest import project_id

TARGET = import_targets.get("households")
HEADER = ["项目", "楼栋", "房号", "业主姓名", "手机号码", "入住日期", "建筑面积（㎡）"]


def rows_of(p1: str = "P001", p2: str = "P002") -> list[list]:
    return [
        [p1, "9号楼", "9-0101", "赵一", "13900000001", "2024-03-05", 89.5],
        [p1, "9号楼", "9-0102", "钱二", "139 0000 0002", "2024/3/6", 110],
        [p1, "8栋", "0301", "孙三", "13900000003", "2024年3月7日", 128],
        [p2, "9号楼", "9-0101", "李四", "13900000004", "2024-03-08", 90],
    ]


def write(tmp_path: Path, fmt: str, header: list, rows: list[list], name: str = "households") -> Path:
    path = tmp_path / f"{name}.{fmt.split('-')[0]}"
    if fmt == "xlsx":
        wb = Workbook()
        ws = wb.active
        ws.title = "住户清单"
        ws.append(header)
        for r in rows:
            ws.append(r)
        wb.save(path)
    elif fmt == "xls":
        wb = xlwt.Workbook(encoding="utf-8")
        ws = wb.add_sheet("住户清单")
        for i, r in enumerate([header, *rows]):
            for j, v in enumerate(r):
                ws.write(i, j, v)
        wb.save(str(path))
    else:
        enc, delim = {"csv-bom": ("utf-8-sig", ","), "csv-gbk": ("gbk", ";"), "csv": ("utf-8", ",")}[fmt]
        text = "\r\n".join(delim.join(str(v) for v in r) for r in [header, *rows]) + "\r\n"
        path.write_bytes(text.encode(enc))
    return path


def actor(db, username: str = "admin") -> Actor:
    return Actor.of(users.get(db, username), tz=db.timezone)


def inspect(db, a, path: Path, mapping: Mapping | None = None):
    return reads.inspect(db, a, TARGET, path.read_bytes(), path.name, mapping)


def households(db, code: str) -> dict[tuple[str, str], tuple]:
    """(building name, unit code) -> (building code, area, owner, phone, moved in) of a project."""
    rows = db._conn.execute(
        "SELECT b.name, u.code, b.code, u.area_m2, r.name, r.phone, r.moved_in_on FROM units u "
        "JOIN buildings b ON b.id = u.building_id JOIN projects p ON p.id = u.project_id "
        "LEFT JOIN residents r ON r.unit_id = u.id AND r.relation = 'owner' WHERE p.code = ?", [code]).fetchall()
    return {(r[0], r[1]): r[2:] for r in rows}


def count(db, sql: str) -> int:
    return db._conn.execute(sql).fetchone()[0]


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "csv-bom", "csv-gbk"])
def test_a_household_list_lands_with_its_projects_buildings_and_units(db, tmp_path, fmt):
    a = actor(db)
    path = write(tmp_path, fmt, HEADER, rows_of())
    found = inspect(db, a, path)
    if fmt == "csv-gbk":
        assert found.sheet.encoding == "gb18030" and found.sheet.delimiter == ";"
    if fmt == "csv-bom":
        assert found.sheet.encoding == "utf-8-sig" and found.sheet.headers[0] == "项目"
    assert found.mapping.columns == {"project": "项目", "building": "楼栋", "unit": "房号", "owner": "业主姓名",
                                     "phone": "手机号码", "moved_in_on": "入住日期", "area_m2": "建筑面积（㎡）"}
    assert found.mapping.values["project"] == {"P001": str(project_id(db, "P001")), "P002": str(project_id(db, "P002"))}
    before_units = count(db, "SELECT count(*) FROM units")
    wave = count(db, "SELECT min(id) FROM survey_waves")
    p1_id = project_id(db, "P001")
    links_before = db.value("surveys/units_without_token", {"wave_id": wave, "project_id": p1_id})
    report = reads.dry_run(db, a, TARGET, found.sheet, found.mapping)
    assert (report.count("add"), report.count("reject")) == (4, 0)
    assert count(db, "SELECT count(*) FROM units") == before_units  # the dry run wrote nothing

    done = commands.apply(db, a, TARGET, found.sheet, found.mapping)
    assert done.applied and done.count("add") == 4
    p1 = households(db, "P001")
    assert p1[("9号楼", "9-0101")] == ("9", 89.5, "赵一", "13900000001", date(2024, 3, 5))
    assert p1[("9号楼", "9-0102")] == ("9", 110.0, "钱二", "13900000002", date(2024, 3, 6))
    assert p1[("8栋", "0301")] == ("8", 128.0, "孙三", "13900000003", date(2024, 3, 7))
    assert households(db, "P002")[("9号楼", "9-0101")][2:4] == ("李四", "13900000004")
    # the denominators of the per-100-household rates follow the list
    for code in ("P001", "P002"):
        assert count(db, f"SELECT households FROM projects WHERE code = '{code}'") == \
            count(db, f"SELECT count(*) FROM units u JOIN projects p ON p.id = u.project_id WHERE p.code = '{code}'")
    # the list behind the survey links: each imported household of P001 can get its link
    assert db.value("surveys/units_without_token", {"wave_id": wave, "project_id": p1_id}) == links_before + 3
    # no move-in revisit for history
    assert count(db, "SELECT count(*) FROM revisit_tasks WHERE kind = 'move_in' AND resident_id IN "
                     "(SELECT id FROM residents WHERE name IN ('赵一', '钱二', '孙三', '李四'))") == 0


def test_one_bad_row_stops_the_import_then_the_fixed_file_imports_and_again_adds_nothing(db, tmp_path):
    a = actor(db)
    bad = rows_of()
    bad[2][5] = "2024-02-30"  # line 4: a day that does not exist
    path = write(tmp_path, "xlsx", HEADER, bad, "bad")
    found = inspect(db, a, path)
    report = reads.dry_run(db, a, TARGET, found.sheet, found.mapping)
    assert [(o.line, o.column) for o in report.rejected] == [(4, "moved_in_on")]
    text = reads.report_rows(db, a, TARGET, report)
    line4 = text[text["line"] == 4].iloc[0]
    assert (line4["action"], line4["column"], line4["reason"]) == ("拒绝", "入住日期", "“2024-02-30”不是所选格式的日期")
    # the error file names the line, the field and the reason, with the row as the file had it
    errors = load_workbook(io.BytesIO(reads.error_file(db, a, TARGET, report, found.sheet))).active
    values = list(errors.iter_rows(values_only=True))
    assert values[0][:3] == ("行号", "字段", "原因") and values[1][:3] == (4, "入住日期", "“2024-02-30”不是所选格式的日期")
    assert "孙三" in values[1]

    before = count(db, "SELECT count(*) FROM units")
    with pytest.raises(ValidationFailed) as exc:
        commands.apply(db, a, TARGET, found.sheet, found.mapping)
    assert exc.value.messages() == ["第 4 行「入住日期」：“2024-02-30”不是所选格式的日期"]
    assert count(db, "SELECT count(*) FROM units") == before  # all or nothing: nothing
    assert count(db, "SELECT count(*) FROM import_batches") == 0

    fixed = write(tmp_path, "xlsx", HEADER, rows_of(), "fixed")
    found = inspect(db, a, fixed)
    assert commands.apply(db, a, TARGET, found.sheet, found.mapping).count("add") == 4
    assert count(db, "SELECT count(*) FROM units") == before + 4

    again = commands.apply(db, a, TARGET, found.sheet, found.mapping)
    assert (again.applied, again.count("add"), again.count("same")) == (False, 0, 4)
    assert again.previous["file_name"] == "fixed.xlsx"
    assert count(db, "SELECT count(*) FROM units") == before + 4
    assert count(db, "SELECT count(*) FROM import_batches") == 1

    corrected = rows_of()
    corrected[0][6] = 91  # the area of 9-0101 was wrong
    corrected[1][3] = "钱二妹"  # and the owner's name
    found = inspect(db, a, write(tmp_path, "xlsx", HEADER, corrected, "corrected"))
    done = commands.apply(db, a, TARGET, found.sheet, found.mapping)
    assert (done.count("add"), done.count("update"), done.count("same")) == (0, 2, 2)
    p1 = households(db, "P001")
    assert p1[("9号楼", "9-0101")][1] == 91.0 and p1[("9号楼", "9-0102")][2] == "钱二妹"
    assert count(db, "SELECT count(*) FROM residents WHERE name LIKE '钱二%'") == 1  # updated, not added


def test_a_foreign_export_with_english_headers_imports_through_a_saved_mapping(db, tmp_path):
    a = actor(db)
    header = ["Estate", "Block", "Room No.", "Owner Name", "Mobile", "Handover", "GFA (sqm)", "Remarks"]
    rows = [["Garden One", "T9", "T9-01", "Wang Wei", "13700000001", "3/5/24 14:30", 75, "x"],
            ["Garden One", "T9", "T9-02", "Li Na", "13700000002", "3/6/24", 76, ""],
            ["Somewhere Else", "T9", "T9-03", "Zhou", "13700000003", "3/7/24", 77, ""]]
    found = inspect(db, a, write(tmp_path, "csv", header, rows, "foreign1"))
    m = found.mapping
    assert m.columns == {"project": "Estate", "building": "Block", "unit": "Room No.", "owner": "Owner Name",
                         "phone": "Mobile", "moved_in_on": "Handover", "area_m2": "GFA (sqm)"}
    assert m.date_format == "mdy"
    counts = reads.value_counts(db, a, TARGET, found.sheet, m)["project"]
    assert counts.to_dict("records") == [{"value": "Garden One", "rows": 2, "mapped": None},
                                         {"value": "Somewhere Else", "rows": 1, "mapped": None}]
    p1 = str(project_id(db, "P001"))
    assert p1 in {c.value for c in reads.choices(db, a, TARGET, "project")}
    m.values["project"] = {"Garden One": p1}  # "Somewhere Else" stays unmapped
    report = reads.dry_run(db, a, TARGET, found.sheet, m)
    assert [(o.line, o.column) for o in report.rejected] == [(4, "project")]
    assert report.rejected[0].reason.message() == "值“Somewhere Else”没有对应到系统中的一项"
    commands.save_mapping(db, a, TARGET, "旧物业系统", m)
    assert [x["name"] for x in reads.mappings(db, a, TARGET)] == ["旧物业系统"]

    # the next file of the same system: the saved mapping gives columns, values and the date format
    rows2 = [["Garden One", "T9", "T9-04", "Chen", "13700000004", "12/1/24", 80, ""]]
    saved = reads.saved_mapping(db, a, TARGET, "旧物业系统")
    found = inspect(db, a, write(tmp_path, "csv", header, rows2, "foreign2"), saved)
    assert found.mapping.values["project"] == {"Garden One": p1} and found.mapping.date_format == "mdy"
    done = commands.apply(db, a, TARGET, found.sheet, found.mapping, "旧物业系统")
    assert done.count("add") == 1
    assert households(db, "P001")[("T9", "T9-04")][2:] == ("Chen", "13700000004", date(2024, 12, 1))
    assert reads.log(db, a).iloc[0]["mapping_name"] == "旧物业系统"


def test_undo_removes_what_the_import_added_and_restores_what_it_changed(db, tmp_path):
    a = actor(db)
    p1 = project_id(db, "P001")
    households_before = count(db, f"SELECT households FROM projects WHERE id = {p1}")
    units_before = count(db, "SELECT count(*) FROM units")
    existing = db._conn.execute("SELECT u.code, b.code, u.area_m2 FROM units u JOIN buildings b ON b.id = u.building_id "
                                f"WHERE u.project_id = {p1} ORDER BY u.id LIMIT 1").fetchone()
    rows = [["P001", existing[1], existing[0], None, None, None, existing[2] + 10],  # an update of the area
            ["P001", "9号楼", "9-0101", "赵一", "13900000001", "2024-03-05", 89.5]]
    found = inspect(db, a, write(tmp_path, "xlsx", HEADER, rows))
    done = commands.apply(db, a, TARGET, found.sheet, found.mapping)
    assert (done.count("add"), done.count("update")) == (1, 1)
    assert count(db, f"SELECT households FROM projects WHERE id = {p1}") == households_before + 1
    log = reads.log(db, a)
    assert log.iloc[0]["file_name"] == "households.xlsx" and bool(log.iloc[0]["is_latest"])

    clerk = actor(db, "supervisor1")
    with pytest.raises(PermissionDenied):
        commands.undo(db, clerk, TARGET, done.batch_id)
    assert commands.undo(db, a, TARGET, done.batch_id) == 2  # the unit and its owner
    assert count(db, "SELECT count(*) FROM units") == units_before
    assert count(db, "SELECT count(*) FROM buildings WHERE name = '9号楼'") == 0
    assert count(db, f"SELECT households FROM projects WHERE id = {p1}") == households_before
    assert db._conn.execute(f"SELECT area_m2 FROM units WHERE project_id = {p1} ORDER BY id LIMIT 1").fetchone()[0] == existing[2]
    with pytest.raises(UserError) as exc:
        commands.undo(db, a, TARGET, done.batch_id)
    assert exc.value.key == "imports.error.undone_already"
    assert db._conn.execute("SELECT action, actor FROM audit_log WHERE entity = 'import_batch' AND entity_id = ? "
                            "ORDER BY id", [str(done.batch_id)]).fetchall() == [("import.apply", "admin"),
                                                                                 ("import.undo", "admin")]

    # imported again, then referred to by a service record: the undo is refused
    done = commands.apply(db, a, TARGET, found.sheet, found.mapping)
    unit = db._conn.execute("SELECT id FROM units WHERE code = '9-0101'").fetchone()[0]
    db._conn.execute("INSERT INTO service_records (project_id, branch_id, unit_id, service_type, completed_at, description) "
                     f"SELECT id, branch_id, {unit}, 'repair', now(), '换水龙头' FROM projects WHERE id = {p1}")
    with pytest.raises(UserError) as exc:
        commands.undo(db, a, TARGET, done.batch_id)
    assert exc.value.message().startswith("不能撤销：已有 1 条记录")
    assert count(db, "SELECT count(*) FROM units WHERE code = '9-0101'") == 1


def test_only_the_latest_import_of_a_target_can_be_undone(db, tmp_path):
    a = actor(db)
    first = inspect(db, a, write(tmp_path, "xlsx", HEADER, rows_of()[:1], "first"))
    b1 = commands.apply(db, a, TARGET, first.sheet, first.mapping).batch_id
    second = inspect(db, a, write(tmp_path, "xlsx", HEADER, rows_of()[1:2], "second"))
    b2 = commands.apply(db, a, TARGET, second.sheet, second.mapping).batch_id
    with pytest.raises(UserError) as exc:
        commands.undo(db, a, TARGET, b1)
    assert exc.value.key == "imports.error.not_latest"
    commands.undo(db, a, TARGET, b2)
    commands.undo(db, a, TARGET, b1)
    assert count(db, "SELECT count(*) FROM units WHERE code IN ('9-0101', '9-0102')") == 0


def test_a_supervisor_imports_only_into_the_own_project(db, tmp_path):
    sup = actor(db, "supervisor1")  # P001
    found = inspect(db, sup, write(tmp_path, "csv-bom", HEADER, rows_of()))
    assert found.mapping.values["project"] == {"P001": str(project_id(db, "P001"))}  # P002 is not offered
    report = reads.dry_run(db, sup, TARGET, found.sheet, found.mapping)
    assert [(o.line, o.column) for o in report.rejected] == [(5, "project")]
    # a mapping that names another project (saved by somebody else) is refused row by row
    found.mapping.values["project"]["P002"] = str(project_id(db, "P002"))
    report = reads.dry_run(db, sup, TARGET, found.sheet, found.mapping)
    assert report.rejected[0].reason.message() == "不在您负责的项目范围内"
    found = inspect(db, sup, write(tmp_path, "csv-bom", HEADER, rows_of()[:3], "own"))
    done = commands.apply(db, sup, TARGET, found.sheet, found.mapping)
    assert done.count("add") == 3
    log = reads.log(db, sup)
    assert list(log["project_id"]) == [project_id(db, "P001")]
    with pytest.raises(PermissionDenied):
        reads.inspect(db, actor(db, "clerk1"), TARGET, b"x", "a.csv")


def test_duplicate_households_in_one_file_and_missing_required_cells_are_named(db, tmp_path):
    a = actor(db)
    rows = rows_of()
    rows.append(["P001", "9号楼", "9-0101", "又是赵一", "", "", ""])  # line 6: same as line 2
    rows.append(["P001", "", "9-0109", "", "", "", ""])  # line 7: no building
    found = inspect(db, a, write(tmp_path, "csv-bom", HEADER, rows))
    report = reads.dry_run(db, a, TARGET, found.sheet, found.mapping)
    assert [(o.line, o.column, o.reason.message()) for o in report.rejected] == [
        (6, "unit", "与第 2 行是同一户（项目、楼栋、房号相同）"), (7, "building", "必填，但这一行是空的")]


def test_a_required_field_without_a_column_refuses_the_file(db, tmp_path):
    a = actor(db)
    found = inspect(db, a, write(tmp_path, "csv-bom", ["项目", "楼栋", "业主"], [["P001", "1", "x"]]))
    with pytest.raises(ValidationFailed) as exc:
        reads.dry_run(db, a, TARGET, found.sheet, found.mapping)
    assert exc.value.messages() == ["必填字段“房号”没有对应的文件列"]


def test_files_over_the_limits_are_refused_before_they_are_read(db, tmp_path, monkeypatch):
    a = actor(db)
    monkeypatch.setenv("CSM_MAX_IMPORT_ROWS", "3")
    for fmt in ("xlsx", "xls", "csv-gbk"):
        with pytest.raises(UserError) as exc:
            inspect(db, a, write(tmp_path, fmt, HEADER, rows_of()))
        assert exc.value.message() == "文件超过 3 行数据的上限：请拆分后分批导入。", fmt
    monkeypatch.setenv("CSM_MAX_IMPORT_ROWS", "150000")
    monkeypatch.setenv("CSM_MAX_UPLOAD_MB", "1")
    big = tmp_path / "big.csv"
    big.write_bytes(b"a,b\n" + b"1,2\n" * 300_000)
    with pytest.raises(UserError) as exc:
        inspect(db, a, big)
    assert exc.value.key == "imports.error.too_big"
    with pytest.raises(UserError) as exc:
        reads.inspect(db, a, TARGET, b"PK\x03\x04 not a workbook", "x.xlsx")
    assert exc.value.key == "imports.error.unreadable"
    with pytest.raises(UserError) as exc:
        reads.inspect(db, a, TARGET, b"a,b", "x.pdf")
    assert exc.value.key == "imports.error.kind"
