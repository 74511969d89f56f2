"""Both Excel importers (survey forms, service records) read files through csm.excel.Book:
formula cells give their saved value or are refused by row and column, the template's sample
row is skipped and reported, a file that is not a workbook is refused in Chinese (domain and
pages), and the pages show an import's progress."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from csm import excel
from csm.errors import UserError, ValidationFailed
from csm.revisits import commands as revisit_commands
from csm.revisits import importer as service_importer
from csm.surveys import commands, imports, reads
from tests.apptest_helpers import open_page, texts
from tests.conftest import project_id
from tests.test_revisits import who
from tests.test_surveys import act, filled_template, form_row, make_wave

NOT_A_WORKBOOK = "无法读取该文件：它不是 Excel 工作簿（.xlsx）。请用下载的模板填写，并以 .xlsx 格式保存后上传。"
SERVICE_HEADER = ["项目编号", "房号", "住户姓名", "联系电话", "服务类型", "部门", "完成时间", "完成人", "内容", "维修单号"]
SERVICE_ROW = ["P001", "1-0101", "张伟", "13800138000", "维修", "工程部", "2026-11-20 15:30", "李师傅", "换阀芯", "WX-1"]


def with_cached_value(data: bytes, ref: str, value: str, sheet: str = "xl/worksheets/sheet1.xml") -> bytes:
    """The workbook with the formula cell `ref` given a cached (calculated) text value, as Excel
    saves it: openpyxl writes formulas without one (<v />), so the sheet's XML is edited."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == sheet:
                xml = body.decode()
                xml, n = re.subn(rf'<c r="{ref}"(?: t="\w+")?><f>(.*?)</f><v\s*/>',
                                 rf'<c r="{ref}" t="str"><f>\1</f><v>{value}</v>', xml)
                assert n == 1, f"no formula cell {ref}"
                body = xml.encode()
            dst.writestr(info, body)
    return out.getvalue()


def service_xlsx(rows, header=SERVICE_HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---- the shared reader -------------------------------------------------------------------------
def test_reader_gives_cached_formula_values_and_refuses_formulas_without_one():
    data = service_xlsx([["P001", '="1-"&"0101"', "=1+1"]], header=["项目编号", "房号", "数"])
    with pytest.raises(ValidationFailed) as exc:
        excel.Book(data).rows()
    assert exc.value.messages() == [
        "第 2 行 B 列「房号」是公式 =\"1-\"&\"0101\"，文件里没有它的计算结果。请在 Excel 中打开并保存该文件，"
        "或把这一列“粘贴为数值”后再导入。",
        "第 2 行 C 列「数」是公式 =1+1，文件里没有它的计算结果。请在 Excel 中打开并保存该文件，"
        "或把这一列“粘贴为数值”后再导入。"]
    data = with_cached_value(with_cached_value(data, "B2", "1-0101"), "C2", "2")
    assert excel.Book(data).rows() == [["项目编号", "房号", "数"], ["P001", "1-0101", "2"]]


@pytest.mark.parametrize("data", [b"notes: call Mr Zhang back\n", b"", b"PK\x03\x04 broken zip",
                                  b"\x7fELF\x02\x01\x01"])
def test_reader_refuses_what_is_not_a_workbook(data):
    with pytest.raises(UserError) as exc:
        excel.Book(data)
    assert exc.value.message() == NOT_A_WORKBOOK


# ---- survey import -----------------------------------------------------------------------------
def formula_template(db, wave_id, unit_formula=None, comment_formula=None):
    data = filled_template(db, wave_id, [form_row("1-0101", ["很满意"] * 30) + ["好"],
                                         form_row("1-0102", ["满意"] * 30) + ["无"]])
    wb = load_workbook(io.BytesIO(data))
    ws = wb[imports.SHEET]
    if unit_formula:
        ws["C3"] = unit_formula
    if comment_formula:
        ws.cell(row=3, column=ws.max_column, value=comment_formula)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_survey_import_refuses_formula_without_value_naming_row_and_column(db):
    wave_id = make_wave(db)
    data = formula_template(db, wave_id, unit_formula='="1-"&"0102"', comment_formula='=A3&"意见"')
    with pytest.raises(ValidationFailed) as exc:
        commands.import_forms(db, act(db, "clerk1"), wave_id, data, "forms.xlsx")
    assert [m.split("是公式")[0] for m in exc.value.messages()] == ["第 3 行 C 列「房号」",
                                                                  "第 3 行 AK 列「意见和建议」"]
    assert reads.summary(db, act(db, "hq"), wave_id)["returned"] == 0  # nothing imported


def test_survey_import_reads_formula_cells_by_their_saved_value(db):
    wave_id = make_wave(db)
    data = formula_template(db, wave_id, unit_formula='="1-"&"0102"', comment_formula='="电梯"&"太慢"')
    data = with_cached_value(with_cached_value(data, "C3", "1-0102"), "AK3", "电梯太慢")
    out = commands.import_forms(db, act(db, "clerk1"), wave_id, data, "forms.xlsx")
    assert len(out) == 2 and out.samples == []
    saved = db.df("surveys/responses", {"wave_id": wave_id, "scope_kind": "group", "scope_id": -1,
                                            "project_id": project_id(db, "P001"), "limit": 10})
    assert sorted(saved["unit_text"]) == ["1-0101", "1-0102"]
    comments = db._conn.execute("select unit_text, comments from survey_responses where wave_id = ?",
                                [wave_id]).fetchall()
    assert dict(comments) == {"1-0101": "好", "1-0102": "电梯太慢"}


def test_survey_import_skips_a_sample_row_and_says_so(db):
    wave_id = make_wave(db)
    data = filled_template(db, wave_id, [["示例", None, "1-0100", None, None, "2026-10-20", *(["满意"] * 30)],
                                         form_row("1-0101", ["很满意"] * 30)])
    out = commands.import_forms(db, act(db, "clerk1"), wave_id, data, "forms.xlsx")
    assert len(out) == 1 and out.samples == [2]


def test_survey_import_reports_progress(db):
    wave_id = make_wave(db, {"P001": 300})  # returned may not pass issued
    data = filled_template(db, wave_id, [form_row(f"1-{n:04d}", ["满意"] * 30) for n in range(300)])
    seen = []
    commands.import_forms(db, act(db, "clerk1"), wave_id, data, "forms.xlsx",
                              progress=lambda phase, done, total: seen.append((phase, done, total)))
    phases = [p for p, _, _ in seen]
    assert phases.index("read") < phases.index("check") < phases.index("save")
    assert seen[-1] == ("save", 300, 300)


# ---- service-record import ---------------------------------------------------------------------
def test_service_template_sample_row_is_marked_and_skipped(db):
    p1 = project_id(db, "P001")
    template = service_importer.template_xlsx()
    ws = load_workbook(io.BytesIO(template)).active
    assert ws["A2"].value.startswith("示例") and ws["A2"].comment is not None
    with pytest.raises(UserError) as exc:  # the template as downloaded: nothing but the sample
        revisit_commands.import_service_records(db, who(db, "clerk1"), template, "模板.xlsx")
    assert exc.value.message() == "文件中没有服务记录（除表头和示例行外是空的）。"
    wb = load_workbook(io.BytesIO(template))
    wb.active.append(SERVICE_ROW)
    buf = io.BytesIO()
    wb.save(buf)
    before = db.value("revisits/count_for_project", {"project_id": p1})
    out = revisit_commands.import_service_records(db, who(db, "clerk1"), buf.getvalue(), "服务记录.xlsx")
    assert len(out) == 1 and out.samples == [2]
    assert db.value("revisits/count_for_project", {"project_id": p1}) == before + 1
    refs = [r[0] for r in db._conn.execute("select external_ref from service_records where import_batch is not null")
            .fetchall()]
    assert refs == ["WX-1"]  # the sample's WX-20261120-001 was not imported


def test_service_import_refuses_formula_without_value(db):
    data = service_xlsx([SERVICE_ROW, ["P001", '="1-"&"0102"', *SERVICE_ROW[2:9], "WX-2"]])
    with pytest.raises(ValidationFailed) as exc:
        revisit_commands.import_service_records(db, who(db, "clerk1"), data, "export.xlsx")
    assert [m.split("是公式")[0] for m in exc.value.messages()] == ["第 3 行 B 列「房号」"]
    data = with_cached_value(data, "B3", "1-0102")
    assert len(revisit_commands.import_service_records(db, who(db, "clerk1"), data, "export.xlsx")) == 2


@pytest.mark.parametrize("data, name, message", [
    (b"notes: call Mr Zhang back\n", "notes.xlsx", NOT_A_WORKBOOK),
    (service_xlsx([], header=["a", "b"]), "x.xlsx", "缺少列：项目编号、服务类型、完成时间、内容"),
    (service_xlsx([]), "x.xlsx", "文件中没有服务记录（除表头和示例行外是空的）。"),
    (b"", "x.csv", "文件中没有服务记录（除表头和示例行外是空的）。"),
    (b"\x7fELF\x02\x01\x01\x00\x00\x00", "x.csv", "无法读取该文件：它不是 CSV 文本文件。请上传 .xlsx 或 .csv 文件。"),
])
def test_service_import_refuses_bad_files_in_chinese(db, data, name, message):
    with pytest.raises(UserError) as exc:
        revisit_commands.import_service_records(db, who(db, "clerk1"), data, name)
    assert exc.value.message() == message


# ---- the pages ---------------------------------------------------------------------------------
def test_service_page_answers_a_renamed_text_file_in_chinese(db_path, db):
    at = open_page("clerk1", "service_records")
    at.file_uploader(key="service.upload").set_value(("notes.xlsx", b"notes: call Mr Zhang back\n",
                                                      "application/octet-stream"))
    at.run()
    at.button(key="service.import_btn").click()
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [NOT_A_WORKBOOK]


def test_service_page_imports_with_progress_and_names_the_skipped_sample(db_path, db):
    wb = load_workbook(io.BytesIO(service_importer.template_xlsx()))
    wb.active.append(SERVICE_ROW)
    buf = io.BytesIO()
    wb.save(buf)
    at = open_page("clerk1", "service_records")
    at.file_uploader(key="service.upload").set_value(("服务记录.xlsx", buf.getvalue(), "application/octet-stream"))
    at.run()
    at.button(key="service.import_btn").click()
    at.run()
    assert not at.exception
    assert [e.value for e in at.success] == ["已导入 1 条记录，并生成相应回访任务。"]
    assert [e.value for e in at.info] == ["已跳过模板示例行：第 2 行（首列为“示例”的行不导入）。"]
    assert [s.label for s in at.status] == ["导入完成"]
    # the list tab is drawn after the import in the same run: the imported record is in it already
    assert "共 1 条" in [c.value for c in at.caption]
    assert "WX-1" in at.dataframe[0].value.iloc[0].tolist()


def test_survey_page_answers_a_renamed_text_file_in_chinese(db_path, db):
    make_wave(db)
    at = open_page("clerk1", "survey_entry")
    at.file_uploader(key="survey_entry.upload").set_value(("notes.xlsx", b"notes: call Mr Zhang back\n",
                                                           "application/octet-stream"))
    at.run()
    at.button(key="survey_entry.import").click()
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [NOT_A_WORKBOOK]
    assert [s.label for s in at.status] == ["未导入：文件有问题，请看下面的说明"]
    assert "survey_entry.flash" not in at.session_state


def test_survey_page_imports_with_progress(db_path, db):
    wave_id = make_wave(db)
    data = filled_template(db, wave_id, [form_row("1-0101", ["很满意"] * 30)])
    at = open_page("clerk1", "survey_entry")
    at.selectbox(key="survey_entry.wave").select(wave_id)
    at.run()
    at.file_uploader(key="survey_entry.upload").set_value(("forms.xlsx", data, "application/octet-stream"))
    at.run()
    at.button(key="survey_entry.import").click()
    at.run()
    assert not at.exception
    assert reads.summary(db, act(db, "hq"), wave_id)["returned"] == 1
    assert "已导入 1 份问卷" in texts(at)


@pytest.mark.parametrize("data, message", [
    (b"notes: call Mr Zhang back\n", NOT_A_WORKBOOK),
    (service_xlsx([SERVICE_ROW]), "表头中有本调查表没有的列：E1「服务类型」、F1「部门」、G1「完成时间」、H1「完成人」、"
                                  "I1「内容」、J1「维修单号」。"),  # the service template: wrong headers
    (service_xlsx([["1-0101"]], header=["房号"]), "表头缺少列：项目编号。请使用下载的模板。"),
    (service_xlsx([], header=[]), "文件中没有问卷数据。"),
], ids=["text_file", "other_template", "no_project_column", "empty"])
def test_survey_import_refuses_bad_files_in_chinese(db, data, message):
    wave_id = make_wave(db)
    with pytest.raises(UserError) as exc:
        commands.import_forms(db, act(db, "clerk1"), wave_id, data, "forms.xlsx")
    assert exc.value.message() == message
