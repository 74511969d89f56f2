"""`python -m csm import TARGET FILE --user USERNAME` (issue 11): the report row by row, exit 1 and
nothing written when a row is rejected, a saved mapping by name, --dry-run writes nothing."""

from __future__ import annotations

from csm import import_targets
from csm.actor import Actor
from csm.cli import main
from csm.importing import commands
from csm.importing.mapping import Mapping
from csm.org import users

HEADER = "项目,楼栋,房号,业主姓名,手机号码,入住日期\n"


def _units(db_path: str, code: str) -> int:
    from csm.db import Database

    db = Database(db_path)
    try:
        return db._conn.execute("SELECT count(*) FROM units WHERE code = ?", [code]).fetchone()[0]
    finally:
        db.close()


def test_a_rejected_row_exits_1_and_imports_nothing_then_the_fixed_file_imports(db_path, tmp_path, capsys):
    bad = tmp_path / "list.csv"
    bad.write_bytes((HEADER + "P001,9号楼,9-0101,赵一,13900000001,2024-03-05\n"
                              "P001,9号楼,9-0102,钱二,电话不详,2024-03-06\n").encode("gbk"))
    assert main(["--db", db_path, "import", "households", str(bad), "--user", "admin"]) == 1
    out = capsys.readouterr()
    assert "2\t新增" in out.out and "3\t拒绝\t联系电话\t“电话不详”不是电话号码" in out.out
    assert "list.csv：共 2 行，新增 1，更新 0，不变 0，拒绝 1" in out.out
    assert "有被拒绝的行：未导入任何数据。" in out.err
    assert _units(db_path, "9-0101") == 0

    good = tmp_path / "list2.csv"
    good.write_bytes(bad.read_bytes().replace("电话不详".encode("gbk"), b"13900000002"))
    assert main(["--db", db_path, "import", "households", str(good), "--user", "admin", "--dry-run"]) == 0
    assert "试导入：未写入任何数据。" in capsys.readouterr().out
    assert _units(db_path, "9-0101") == 0
    assert main(["--db", db_path, "import", "households", str(good), "--user", "admin"]) == 0
    assert "新增 2" in capsys.readouterr().out
    assert _units(db_path, "9-0101") == 1
    assert main(["--db", db_path, "import", "households", str(good), "--user", "admin"]) == 0
    out = capsys.readouterr().out
    assert "不变 2" in out and "没有要新增或更新的行" in out


def test_a_saved_mapping_by_name_and_the_refusals(db, db_path, tmp_path, capsys):
    admin = Actor.of(users.get(db, "admin"), tz=db.timezone)
    target = import_targets.get("households")
    p1 = db.one("org/project_by_code", {"code": "P001"})["id"]
    commands.save_mapping(db, admin, target, "hotline", Mapping(
        columns={"project": "Site", "building": "Blk", "unit": "Flat", "moved_in_on": "In"},
        values={"project": {"Garden": str(p1)}}, date_format="dmy"))
    db.close()
    f = tmp_path / "export.csv"
    f.write_text("Site|Blk|Flat|In\nGarden|T9|T9-01|05/03/2024\n", encoding="utf-8")
    assert main(["--db", db_path, "import", "households", str(f), "--user", "admin", "--mapping", "hotline"]) == 0
    assert "新增 1" in capsys.readouterr().out
    assert main(["--db", db_path, "import", "households", str(f), "--user", "nobody"]) == 2
    assert main(["--db", db_path, "import", "nothing", str(f), "--user", "admin"]) == 2
    assert "没有导入内容“nothing”" in capsys.readouterr().err
    assert main(["--db", db_path, "import", "households", str(f), "--user", "clerk1"]) == 2
    assert "您的角色无权访问此页面。" in capsys.readouterr().err
