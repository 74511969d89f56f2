"""The import screen as a user drives it (AppTest): upload a GBK household list, see the suggested
columns and the project values mapped, dry run, the rejected row named, the fixed file imported,
the log, the undo; supervisors may open it, clerks may not."""

from __future__ import annotations

from tests.apptest_helpers import open_page, texts

HEADER = "项目,楼栋,房号,业主姓名,手机号码,入住日期,建筑面积\r\n"
GOOD = ("P001,9号楼,9-0101,赵一,13900000001,2024-03-05,89.5\r\n"
        "P001,9号楼,9-0102,钱二,13900000002,2024-03-06,110\r\n")
BAD = GOOD.replace("2024-03-06", "2024-13-06")


def _upload(at, text: str, name: str):
    at.file_uploader(key="imports.upload.households").set_value((name, text.encode("gbk"), "text/csv"))
    at.run()
    return at


def _button(at, suffix: str):
    return next(b for b in at.button if b.key and b.key.endswith(suffix))


def _units(db, code: str) -> int:
    return db._conn.execute("SELECT count(*) FROM units WHERE code = ?", [code]).fetchone()[0]


def test_admin_imports_a_household_list_step_by_step(db_path, db):
    at = open_page("admin", "imports")
    assert not at.exception and "数据导入" in texts(at)
    _upload(at, HEADER + BAD, "住户清单.csv")
    assert not at.exception
    shown = texts(at)
    assert "已读取 住户清单.csv：2 行数据，7 列。" in shown
    picked = {s.label: s.value for s in at.selectbox}
    assert picked["“房号 *”对应的文件列"] == "房号" and picked["“入住日期”对应的文件列"] == "入住日期"
    assert picked["文字编码"] is None  # detected: shown as 自动识别（gb18030）
    assert "所有值都已对应。" in shown  # P001 is the code of a project the admin may pick
    _button(at, ".dry_run").click()
    at.run()
    shown = texts(at)
    assert "共 2 行：新增 1，更新 0，不变 0，拒绝 1。" in shown
    rejected = at.dataframe[1].value  # after the preview; no log yet
    assert list(rejected.iloc[0]) == [3, "入住日期", "“2024-13-06”不是所选格式的日期"]
    assert "有被拒绝的行时不能导入（要么全部导入，要么一行都不导入）。" in shown
    assert not [b for b in at.button if b.key and b.key.endswith(".apply")]

    _upload(at, HEADER + GOOD, "住户清单-改.csv")
    _button(at, ".dry_run").click()
    at.run()
    assert "共 2 行：新增 2，更新 0，不变 0，拒绝 0。" in texts(at)
    _button(at, ".apply").click()
    at.run()
    assert not at.exception
    assert "已导入 住户清单-改.csv：新增 2，更新 0，不变 0（导入记录 #1）。" in texts(at)
    assert _units(db, "9-0101") == 1
    log = at.dataframe[-1].value
    assert list(log["文件"]) == ["住户清单-改.csv"] and list(log["新增"]) == [2]
    assert list(log["对应方案"]) == [""]  # no saved mapping: empty, not "None"

    _button(at, "imports.undo.1").click()
    at.run()
    assert "已撤销导入 #1：删除 4 条记录，改动已还原。" in texts(at)
    assert _units(db, "9-0101") == 0


def test_a_supervisor_opens_the_import_screen_and_a_clerk_does_not(db_path):
    at = open_page("supervisor1", "imports")
    assert not at.exception and "数据导入" in texts(at)
    at = open_page("clerk1", "imports")
    assert "您的角色无权访问此页面。" in texts(at) and not at.file_uploader


def test_a_value_is_mapped_on_screen_and_the_mapping_saved_and_picked_again(db_path, db):
    at = open_page("admin", "imports")
    foreign = HEADER + GOOD.replace("P001", "锦绣花园一期")
    _upload(at, foreign, "old.csv")
    assert "尚未对应的值（这些行会被拒绝）：“锦绣花园一期” 2 行" in texts(at)
    box = next(s for s in at.selectbox if s.key and s.key.endswith(".val.None.project.锦绣花园一期"))
    p1 = str(db.one("org/project_by_code", {"code": "P001"})["id"])
    box.set_value(p1)
    at.run()
    assert "所有值都已对应。" in texts(at)
    next(x for x in at.text_input if x.key and x.key.endswith(".mapping_name")).set_value("旧台账")
    _button(at, ".save_mapping").click()
    at.run()
    assert "对应方案“旧台账”已保存，下次导入同一系统的文件时可直接选用。" in texts(at)

    at = open_page("admin", "imports")  # a new session, a new file of the same system
    _upload(at, HEADER + GOOD.replace("P001", "锦绣花园一期").replace("9-01", "9-02"), "old2.csv")
    next(s for s in at.selectbox if s.key and s.key.endswith(".saved")).set_value("旧台账")
    at.run()
    assert "所有值都已对应。" in texts(at)
    _button(at, ".dry_run").click()
    at.run()
    assert "共 2 行：新增 2，更新 0，不变 0，拒绝 0。" in texts(at)


def test_the_screen_in_english(db_path, db):
    from csm.org import users

    users.set_lang(db, "admin", "en")
    at = open_page("admin", "imports", lang="en")
    _upload(at, HEADER + BAD, "list.csv")
    _button(at, ".dry_run").click()
    at.run()
    shown = texts(at)
    assert not at.exception
    assert "2 rows: 1 to add, 0 to update, 0 unchanged, 1 rejected." in shown
    assert list(at.dataframe[1].value.iloc[0]) == [3, "Move-in date", "“2024-13-06” is not a date in the chosen format"]


def test_the_progress_box_ends_finished_after_a_ledger_is_applied(db_path, db, tmp_path):
    """Apply with the progress hook (issue 11): the box of the apply ends green, its bar full with
    the finished text, in the user's language."""
    from csm import import_targets
    from csm.actor import Actor
    from csm.importing import commands, reads
    from csm.importing.reader import fingerprint
    from csm.org import users
    from tests.ledger_files import helpdesk_export, map_values

    ledger = import_targets.get("complaints")
    admin = Actor.of(users.get(db, "admin"), tz=db.timezone)
    path = tmp_path / "helpdesk.csv"
    helpdesk_export(path, 1500)
    data = path.read_bytes()
    mapping = reads.inspect(db, admin, ledger, data, path.name).mapping
    map_values(mapping)
    commands.save_mapping(db, admin, ledger, "helpdesk", mapping)

    at = open_page("admin", "imports")
    at.selectbox(key="imports.target").set_value("complaints").run()
    at.file_uploader(key="imports.upload.complaints").set_value((path.name, data, "text/csv"))
    at.run()
    at.selectbox(key=f"imports.complaints.{fingerprint(data)[:16]}.saved").set_value("helpdesk").run()
    _button(at, ".dry_run").click()
    at.run()
    assert "共 1500 行：新增 1500，更新 0，不变 0，拒绝 0。" in texts(at)
    _button(at, ".apply").click()
    at.run()
    assert not at.exception
    assert "已导入 helpdesk.csv：新增 1500" in texts(at)
    bars = at.get("progress")
    assert bars and bars[-1].proto.value == 100 and bars[-1].proto.text == "导入完成"
    boxes = [b for b in at.main.children.values() if b.type == "status"]
    assert boxes and boxes[-1].proto.label == "导入完成" and boxes[-1].proto.state == 2  # COMPLETE (green)
