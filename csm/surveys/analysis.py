"""The statistics table (顾客意见调查统计表) as shown and exported. Every rate comes from the SQL
macros (survey_satisfaction, queries/migrations/005_surveys.sql); the reads are in reads.py."""

from __future__ import annotations

import pandas as pd

GROUPINGS = ("wave", "branch", "project", "dimension", "item")


def statistics_table(table: pd.DataFrame) -> pd.DataFrame:
    """The statistics table as shown on the page and exported: rates as "80.0%"."""
    from csm import fmt

    return table.assign(satisfaction_rate=table["satisfaction_rate"].map(fmt.pct))


def statistics_xlsx(shown: pd.DataFrame, headers: dict[str, str]) -> bytes:
    """The statistics table as an Excel file, with the page's columns and figures."""
    from csm import excel

    return excel.frame_to_xlsx(shown, headers, "顾客意见调查统计表")
