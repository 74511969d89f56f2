"""Dashboard charts (rows -> alt.Chart) with Chinese or English titles and tooltips given by the
caller: complaints per bucket stacked by category (legend filters), on-time trend with its target
line, category Pareto with integer counts and a cumulative-% axis, hours-to-resolution bands,
revisit trend, survey satisfaction across waves. Clickable marks carry a named point selection."""

from __future__ import annotations

import altair as alt
import pandas as pd

RED = "#c62828"
BLUE = "#1f6f8b"
GREY = "#90a4ae"
PICK_BAR = "bar_pick"
PICK_CATEGORY = "category_pick"

alt.utils.schemapi.disable_debug_mode()
# encodings as channel classes, never shorthand strings or dicts (csm/surveys/charts.py says why)


def complaints_stacked(rows: list[dict], lang: str, titles: dict[str, str]) -> alt.Chart:
    data = pd.DataFrame(rows, columns=["bucket", "category", "name", "name_en", "n"])
    data["label"] = data["name"] if lang == "zh" else data["name_en"]
    data["bucket"] = pd.to_datetime(data["bucket"]).dt.strftime("%Y-%m-%d")
    legend = alt.selection_point(name="legend_pick", fields=["label"], bind="legend")
    pick = alt.selection_point(name=PICK_BAR, fields=["bucket", "category"], on="click")
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("bucket:O", title=titles["bucket"], axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("sum(n):Q", title=titles["count"], axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("label:N", title=titles["category"]),
        opacity=alt.OpacityValue(**alt.condition(legend, alt.value(0.95), alt.value(0.15))),
        tooltip=[alt.Tooltip("bucket:O", title=titles["bucket"]), alt.Tooltip("label:N", title=titles["category"]),
                 alt.Tooltip("sum(n):Q", title=titles["count"])],
    ).add_params(legend, pick).properties(height=300)


def rate_trend(rows: list[dict], field: str, target: float | None, titles: dict[str, str]) -> alt.Chart:
    data = pd.DataFrame(rows, columns=["bucket", field])
    data = data[data[field].notna()].assign(bucket=lambda d: pd.to_datetime(d["bucket"]).dt.strftime("%Y-%m"))
    line = alt.Chart(data).mark_line(point=True, color=BLUE).encode(
        x=alt.X("bucket:O", title=titles["bucket"]),
        y=alt.Y(f"{field}:Q", title=titles["rate"], axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        tooltip=[alt.Tooltip("bucket:O", title=titles["bucket"]),
                 alt.Tooltip(f"{field}:Q", title=titles["rate"], format=".1%")],
    )
    if target is None:
        return line.properties(height=260)
    rule = alt.Chart(pd.DataFrame({"target": [target]})).mark_rule(color=RED, strokeDash=[6, 4]).encode(
        y=alt.Y("target:Q"), tooltip=[alt.Tooltip("target:Q", title=titles["target"], format=".0%")])
    return (line + rule).properties(height=260)


def two_rates(rows: list[dict], fields: dict[str, str], titles: dict[str, str]) -> alt.Chart:
    """Several rates per month in one chart (e.g. revisit rate and revisit satisfaction)."""
    data = pd.DataFrame(rows, columns=["bucket", *fields])
    data = data.assign(bucket=pd.to_datetime(data["bucket"]).dt.strftime("%Y-%m"))
    long = data.melt(id_vars=["bucket"], value_vars=list(fields), var_name="measure", value_name="rate")
    long = long[long["rate"].notna()].assign(measure=lambda d: d["measure"].map(fields))
    return alt.Chart(long).mark_line(point=True).encode(
        x=alt.X("bucket:O", title=titles["bucket"]),
        y=alt.Y("rate:Q", title=titles["rate"], axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("measure:N", title=None, legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("bucket:O", title=titles["bucket"]), alt.Tooltip("measure:N", title=titles["measure"]),
                 alt.Tooltip("rate:Q", title=titles["rate"], format=".1%")],
    ).properties(height=260)


def pareto(rows: list[dict], lang: str, titles: dict[str, str]) -> alt.Chart:
    """排列图 of complaint categories: counts (integer axis) and the cumulative share (right axis)."""
    data = pd.DataFrame(rows, columns=["value", "name", "name_en", "n"])
    total = data["n"].sum() or 1
    data = data.assign(label=data["name"] if lang == "zh" else data["name_en"], order=range(len(data)),
                       cumulative=data["n"].cumsum() / total, category=data["value"])
    pick = alt.selection_point(name=PICK_CATEGORY, fields=["category"], on="click")
    base = alt.Chart(data).encode(x=alt.X("label:N", sort=alt.SortField("order"), title=None,
                                          axis=alt.Axis(labelAngle=-45, labelLimit=140, labelOverlap=False)))
    bars = base.mark_bar(color=BLUE).encode(
        y=alt.Y("n:Q", title=titles["count"], axis=alt.Axis(tickMinStep=1, format="d")),
        tooltip=[alt.Tooltip("label:N", title=titles["category"]), alt.Tooltip("n:Q", title=titles["count"]),
                 alt.Tooltip("cumulative:Q", title=titles["cumulative"], format=".1%")],
    ).add_params(pick)
    line = base.mark_line(point=True, color=RED).encode(
        y=alt.Y("cumulative:Q", title=titles["cumulative"], axis=alt.Axis(format="%", orient="right"),
                scale=alt.Scale(domain=[0, 1])))
    return alt.layer(bars, line).resolve_scale(y="independent").properties(height=300)


def hours_bands(rows: list[dict], band_labels: dict[int, str], titles: dict[str, str]) -> alt.Chart:
    data = pd.DataFrame([{"band": b, "label": band_labels[b], "n": 0} for b in band_labels])
    counts = {r["band"]: r["n"] for r in rows}
    data["n"] = data["band"].map(lambda b: counts.get(b, 0))
    return alt.Chart(data).mark_bar(color=BLUE).encode(
        x=alt.X("label:N", sort=None, title=titles["band"], axis=alt.Axis(labelAngle=0)),
        y=alt.Y("n:Q", title=titles["count"], axis=alt.Axis(tickMinStep=1, format="d")),
        tooltip=[alt.Tooltip("label:N", title=titles["band"]), alt.Tooltip("n:Q", title=titles["count"])],
    ).properties(height=260)


def close_hours(frame: pd.DataFrame, titles: dict[str, str]) -> alt.Chart:
    """Median hours to close per department (bars), the 90th percentile as a tick on each bar."""
    data = frame[frame["close_p50"].notna()]
    tooltip = [alt.Tooltip("department:N", title=titles["department"]),
               alt.Tooltip("closed:Q", title=titles["closed"]),
               alt.Tooltip("close_p50:Q", title=titles["p50"], format=".1f"),
               alt.Tooltip("close_p90:Q", title=titles["p90"], format=".1f")]
    bars = alt.Chart(data).mark_bar(color=BLUE).encode(
        x=alt.X("department:N", sort=None, title=titles["department"], axis=alt.Axis(labelAngle=0)),
        y=alt.Y("close_p50:Q", title=titles["p50"]), tooltip=tooltip)
    ticks = alt.Chart(data).mark_tick(color=RED, thickness=2, size=30).encode(
        x=alt.X("department:N", sort=None), y=alt.Y("close_p90:Q"), tooltip=tooltip)
    return (bars + ticks).properties(height=260)


def survey_waves(rows: list[dict], target: float | None, titles: dict[str, str]) -> alt.Chart:
    data = pd.DataFrame(rows, columns=["code", "name", "satisfaction", "returned", "issued"])
    data = data[data["satisfaction"].notna()]
    line = alt.Chart(data).mark_line(point=True, color=BLUE).encode(
        x=alt.X("code:N", sort=None, title=titles["wave"]),
        y=alt.Y("satisfaction:Q", title=titles["rate"], axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        tooltip=[alt.Tooltip("name:N", title=titles["wave"]),
                 alt.Tooltip("satisfaction:Q", title=titles["rate"], format=".1%"),
                 alt.Tooltip("returned:Q", title=titles["returned"]), alt.Tooltip("issued:Q", title=titles["issued"])],
    )
    if target is None:
        return line.properties(height=260)
    rule = alt.Chart(pd.DataFrame({"target": [target]})).mark_rule(color=RED, strokeDash=[6, 4]).encode(y=alt.Y("target:Q"))
    return (line + rule).properties(height=260)


def warm_up() -> None:
    """Build and serialise one small chart: the first to_dict loads and compiles much of Altair
    (csm.web.cache.preload runs this in the background before a page's first chart)."""
    pareto([{"value": "A", "name": "A", "name_en": "A", "n": 1}], "zh",
           {"count": "", "category": "", "cumulative": ""}).to_dict(validate=False)


def picked(event, name: str) -> dict | None:
    """The first point clicked in a chart's named selection, as {field: value}, if any."""
    try:
        points = event.selection[name]
    except (AttributeError, KeyError, TypeError):
        return None
    return points[0] if points and isinstance(points, list) and isinstance(points[0], dict) else None


PICK_UNIT = "unit_pick"


def caterpillar(data: pd.DataFrame, median: float | None, target: float | None,
                titles: dict[str, str]) -> alt.Chart:
    """Each unit's rate with its 95% interval, sorted, with the median (grey) and the target (red):
    a unit whose interval misses the median differs by more than noise. Columns: unit_id, name,
    value, low, high, n, side (+1/-1/0)."""
    data = data.assign(side_label=data["side"].map({1: "above", -1: "below", 0: "same"}))
    pick = alt.selection_point(name=PICK_UNIT, fields=["unit_id"], on="click")
    y = alt.Y("name:N", sort=alt.EncodingSortField("value", order="descending"), title=None,
              axis=alt.Axis(labelLimit=160))
    colour = alt.Color("side_label:N", scale=alt.Scale(domain=["above", "same", "below"],
                                                       range=["#2e7d32", GREY, RED]), legend=None)
    whisker = alt.Chart(data).mark_rule(strokeWidth=2).encode(
        y=y, x=alt.X("low:Q", title=titles["rate"], axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        x2=alt.X2("high:Q"), color=colour)
    dots = alt.Chart(data).mark_circle(size=80, opacity=1).encode(
        y=y, x=alt.X("value:Q"), color=colour,
        tooltip=[alt.Tooltip("name:N", title=titles["unit"]), alt.Tooltip("value:Q", title=titles["rate"], format=".1%"),
                 alt.Tooltip("low:Q", title=titles["low"], format=".1%"),
                 alt.Tooltip("high:Q", title=titles["high"], format=".1%"), alt.Tooltip("n:Q", title="n")],
    ).add_params(pick)
    layers = [whisker, dots]
    if median is not None:
        layers.append(alt.Chart(pd.DataFrame({"m": [median]})).mark_rule(color="#546e7a", strokeDash=[2, 2])
                      .encode(x=alt.X("m:Q")))
    if target is not None:
        layers.append(alt.Chart(pd.DataFrame({"t": [target]})).mark_rule(color=RED, strokeDash=[6, 4])
                      .encode(x=alt.X("t:Q")))
    return alt.layer(*layers).properties(height=max(160, 22 * len(data)))


def scatter(data: pd.DataFrame, titles: dict[str, str]) -> alt.Chart:
    """Complaints per 100 households against satisfaction; point size = households; click to drill in.
    Columns: unit_id, name, per100, satisfaction, households."""
    pick = alt.selection_point(name=PICK_UNIT, fields=["unit_id"], on="click")
    return alt.Chart(data).mark_circle(opacity=0.7, color=BLUE).encode(
        x=alt.X("per100:Q", title=titles["per100"]),
        y=alt.Y("satisfaction:Q", title=titles["rate"], axis=alt.Axis(format="%"), scale=alt.Scale(zero=False)),
        size=alt.Size("households:Q", title=titles["households"], legend=None),
        tooltip=[alt.Tooltip("name:N", title=titles["unit"]), alt.Tooltip("per100:Q", title=titles["per100"], format=".1f"),
                 alt.Tooltip("satisfaction:Q", title=titles["rate"], format=".1%"),
                 alt.Tooltip("households:Q", title=titles["households"], format=",")],
    ).add_params(pick).properties(height=320)


def small_multiples(rows: list[dict], titles: dict[str, str], columns: int = 5) -> alt.Chart:
    """Satisfaction across waves, one small chart per branch."""
    data = pd.DataFrame(rows, columns=["wave", "branch", "satisfaction"])
    data = data[data["satisfaction"].notna()]
    return alt.Chart(data).mark_line(point=True, color=BLUE).encode(
        x=alt.X("wave:N", sort=None, title=None, axis=alt.Axis(labels=False, ticks=False)),
        y=alt.Y("satisfaction:Q", title=None, axis=alt.Axis(format="%", tickCount=3), scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("branch:N", title=titles["unit"]), alt.Tooltip("wave:N", title=titles["wave"]),
                 alt.Tooltip("satisfaction:Q", title=titles["rate"], format=".1%")],
    ).properties(width=120, height=70).facet(
        facet=alt.Facet("branch:N", title=None, header=alt.Header(labelFontSize=11)), columns=columns)
