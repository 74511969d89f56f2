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

    Unsaved edits outlive the editor: Streamlit drops a widget's state when a run does not draw
    it (another tab of a page whose tabs run lazily, another page), so each run keeps the edited
    frame under `<key>.draft` while it differs from the base. An editor that starts again with a
    draft shows the draft (with a note) and still saves against the original base; without
    unsaved edits it reloads, so coming back shows fresh data.
    """
    from csm.web import ui

    base_key, editor_key, flash_key = f"{key}.base", f"{key}.editor", f"{key}.flash"
    shown_key, draft_key = f"{key}.shown", f"{key}.draft"
    if base_key not in st.session_state or editor_key not in st.session_state:
        draft = st.session_state.get(draft_key) if base_key in st.session_state else None
        if draft is None:  # first visit, or back on this tab or page with nothing unsaved
            st.session_state[base_key] = load()
            st.session_state.pop(draft_key, None)
        st.session_state[shown_key] = st.session_state[base_key] if draft is None else draft
    base = st.session_state[base_key]
    shown = st.session_state.get(shown_key, base)
    flash = st.session_state.pop(flash_key, None)
    if flash:
        st.success(flash)
    if read_only:
        st.dataframe(base, hide_index=True, width="stretch", column_config=column_config,
                     column_order=column_order)
        return
    if shown is not base:
        st.info(t("admin.draft_kept"))
    edited = st.data_editor(shown, key=editor_key, num_rows=num_rows, hide_index=True, width="stretch",
                            column_config=column_config, column_order=column_order, disabled=disabled or ())
    changes = st.session_state.get(editor_key) or {}
    if shown is not base or any(changes.get(k) for k in ("edited_rows", "added_rows", "deleted_rows")):
        st.session_state[draft_key] = edited
    else:
        st.session_state.pop(draft_key, None)
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
                for k in (base_key, editor_key, shown_key, draft_key):
                    st.session_state.pop(k, None)
                st.session_state[flash_key] = t("admin.saved", n=n)
                st.rerun()
    if c2.button(t("admin.discard"), key=f"{key}.discard"):
        for k in (base_key, editor_key, shown_key, draft_key):
            st.session_state.pop(k, None)
        st.rerun()
