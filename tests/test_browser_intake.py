"""The complaint intake in Chromium, by keyboard only: the Tab order is the form's order (no
extra stop on a select's clear button), a whole complaint is typed with Tab / keys and saved
(keystrokes and seconds are printed); a refused attachment shows its message and keeps the form."""

from __future__ import annotations

import shutil
import time

import duckdb
import pytest
from playwright.sync_api import expect

from csm.i18n import t
from tests import browser_helpers as bh

pytestmark = [pytest.mark.browser, pytest.mark.skipif(bh.CHROMIUM_MISSING, reason=bh.SKIP_REASON)]

# the Tab stops of the intake, in the order of the form on screen (clerk1 has one project, so the
# project select is fixed and skipped; picking a unit from the register disables the typed unit)
FORM_ORDER = [t("field.unit_pick"), t("field.category1") + " *", t("field.category2") + " *",
              t("field.complainant") + " *", t("field.phone"), t("field.relation"), t("field.channel") + " *"]
# the urgency radio is one stop (named by its checked option); then the description, the uploader's button
AFTER_DATES = [t("urgency.normal"), t("field.description") + " *", "file uploader", t("intake.save")]


@pytest.fixture(scope="module")
def app(demo_db_file, tmp_path_factory):
    path = tmp_path_factory.mktemp("intake") / "intake.duckdb"
    shutil.copyfile(demo_db_file, path)
    with bh.running_app(path, tmp_path_factory.mktemp("intake-app")) as running:
        yield running


def focused(page) -> str:
    """The accessible name of the focused element, as a screen reader would say it."""
    return page.evaluate("""() => {
        const e = document.activeElement;
        if (!e) return '';
        if (e.closest('[data-testid=stFileUploader]')) return 'file uploader';
        const by = e.getAttribute('aria-labelledby');
        if (e.getAttribute('aria-label')) return e.getAttribute('aria-label');
        if (by) return by.split(' ').map(i => document.getElementById(i)?.innerText || '').join(' ').trim();
        if (e.labels && e.labels.length) return e.labels[0].innerText.trim();
        if (e.type === 'radio') {
            const group = e.closest('[role=radiogroup]');
            return group?.getAttribute('aria-label') || e.closest('[data-testid=stRadio]')
                ?.querySelector('[data-testid=stWidgetLabel]')?.innerText.trim() || 'radio';
        }
        return (e.innerText || e.value || e.tagName).trim();
    }""")


class Keys:
    """The keyboard, counting every key the clerk presses (a typed character counts as one)."""

    def __init__(self, page):
        self.page, self.count, self.chars, self.tabs = page, 0, 0, 0

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.count += 1
        self.tabs += key == "Tab"

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.count += len(text)
        self.chars += len(text)

    def tab(self) -> str:
        self.press("Tab")
        return focused(self.page)


def settle(page) -> None:
    """Until the rerun a choice started is over (on a loaded machine it may begin late)."""
    bh.wait_for_app(page)
    page.wait_for_timeout(400)
    bh.wait_for_app(page)


def unit_label(page):
    return page.get_by_role("combobox", name=t("field.unit_pick"))


def test_intake_tab_order_is_the_form_order_and_a_complaint_is_typed_by_keyboard(app, browser, tmp_path):
    page = bh.new_page(browser)
    page.set_viewport_size({"width": 1440, "height": 900})
    bh.login(page, app.url, "clerk1")
    bh.open_url(page, app.url, "intake")
    keys = Keys(page)
    start = time.monotonic()
    expect(unit_label(page)).to_have_count(1, timeout=bh.UI_TIMEOUT)  # the run after the login cookie has replaced the first one
    unit_label(page).click()  # the first field: the one click; everything after is keys
    stops = [focused(page)]
    # the unit from the register: its resident fills the complainant and phone
    keys.type("1-0102")
    keys.press("Enter")
    settle(page)
    stops.append(keys.tab())
    keys.type("服务")
    keys.press("Enter")
    settle(page)
    stops.append(keys.tab())
    keys.type("清洁")
    keys.press("Enter")
    settle(page)
    for _ in FORM_ORDER[3:]:  # name and phone come filled from the register; relation, channel kept
        stops.append(keys.tab())
    dates = []
    while len(dates) < 10 and (name := keys.tab()) != AFTER_DATES[0]:  # the received date / time (helper A's)
        dates.append(name)
    stops.append(name)
    stops.append(keys.tab())
    keys.type("楼道垃圾三天没人清理，味道很大，请尽快处理。")
    stops.append(keys.tab())
    stops.append(keys.tab())
    bh.screenshot(page, tmp_path / "shots", "intake-keyboard-filled")
    print("\nTab stops:", stops, "\ndate/time stops:", dates)
    assert stops == FORM_ORDER + AFTER_DATES
    assert all("Clear" not in d for d in dates)
    keys.press("Enter")  # on the save button
    page.get_by_text("已登记投诉 TS-").wait_for()
    seconds = time.monotonic() - start
    code = page.get_by_text("已登记投诉 TS-").inner_text().split("已登记投诉 ")[1].split("。")[0]
    bh.screenshot(page, tmp_path / "shots", "intake-keyboard-saved")
    print(f"\nintake by keyboard: {keys.count} keystrokes ({keys.tabs} Tab, {keys.chars} characters typed, "
          f"{keys.count - keys.tabs - keys.chars} Enter), {seconds:.1f} s from the first key to the saved "
          f"message (typing at machine speed; 3 reruns: unit, category, save)")
    assert bh.exceptions(page) == []
    page.context.close()
    snapshot = tmp_path / "after.duckdb"
    shutil.copyfile(app.db_path, snapshot)
    wal = app.db_path.with_name(app.db_path.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, snapshot.with_name(snapshot.name + ".wal"))
    with duckdb.connect(str(snapshot), read_only=True) as con:
        row = con.execute("select unit_text, complainant_name, description from complaints where code = ?",
                          [code]).fetchone()
    assert row is not None and row[0] == "1-0102" and row[2] == "楼道垃圾三天没人清理，味道很大，请尽快处理。"


def test_a_refused_attachment_is_named_and_the_form_kept(app, browser, tmp_path):
    page = bh.new_page(browser)
    bh.login(page, app.url, "clerk1")
    bh.open_url(page, app.url, "intake")
    for label, option in (("一级分类 *", "服务"), ("二级分类 *", "清洁")):
        box = page.get_by_role("combobox", name=label)
        box.click()
        box.fill(option)
        page.keyboard.press("Enter")
        bh.wait_for_app(page)
    page.get_by_role("textbox", name="房号（手工填写）", exact=True).fill("8-0808")
    page.get_by_role("textbox", name="投诉人 *", exact=True).fill("郑女士")
    page.get_by_role("textbox", name="内容 *", exact=True).fill("楼道垃圾三天没人清理。")
    # a select typed by hand (unit not from the register) or picked shows no clear (×) button: no extra Tab stop
    assert page.get_by_role("button", name="Clear value").count() == 0
    page.locator("input[type=file]").set_input_files(
        [{"name": "page.html", "mimeType": "text/html", "buffer": b"<html><script>x()</script></html>"}])
    page.get_by_text("page.html").first.wait_for()
    page.get_by_role("button", name="保存投诉", exact=True).click()
    bh.wait_for_app(page)
    page.get_by_text("文件“page.html”类型不允许").wait_for()
    bh.screenshot(page, tmp_path / "shots", "intake-attachment-refused")
    assert page.get_by_role("textbox", name="投诉人 *", exact=True).input_value() == "郑女士"
    assert page.get_by_role("textbox", name="内容 *", exact=True).input_value() == "楼道垃圾三天没人清理。"
    assert "已登记投诉" not in bh.main_text(page)
    page.context.close()
