"""Tables never show 'None' / 'nan' for an empty cell (st.dataframe draws on a canvas, so the
browser sweep cannot read them: the frames handed to it are checked here)."""

from __future__ import annotations

import pytest

from tests.apptest_helpers import open_page


@pytest.mark.parametrize(("username", "page"), [
    ("clerk1", "revisits"), ("supervisor1", "residents"), ("supervisor1", "complaints"),
    ("manager_b1", "survey_actions")])  # the comparison shows missing figures as — (Styler na_rep)
def test_tables_have_no_raw_missing_values(db_path, username, page):
    at = open_page(username, page)
    assert not at.exception
    for table in at.dataframe:
        frame = table.value
        for col in frame.columns:
            assert not frame[col].isna().any(), (page, col)  # Streamlit draws a missing cell as "None"
            shown = [str(v) for v in frame[col].tolist()]
            assert not {"None", "nan", "NaN", "NaT", "<NA>"} & set(shown), (page, col)
