"""Complaint attachments are checked by their content, not their name: a program or a web page
renamed .jpg is refused naming the file, the intake form keeps everything typed, nothing is saved."""

from __future__ import annotations

import base64
import io
import zipfile

import pytest
from openpyxl import Workbook

from csm import complaints
from csm.complaints import Attachment
from csm.errors import UserError
from tests.apptest_helpers import open_page, submit_form
from tests.conftest import actor
from tests.test_complaints_pages import fill_intake

# real 1x1 images (Pillow-made), so the check sees what a phone or a camera writes
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGM4IScHAAK2AQU0pnWqAAAAAElFTkSuQmCC")
GIF = base64.b64decode("R0lGODdhAQABAIEAAMgeHgAAAAAAAAAAACwAAAAAAQABAAAIBAABBAQAOw==")
WEBP = base64.b64decode("UklGRjoAAABXRUJQVlA4IC4AAACwAQCdASoBAAEAAUAmJaACdLoABDAAAP7x3I/4DdfFtMv/vYL/3YL/3YL/WwAA")
JPEG = (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xdb\x00C\x00"
        + bytes(range(1, 65)) + b"\xff\xd9")
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 16
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"


def xlsx_bytes() -> bytes:
    buf = io.BytesIO()
    Workbook().save(buf)
    return buf.getvalue()


def docx_like() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.mark.parametrize("name, data, kind", [
    ("现场.png", PNG, ".png"), ("漏水.jpg", JPEG, ".jpg"), ("漏水.JPEG", JPEG, ".jpeg"), ("a.gif", GIF, ".gif"),
    ("a.webp", WEBP, ".webp"), ("IMG_0001.HEIC", HEIC, ".heic"), ("回复函.pdf", PDF, ".pdf"),
    ("截图.jpg", PNG, ".png"),  # a PNG saved as .jpg is still a photo: kept as what it is
    ("录音.mp3", b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 20, ".mp3"), ("录音.amr", b"#!AMR\n\x3c\x00", ".amr"),
    ("说明.txt", "业主来电，电梯困人二十分钟。".encode("gb18030"), ".txt"), ("清单.xlsx", xlsx_bytes(), ".xlsx"),
    ("报告.docx", docx_like(), ".docx"),
])
def test_allowed_content_is_accepted_as_what_it_really_is(name, data, kind):
    assert complaints.attachment_kind(Attachment(name, data)) == kind


@pytest.mark.parametrize("name, data, message", [
    ("photo.jpg", ELF, "照片/附件: 文件“photo.jpg”的内容不是 jpg 文件（扩展名与内容不符），投诉未保存。"
                       "请去掉该文件或换成真正的照片 / PDF 后再保存。"),
    ("setup.jpg", MZ, "照片/附件: 文件“setup.jpg”的内容不是 jpg 文件（扩展名与内容不符），投诉未保存。"
                      "请去掉该文件或换成真正的照片 / PDF 后再保存。"),
    ("scan.pdf", PNG, "照片/附件: 文件“scan.pdf”的内容不是 pdf 文件（扩展名与内容不符），投诉未保存。"
                      "请去掉该文件或换成真正的照片 / PDF 后再保存。"),
    ("note.txt", HTML, "照片/附件: 文件“note.txt”的内容不是 txt 文件（扩展名与内容不符），投诉未保存。"
                       "请去掉该文件或换成真正的照片 / PDF 后再保存。"),
    ("page.html", HTML, None), ("x.exe", MZ, None),
    ("empty.png", b"", "照片/附件: 文件“empty.png”是空的，投诉未保存。"),
])
def test_wrong_content_or_type_is_refused_naming_the_file(name, data, message):
    with pytest.raises(UserError) as exc:
        complaints.attachment_kind(Attachment(name, data))
    if message is None:  # a type not allowed at all
        assert exc.value.key == "complaint.error.attach_type" and f"“{name}”" in exc.value.message()
    else:
        assert exc.value.message() == message


def test_real_photo_named_jpg_is_stored_with_its_real_type(db, tmp_path, monkeypatch):
    monkeypatch.setenv("CSM_UPLOADS_DIR", str(tmp_path))
    clerk = actor(db, "clerk1")
    from tests.test_complaints import intake

    out = complaints.file_complaint(db, clerk, intake(db, clerk.scope.id), [Attachment("截图.jpg", PNG)])
    files = db.rows("complaints/attachments", {"complaint_id": out["id"], **clerk.params()})
    assert [(f["file_name"], f["mime"]) for f in files] == [("截图.jpg", "image/png")]


@pytest.mark.parametrize("name, data", [("photo.jpg", ELF), ("page.html", HTML)], ids=["elf_as_jpg", "html"])
def test_intake_refuses_a_bad_file_keeps_the_form_and_saves_nothing(db_path, db, tmp_path, monkeypatch,
                                                                    name, data):
    uploads = tmp_path / "uploads"
    monkeypatch.setenv("CSM_UPLOADS_DIR", str(uploads))
    before = db._conn.execute("select count(*) from complaints").fetchone()[0]
    at = open_page("clerk1", "intake")
    fill_intake(at, db)
    at.file_uploader(key="intake.files.0").set_value([("现场.png", PNG, "image/png"), (name, data, "image/jpeg")])
    submit_form(at, "intake.form.0")
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and f"文件“{name}”" in errors[0]
    assert at.text_input(key="intake.name.0").value == "赵先生"  # everything typed is still there
    assert at.text_area(key="intake.description.0").value.startswith("5号楼电梯困人")
    assert [f.name for f in at.file_uploader(key="intake.files.0").value] == ["现场.png", name]
    assert db._conn.execute("select count(*) from complaints").fetchone()[0] == before  # nothing saved
    assert not list(uploads.rglob("*.*"))  # and no file written, not even the good photo
