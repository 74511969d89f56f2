"""The reporting-period picker of the dashboard and the comparison (this month … custom)."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from csm.dashboards import periods
from csm.dashboards.kpis import Period
from csm.i18n import t


def period_picker(key: str, today: date, default: str = "this_month", container=st) -> Period:
    kind = container.segmented_control(t("dash.period"), list(periods.KINDS), default=default, required=True,
                                       format_func=lambda k: t(f"dash.period.{k}"), key=f"{key}.period")
    if kind != "custom":
        return periods.period_of(kind, today)
    month = periods.period_of("this_month", today)
    picked = container.date_input(t("dash.period.range"), value=(month.first, today), key=f"{key}.range",
                                  max_value=today + timedelta(days=366), format="YYYY-MM-DD")
    if isinstance(picked, tuple) and len(picked) == 2:
        return periods.period_of("custom", today, picked[0], picked[1])
    return periods.period_of("custom", today, month.first, today)  # one end picked so far
