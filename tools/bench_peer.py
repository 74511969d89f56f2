"""The pandas peer: the naive way (load the tables into pandas, aggregate there) against the
product's read on DuckDB, for three figures of the dashboards and screens:

- satisfaction by project x wave (surveys.reads.trend by project: the survey counts table),
- complaints per status (complaints.reads.status_counts, the desk's header),
- complaints resolved per band of hours in the last 365 days (dashboards.reads.resolve_hours).

"load" is reading every column of the tables the figure needs into DataFrames (queries/bench/),
"naive" aggregates them the first way one writes it (a lambda per group), "careful" the vectorised
way on the same loaded frames; "product" is the product's read, end to end. The figures are
checked against each other (the same numbers), so a fast but wrong read would show.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import timedelta

BANDS = [0, 24, 48, 72, 168, 336, float("inf")]


def _median_ms(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    samples, value = [], None
    for _ in range(max(1, runs)):
        start = time.perf_counter()
        value = fn()
        samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 1), value


def _hq_actor(db):
    from csm.actor import Actor
    from csm.org import users

    user = {k: v for k, v in users.get(db, "hq").items() if k != "password_hash"}
    return Actor.of(user, tz=db.timezone)


def peer(db, runs: int = 10, load_runs: int = 3) -> list[dict]:
    """One row per figure: load / naive / careful / product medians (ms) and whether they agree."""
    import pandas as pd

    from csm.complaints import reads as complaint_reads
    from csm.dashboards import reads as dash_reads
    from csm.dashboards.kpis import Period
    from csm.surveys import reads as survey_reads

    actor = _hq_actor(db)
    out = []

    # ---- satisfaction by project x wave ---------------------------------------------------------
    def load_surveys():
        return (db.df("bench/table_survey_answers"), db.df("bench/table_survey_responses"),
                db.df("bench/table_survey_waves"))

    load_ms, (answers, responses, waves) = _median_ms(load_surveys, load_runs)
    live = waves.loc[waves["status"] != "draft", "id"]

    def joined():
        m = answers.merge(responses[["id", "wave_id", "project_id"]], left_on="response_id", right_on="id")
        return m[m["wave_id"].isin(live)]

    def naive_sat():
        g = joined().groupby(["wave_id", "project_id"])["rating"].agg(
            q=lambda s: s.isin([2, 3, 4]).sum(), u=lambda s: (s == 1).sum())
        return g["q"] / (g["q"] + g["u"])

    def careful_sat():
        m = joined()
        g = m.assign(q=m["rating"].isin([2, 3, 4]), u=m["rating"].eq(1)).groupby(["wave_id", "project_id"])[
            ["q", "u"]].sum()
        return g["q"] / (g["q"] + g["u"])

    naive_ms, naive_v = _median_ms(naive_sat, load_runs)
    careful_ms, _ = _median_ms(careful_sat, load_runs)
    product_ms, prod = _median_ms(lambda: survey_reads.trend(db, actor, group_by="project"), runs)

    def rates(values) -> list[tuple[int, float]]:
        return sorted((int(w), round(float(r), 6)) for w, r in values if r == r)  # NaN dropped
    same = rates(zip(naive_v.index.get_level_values(0), naive_v.to_numpy(), strict=True)) == rates(
        zip(prod["wave_id"], prod["satisfaction_rate"], strict=True))
    out.append(_row("satisfaction by project x wave", len(answers), load_ms, naive_ms, careful_ms, product_ms,
                    same, f"{len(prod)} wave x project rates"))
    answers = responses = None  # the 31 M answers of the large size: let them go before the next load

    # ---- complaints per status, and resolution hours ------------------------------------------------
    load_ms, complaints = _median_ms(lambda: db.df("bench/table_complaints"), load_runs)

    def naive_status():
        return {s: int(len(g)) for s, g in complaints.groupby("status")}

    naive_ms, naive_counts = _median_ms(naive_status, load_runs)
    careful_ms, _ = _median_ms(lambda: complaints["status"].value_counts().to_dict(), load_runs)
    product_ms, prod_counts = _median_ms(lambda: complaint_reads.status_counts(db, actor), runs)
    same = {s: n for s, (n, _late) in prod_counts.items() if n} == naive_counts
    out.append(_row("complaints per status", len(complaints), load_ms, naive_ms, careful_ms, product_ms, same,
                    f"{len(naive_counts)} statuses"))

    today = actor.today()
    period = Period(today - timedelta(days=364), today)
    start, end = period.bounds(actor.tz)

    def hours_frame():
        done = complaints[(complaints["resolved_at"] >= start) & (complaints["resolved_at"] < end)]
        return (done["resolved_at"] - done["received_at"]).dt.total_seconds() / 3600

    def naive_bands():
        hours = hours_frame()
        bands = hours.apply(lambda h: max(b for b in BANDS[:-1] if h >= b) if h >= 0 else 0)
        return {int(b): int(n) for b, n in bands.value_counts().items()}

    def careful_bands():
        cut = pd.cut(hours_frame(), BANDS, right=False, labels=BANDS[:-1])
        return {int(b): int(n) for b, n in cut.value_counts().items() if n}

    naive_ms, naive_b = _median_ms(naive_bands, load_runs)
    careful_ms, _ = _median_ms(careful_bands, load_runs)
    product_ms, prod_b = _median_ms(lambda: dash_reads.resolve_hours(db, actor, period), runs)
    same = {int(r["band"]): int(r["n"]) for r in prod_b} == naive_b
    out.append(_row("resolved per band of hours (365 days)", len(complaints), load_ms, naive_ms, careful_ms,
                    product_ms, same, f"{sum(naive_b.values())} resolved"))
    return out


def _row(name, rows, load_ms, naive_ms, careful_ms, product_ms, same, note) -> dict:
    end_to_end = load_ms + naive_ms
    return {"figure": name, "rows_loaded": int(rows), "load_ms": load_ms, "naive_ms": naive_ms,
            "careful_ms": careful_ms, "product_ms": product_ms,
            "naive_end_to_end_ms": round(end_to_end, 1),
            "speedup_end_to_end": round(end_to_end / product_ms, 1) if product_ms else None,
            "careful_vs_product": round(careful_ms / product_ms, 2) if product_ms else None,
            "same_figures": bool(same), "note": note}
