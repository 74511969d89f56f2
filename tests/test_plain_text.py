"""What a user typed is shown as plain text (issue 12, hostile input): a complainant name, unit or
description typed as Markdown or HTML renders on no page as a link, an image or formatting.

The AppTest checks read the Markdown each element is given (its source: a typed `[x](http://evil)`
must arrive escaped); the Chromium check looks at what the browser made of it."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime, timedelta

import pytest

from csm import complaints, revisits
from csm.complaints import Intake
from csm.org.scope import Scope
from csm.web.plain import plain, plain_t
from tests import browser_helpers as bh
from tests.apptest_helpers import app_as, texts
from tests.conftest import actor
from tests.test_revisits import who

LINK = "[x](http://evil)"
IMAGE = "![i](http://evil/i.png)"
HTML = "<img src=x>"
HOSTILE = f"{LINK} {IMAGE} {HTML}"
NAME = f"{LINK} {IMAGE}"        # a name and a unit are at most 50 characters (csm/limits.py)
UNIT = f"{HTML} {LINK}"
EXTRA = "**粗体** _斜_ `code` :red[红] $x^2$ www.evil.com a@evil.com"

# Markdown that would render: an unescaped link / image opener, raw HTML, an autolink
LIVE = [re.compile(r"(?<!\\)\[x(?<!\\)\]\("), re.compile(r"(?<!\\)!(?<!\\)\[i"), re.compile(r"(?<!\\)<img"),
        re.compile(r"(?<!\\)\*\*粗体"), re.compile(r"(?<![\\\w])www\.evil"), re.compile(r"(?<!\\):red\[红")]


def live_markdown(value: str) -> list[str]:
    return [p.pattern for p in LIVE if p.search(value)]


@pytest.mark.parametrize("typed", [LINK, IMAGE, HTML, EXTRA, "- 列表\n# 标题\n1. 一\n> 引用", "http://evil.com/x"])
def test_plain_escapes_every_construct(typed):
    shown = plain(typed)
    assert not live_markdown(shown)
    assert "http://" not in shown  # the scheme's colon is escaped: no autolink
    # nothing else changes: an escaped character shows as itself
    assert re.sub(r"\\(.)", r"\1", shown).replace("  \n", "\n") == "\n".join(line.strip() for line in typed.splitlines())


def test_plain_leaves_ordinary_text_alone():
    assert plain("张伟 1-0101 15:30 #12 138****8000") == r"张伟 1-0101 15:30 #12 138\*\*\*\*8000"
    assert plain(None) == "" and plain("1-0101") == "1-0101"
    paused = plain_t("desk.paused", reason=LINK)
    assert plain(LINK) in paused and LINK not in paused


def file_hostile(db) -> dict:
    clerk = actor(db, "clerk1")
    return complaints.file_complaint(db, clerk, Intake(
        project_id=clerk.scope.id, complainant_name=NAME, complainant_phone="13912345678",
        channel_id=db.one("complaints/channel_by_code", {"code": "PHONE"})["id"],
        category_id=db.one("complaints/category_by_code", {"code": "ENG-WATER"})["id"],
        description=f"{HOSTILE}\n{EXTRA}", received_at=datetime.now(UTC) - timedelta(minutes=5), unit_text=UNIT))


def rendered(at) -> list[str]:
    """Every Markdown source the page handed to Streamlit (texts, captions, alerts, labels)."""
    values = texts(at).split("\n")
    for kind in ("button", "expander", "tabs", "radio", "metric"):
        for e in getattr(at, kind, []):
            values.append(str(getattr(e, "label", "") or ""))
    return values


def test_desk_home_and_revisits_show_typed_markdown_as_text(db_path, db):
    out = file_hostile(db)
    p1 = actor(db, "clerk1").scope.id
    revisits.commands.record_service(db, who(db, "clerk1", Scope("project", p1)), revisits.ServiceRecord(
        project_id=p1, service_type="repair", completed_at=datetime.now(UTC) - timedelta(hours=1),
        description=HOSTILE, unit_text=UNIT, resident_name=NAME))

    at = app_as("supervisor1")
    at.session_state["complaints.open_id"] = out["id"]
    at.run()
    at.switch_page("pages/complaints.py")
    at.run()
    assert not at.exception
    shown = rendered(at)
    assert any(plain(NAME) in v for v in shown), "the complainant is shown, escaped"
    assert any(plain(UNIT) in v for v in shown), "and the unit"
    assert [v for v in shown if live_markdown(v)] == []

    at.switch_page("pages/home.py")
    at.run()
    assert not at.exception
    shown = rendered(at)
    assert any(out["code"] in v for v in shown)  # the new complaint is in the inbox, its summary typed text
    assert [v for v in shown if live_markdown(v)] == []

    for username in ("supervisor1", "clerk1"):
        at = app_as(username)
        at.run()
        at.switch_page("pages/revisits.py")
        at.run()
        assert not at.exception
        assert [v for v in rendered(at) if live_markdown(v)] == [], username


def test_refusals_show_typed_values_as_text(db_path, db):
    """An error naming what was typed (a phone number here) is escaped too."""
    from tests.apptest_helpers import open_page, submit_form
    from tests.test_complaints_pages import fill_intake

    at = open_page("clerk1", "intake")
    fill_intake(at, db, phone=LINK)
    submit_form(at, "intake.form.0")
    errors = [e.value for e in at.error]
    assert any("电话号码「" + plain(LINK) + "」无效" in e for e in errors), errors
    assert [e for e in errors if live_markdown(e)] == []


# ---- in Chromium: no link, no image -----------------------------------------------------------
LINKS_AND_IMAGES = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  return {
    links: [...main.querySelectorAll('a[href]')].map(a => a.getAttribute('href')).filter(h => h.includes('evil')),
    images: [...main.querySelectorAll('img')].map(i => i.getAttribute('src'))
              .filter(s => s === 'x' || (s || '').includes('evil')),
    bold: [...main.querySelectorAll('strong, em, del, code')].map(e => e.innerText).filter(t => /粗体|斜|红/.test(t)),
  };
}"""


@pytest.mark.browser
@pytest.mark.skipif(bh.CHROMIUM_MISSING, reason=bh.SKIP_REASON)
def test_desk_and_home_render_no_link_or_image_in_chromium(demo_db_file, tmp_path, browser):
    from csm.db import open_database

    path = tmp_path / "plain.duckdb"
    shutil.copyfile(demo_db_file, path)
    db = open_database(str(path))
    out = file_hostile(db)
    db.checkpoint()
    db.close()
    with bh.running_app(path, tmp_path / "app") as app:
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        context.set_default_timeout(bh.UI_TIMEOUT)
        page = context.new_page()
        try:
            bh.login(page, app.url, "supervisor1")
            bh.open_url(page, app.url, f"complaints?complaint={out['id']}")
            page.get_by_text(NAME).first.wait_for()  # the name as typed, brackets and all
            page.get_by_text(UNIT).first.wait_for()
            bh.screenshot(page, tmp_path, "desk-hostile-name")
            assert page.evaluate(LINKS_AND_IMAGES) == {"links": [], "images": [], "bold": []}
            assert "http://evil" in bh.main_text(page)

            page.get_by_role("link", name="首页").first.click()
            bh.wait_for_app(page)
            page.get_by_text(out["code"]).first.wait_for()
            assert page.evaluate(LINKS_AND_IMAGES) == {"links": [], "images": [], "bold": []}
            assert not bh.exceptions(page)
        finally:
            context.close()
