"""The progress box of a file made on click (a report's Excel or PDF): a st.status with a bar that
moves through the steps (reading the rows, writing the file), ending green with the file's name
and row count, or red when the request was refused (the refusal itself is shown by ui.show_error).
Like csm.web.ui.import_progress, for exports."""

from __future__ import annotations

import streamlit as st

from csm.i18n import t

STEPS = {"read": 0.1, "write": 0.5, "pdf": 0.5}


class export_progress:  # noqa: N801 - used as a context manager, like st.status
    """`with export_progress() as step: step("read"); rows = ...; step("write", n=len(rows)); ...;
    step.done(name, n)`."""

    def __init__(self):
        self.status = st.status(t("reports.making"), expanded=True)
        self.bar = self.status.progress(0.0, text=t("reports.making"))
        self.finished = False

    def __call__(self, step: str, n: int | None = None) -> None:
        self.bar.progress(STEPS[step], text=t(f"reports.step.{step}", n=n))

    def moving(self, start: float, end: float, n: int | None = None, key: str = "reports.step.write"):
        """A progress(done, total) callback for a writer (csm.excel): the bar moves from start to
        end while the rows are written (`key`: the text shown, with the row count)."""
        text = t(key, n=n)

        def progress(done: int, total: int) -> None:
            self.bar.progress(min(start + (end - start) * (done / total if total else 1.0), 1.0), text=text)
        return progress

    def done(self, name: str, n: int | None = None) -> None:
        text = t("reports.made", name=name) if n is None else t("reports.made_rows", name=name, n=n)
        self.bar.progress(1.0, text=text)
        self.status.update(label=text, state="complete", expanded=False)
        self.finished = True

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        if exc is not None or not self.finished:
            self.status.update(label=t("reports.failed"), state="error", expanded=False)
        return False
