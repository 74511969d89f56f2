"""No Streamlit English placeholder ("Choose an option", "No options to select") in the zh UI of
the intake and service-record pages: every select passes its own placeholder."""

from __future__ import annotations

import pytest

from tests.apptest_helpers import open_page

ENGLISH = ("Choose an option", "Choose options", "No options to select", "Add an option", "Choose or add an option")


@pytest.mark.parametrize("page", ["intake", "service_records"])
def test_every_select_has_a_chinese_placeholder(db_path, page):
    at = open_page("clerk1", page)
    assert not at.exception
    boxes = list(at.selectbox) + list(at.multiselect)
    assert boxes
    for box in boxes:
        if box.proto.placeholder:
            assert box.proto.placeholder not in ENGLISH, box.key
        else:  # Streamlit's own placeholder only shows on an empty select: this one never is
            assert box.options and box.proto.HasField("default"), box.key


def test_intake_categories_start_on_choose_and_second_says_pick_the_first(db_path):
    at = open_page("clerk1", "intake")
    assert at.selectbox(key="intake.cat1.0").value == 0  # "not picked": never None, so no clear (×) button
    assert at.selectbox(key="intake.unit.0").value == 0
    assert at.selectbox(key="intake.cat1.0").options[0] == "请选择"
    assert at.selectbox(key="intake.cat2.0").options == ["请先选一级分类"]
