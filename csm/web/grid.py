"""The editable grid the admin screens share (Streamlit glue; the rules and saving are csm.admin)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from csm.errors import UserError
from csm.i18n import t


def grid_editor(key: str, load: Callable[[], pd.DataFrame], save: Callable[[pd.DataFrame, pd.DataFrame], int],
                column_config: dict, *, read_only: bool = False, num_rows: str = "dynamic",
                column_order: list[str] | None = None, disabled: list[str] | None = None) -> None:
    """An editable grid with Save and Discard.

    Session state: `<key>.base` the frame the editor started from (kept until a save succeeds or
    the user discards, so a refused save keeps every typed cell: the editor's own edit state
    lives under `<key>.editor` and stays valid while its base is unchanged); `<key>.flash` the
    message of the last successful save, shown after the rerun.
    """
    from csm.web import ui

    base_key, editor_key, flash_key = f"{key}.base", f"{key}.editor", f"{key}.flash"
    if base_key not in st.session_state or editor_key not in st.session_state:
        st.session_state[base_key] = load()  # first visit, or back on this page after leaving it
    base = st.session_state[base_key]
    flash = st.session_state.pop(flash_key, None)
    if flash:
        st.success(flash)
    if read_only:
        st.dataframe(base, hide_index=True, width="stretch", column_config=column_config,
                     column_order=column_order)
        return
    edited = st.data_editor(base, key=editor_key, num_rows=num_rows, hide_index=True, width="stretch",
                            column_config=column_config, column_order=column_order, disabled=disabled or ())
    c1, c2, _ = st.columns([1, 2, 5])
    if c1.button(t("common.save"), key=f"{key}.save", type="primary"):
        try:
            n = save(base, edited)
        except UserError as exc:
            ui.show_error(exc)
        else:
            if n == 0:
                st.info(t("admin.no_changes"))
            else:
                st.session_state.pop(base_key, None)
                st.session_state.pop(editor_key, None)
                st.session_state[flash_key] = t("admin.saved", n=n)
                st.rerun()
    if c2.button(t("admin.discard"), key=f"{key}.discard"):
        st.session_state.pop(base_key, None)
        st.session_state.pop(editor_key, None)
        st.rerun()
