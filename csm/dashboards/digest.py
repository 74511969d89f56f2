"""The daily digest (for cron: python -m csm digest --date D): per manager and supervisor, the day's
new complaints, what is overdue and due soon, reopened complaints, 不满意 revisits, corrective
actions past deadline and the week's trend — stored as an inbox item their home page shows and
written as an Excel file into the digest folder. Nothing is sent over the network."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

from csm import config, excel
from csm.actor import Actor
from csm.dashboards import kpis, reads
from csm.dashboards.kpis import Period
from csm.db import Database
from csm.i18n import t

ROLES = ("manager", "supervisor")  # who gets one (queries/dashboards/digest_recipients.sql)
FIGURES = ("received", "overdue_open", "due_soon", "reopened", "unsatisfied_revisit", "actions_overdue")


def digest_dir() -> Path:
    return Path(os.environ.get("CSM_DIGEST_DIR", config.DATA_DIR / "digests"))


@dataclass
class Digest:
    username: str
    day: date
    figures: dict[str, int]
    week: list[tuple[date, int]]
    file: Path


def _actor_for(user: dict, tz: str, day: date) -> Actor:
    end_of_day = datetime.combine(day + timedelta(days=1), time(0), ZoneInfo(tz))
    return Actor.of(user, tz=tz, clock=min(end_of_day, datetime.now(ZoneInfo(tz))))


def figures_for(db: Database, actor: Actor, day: date) -> tuple[dict[str, int], list[tuple[date, int]]]:
    today = kpis.measure(db, actor, Period(day, day))
    attention = reads.attention(db, actor, limit=1)
    counts = {r["kind"]: int(r["n_kind"]) for r in attention}
    figures = {"received": int(today["received"].value or 0), "overdue_open": int(today["overdue_open"].value or 0),
               "due_soon": counts.get("due_soon", 0), "reopened": int(today["reopened"].value or 0),
               "unsatisfied_revisit": counts.get("unsatisfied_revisit", 0),
               "actions_overdue": int(today["actions_overdue"].value or 0)}
    week = Period(day - timedelta(days=6), day)
    per_day: dict[date, int] = {week.first + timedelta(days=i): 0 for i in range(7)}
    for r in reads.complaints_per_bucket(db, actor, week, grain="day"):
        per_day[r["bucket"]] = per_day.get(r["bucket"], 0) + int(r["n"])
    return figures, sorted(per_day.items())


def write_file(d: Digest, lang: str, tz: str) -> None:
    rows = [{"section": t("digest.section.today", lang), "item": t(f"digest.fig.{k}", lang), "value": v}
            for k, v in d.figures.items()]
    rows += [{"section": t("digest.section.week", lang), "item": day.isoformat(), "value": n} for day, n in d.week]
    headers = {"section": t("digest.col.section", lang), "item": t("digest.col.item", lang),
               "value": t("digest.col.value", lang)}
    d.file.parent.mkdir(parents=True, exist_ok=True)
    tmp = d.file.with_suffix(".tmp")
    tmp.write_bytes(excel.frame_to_xlsx(pd.DataFrame(rows), headers, t("digest.sheet", lang), tz=tz))
    tmp.replace(d.file)


def run(db: Database, day: date) -> list[Digest]:
    """Writes every recipient's digest of `day` (again, replacing it, if run twice)."""
    out = []
    for user in db.rows("dashboards/digest_recipients"):
        actor = _actor_for(user, db.timezone, day)
        figures, week = figures_for(db, actor, day)
        file = digest_dir() / f"{day.isoformat()}" / f"digest-{day.isoformat()}-{user['username']}.xlsx"
        d = Digest(user["username"], day, figures, week, file)
        write_file(d, user["lang"] or "zh", db.timezone)
        db.execute("dashboards/digest_upsert", {"user_id": user["id"], "day": day,
                                     "summary": json.dumps({"figures": figures,
                                                            "week": [[k.isoformat(), n] for k, n in week]}),
                                     "file_name": str(file.relative_to(digest_dir()))})
        out.append(d)
    return out


def latest(db: Database, actor: Actor) -> dict | None:
    """The actor's latest digest for the home page: day, figures, week and the file's path."""
    row = db.one("dashboards/digest_latest", {"user_id": actor.user_id})
    if row is None:
        return None
    summary = json.loads(row["summary"])
    return {"day": row["day"], "figures": summary["figures"], "week": summary["week"],
            "file": digest_dir() / row["file_name"] if row["file_name"] else None}
