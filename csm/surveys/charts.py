"""Survey charts (DataFrame -> alt.Chart): return rates with the 80% line, Pareto of unsatisfied
items with its cumulative line, item x project heat map, trend across waves. A chosen project or
item (clicked on any chart) is highlighted on every chart through the `highlight_*` arguments."""

from __future__ import annotations

import altair as alt
import pandas as pd

RED = "#c62828"
BLUE = "#1f77b4"
GREY = "#b0bec5"
SELECT_PROJECT = "project_pick"
SELECT_ITEM = "item_pick"

# Validate a chart once when it is rendered (to_dict), not every part as it is built: building the
# four charts of the analysis page took a third of its time with per-part validation.
alt.utils.schemapi.disable_debug_mode()
# Every encoding is given as its channel class (alt.Y("f:Q"), alt.OpacityValue(**alt.condition(…))),
# never as a shorthand string or a dict: Altair turns those with from_dict, which hashes the
# schema of every candidate class on each call (~5 ms an encoding; half of building a chart).


def return_rate_chart(df: pd.DataFrame, target: float, title_rate: str, title_project: str,
                      highlight_project: str | None = None) -> alt.Chart:
    """One bar per project (returned / issued); bars under the target red; the target as a rule."""
    data = df.assign(below=df["below_target"].astype(bool))
    pick = alt.selection_point(name=SELECT_PROJECT, fields=["project_code"], on="click")
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("project:N", sort=None, title=title_project, axis=alt.Axis(labelAngle=-45, labelLimit=120)),
        y=alt.Y("return_rate:Q", title=title_rate, axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])),
        color=alt.ColorValue(**alt.condition("datum.below", alt.value(RED), alt.value(BLUE))),
        opacity=alt.OpacityValue(**(alt.condition(alt.datum.project_code == highlight_project, alt.value(1.0),
                                                  alt.value(0.35)) if highlight_project else alt.value(0.9))),
        tooltip=[alt.Tooltip("branch:N"), alt.Tooltip("project:N"), alt.Tooltip("forms_issued:Q"),
                 alt.Tooltip("returned:Q"), alt.Tooltip("return_rate:Q", format=".1%")],
    ).add_params(pick)
    rule = alt.Chart(pd.DataFrame({"target": [target]})).mark_rule(color=RED, strokeDash=[6, 4]).encode(
        y=alt.Y("target:Q"))
    label = alt.Chart(pd.DataFrame({"target": [target], "text": [f"{target:.0%}"]})).mark_text(
        align="left", dx=4, dy=-6, color=RED).encode(y=alt.Y("target:Q"), text=alt.Text("text:N"),
                                                 x=alt.XValue(0))
    return (bars + rule + label).properties(height=320)


def _texts(df: pd.DataFrame, lang: str) -> pd.Series:
    """Item wording in the chart's language (the Chinese text where no English one is kept)."""
    if lang == "en" and "text_en" in df:
        return df["text_en"].where(df["text_en"].notna() & (df["text_en"] != ""), df["text_zh"])
    return df["text_zh"]


def pareto_chart(df: pd.DataFrame, title_count: str, title_cum: str,
                 highlight_item: str | None = None, lang: str = "zh") -> alt.Chart:
    """排列图: 不满意 counts per item, most first (whole-number ticks: counts are forms), with the
    cumulative share on its own axis at the right."""
    data = df.assign(label=_texts(df, lang), order=range(len(df)))
    pick = alt.selection_point(name=SELECT_ITEM, fields=["item_key"], on="click")
    base = alt.Chart(data).encode(x=alt.X("label:N", sort=alt.SortField("order"), title=None,
                                          axis=alt.Axis(labelAngle=-45, labelLimit=160, labelOverlap=False)))
    bars = base.mark_bar(color=RED).encode(
        y=alt.Y("n_unsatisfied:Q", title=title_count, axis=alt.Axis(tickMinStep=1, format="d")),
        opacity=alt.OpacityValue(**(alt.condition(alt.datum.item_key == highlight_item, alt.value(1.0),
                                                  alt.value(0.35)) if highlight_item else alt.value(0.85))),
        tooltip=[alt.Tooltip("dimension_name:N"), alt.Tooltip("label:N"), alt.Tooltip("n_unsatisfied:Q"),
                 alt.Tooltip("share:Q", format=".1%"), alt.Tooltip("cumulative_share:Q", format=".1%")],
    ).add_params(pick)
    cum_scale = alt.Scale(domain=[0, 1])
    line = base.mark_line(point=True, color="#37474f").encode(
        y=alt.Y("cumulative_share:Q", title=title_cum, scale=cum_scale,
                axis=alt.Axis(format="%", orient="right", grid=False)))
    eighty = alt.Chart(pd.DataFrame({"cumulative_share": [0.8]})).mark_rule(
        color=GREY, strokeDash=[4, 4]).encode(y=alt.Y("cumulative_share:Q", scale=cum_scale))
    # the line and its 80% rule share one scale and one (right) axis; the bars have theirs at the left
    return alt.layer(bars, alt.layer(line, eighty)).resolve_scale(y="independent").properties(height=340)


def heatmap_chart(df: pd.DataFrame, title_rate: str, highlight_project: str | None = None,
                  highlight_item: str | None = None, lang: str = "zh") -> alt.Chart:
    """Item x project satisfaction; the weaker the redder. The chosen row/column is outlined. Every
    item and project is labelled (no label dropped for overlap: a row per item is tall enough)."""
    data = df.assign(item=df["sort"].map(lambda s: f"{s:02d} ") + _texts(df, lang))
    chosen = alt.datum.project_code == (highlight_project or "")
    if highlight_item:
        chosen = chosen | (alt.datum.item_key == highlight_item)
    return alt.Chart(data).mark_rect().encode(
        x=alt.X("project:N", title=None, sort=None,
                axis=alt.Axis(labelAngle=-45, labelLimit=120, labelOverlap=False, labelFontSize=10)),
        y=alt.Y("item:N", title=None, sort=alt.SortField("sort"),
                axis=alt.Axis(labelLimit=260, labelOverlap=False, labelFontSize=11)),
        color=alt.Color("satisfaction_rate:Q", title=title_rate, legend=alt.Legend(format="%"),
                        scale=alt.Scale(scheme="redyellowgreen", domain=[0.6, 1.0], clamp=True)),
        stroke=alt.StrokeValue(**(alt.condition(chosen, alt.value("black"), alt.value(None))
                                  if (highlight_project or highlight_item) else alt.value(None))),
        strokeWidth=alt.StrokeWidthValue(1.5),
        tooltip=[alt.Tooltip("branch:N"), alt.Tooltip("project:N"), alt.Tooltip("item:N"),
                 alt.Tooltip("satisfaction_rate:Q", format=".1%"), alt.Tooltip("n_unsatisfied:Q"),
                 alt.Tooltip("n_rated:Q")],
    ).properties(height=max(300, 20 * data["item"].nunique()))


def trend_chart(df: pd.DataFrame, title_rate: str, title_wave: str,
                highlight: str | None = None) -> alt.Chart:
    """Satisfaction per wave (in date order) for each chosen project; the highlighted one bold."""
    data = df.assign(wave_label=df["wave_code"] + " " + df["wave"])
    pick = alt.selection_point(name=SELECT_PROJECT + "_trend", fields=["grp"], bind="legend")
    return alt.Chart(data).mark_line(point=True).encode(
        x=alt.X("wave_label:N", sort=alt.SortField("starts_on"), title=title_wave,
                axis=alt.Axis(labelAngle=0, labelLimit=180)),
        y=alt.Y("satisfaction_rate:Q", title=title_rate, axis=alt.Axis(format="%"),
                scale=alt.Scale(zero=False)),
        color=alt.Color("grp:N", title=None),
        strokeWidth=alt.StrokeWidthValue(**(alt.condition(alt.datum.grp == highlight, alt.value(4), alt.value(1.5))
                                            if highlight else alt.value(2))),
        opacity=alt.OpacityValue(**alt.condition(pick, alt.value(1.0), alt.value(0.2))),
        tooltip=[alt.Tooltip("grp:N"), alt.Tooltip("wave_label:N"),
                 alt.Tooltip("satisfaction_rate:Q", format=".1%"), alt.Tooltip("forms:Q")],
    ).add_params(pick).properties(height=320)


def picked(event, name: str, field: str) -> str | None:
    """The value clicked in a chart's point selection, if any."""
    try:
        points = event.selection[name]
    except (AttributeError, KeyError, TypeError):
        return None
    if points and isinstance(points, list) and field in points[0]:
        return points[0][field]
    return None
