"""Demo survey data: four half-yearly group waves over two years for every project, generated in
SQL (INSERT ... SELECT with hash-based pseudo-randomness) so that the large size is fast.

Realism: branches and projects differ, fees and repairs score lower than customer service,
satisfaction improves slowly wave by wave, about one project in eight returns under 80% of its
forms, low forms have their survey revisits, and each wave's most-criticised item per project has
a corrective action. A draft project wave of P001 waits for its manager's approval.
"""

from __future__ import annotations

import random
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from csm.db import Database, Tx
from csm.surveys import links, rules

# (code, name, starts_on, ends_on, status)
WAVES = [
    ("DC-2025-01", "2025年上半年客户满意度调查", date(2025, 3, 1), date(2025, 3, 31), "closed"),
    ("DC-2025-02", "2025年下半年客户满意度调查", date(2025, 9, 1), date(2025, 9, 30), "closed"),
    ("DC-2026-01", "2026年上半年客户满意度调查", date(2026, 3, 1), date(2026, 3, 31), "closed"),
    ("DC-2026-02", "2026年下半年客户满意度调查", date(2026, 9, 1), date(2026, 10, 25), "approved"),
]
ISSUE_SHARE = {"tiny": 1.0, "small": 0.6, "large": 0.3}  # forms issued per household
PURPOSE = "了解业主对物业各项服务的满意程度，收集意见和建议，确定需改进的方面（每半年一次）"


def _at(d: date, zone: ZoneInfo, hour: int = 10) -> datetime:
    """A local time of day in the company's zone (db.timezone)."""
    return datetime(d.year, d.month, d.day, hour, tzinfo=zone)


def generate_surveys(db: Database, size: str = "small", seed: int | random.Random = 2026,
                     today: date | None = None) -> dict:
    """Add the demo waves, forms, answers, revisits, actions and P001 tokens; return counts."""
    from tools.demo import TODAY

    if isinstance(seed, random.Random):
        seed = seed.randrange(1, 2**31)
    today = today or TODAY
    share = ISSUE_SHARE.get(size, 0.6)
    threshold = rules.score_threshold(db)
    zone = ZoneInfo(db.timezone)
    started = time.monotonic()

    def make_wave(tx: Tx, wave_no: int, code: str, name: str, starts_on: date, ends_on: date,
                  status: str) -> int:
        wave_id = tx.execute("surveys/wave_insert", {
            "code": code, "name": name, "purpose": PURPOSE, "target": "全体业主/住户", "questionnaire_id": 1,
            "level": "group", "owner_branch_id": None, "owner_project_id": None, "starts_on": starts_on,
            "ends_on": ends_on, "staff": "各项目客服中心负责发放和回收，品质部统计分析", "created_by": "hq"})[0][0]
        tx.execute("surveys/demo_wave_settle", {
            "id": wave_id, "status": status, "created_at": _at(starts_on - timedelta(days=20), zone),
            "approved_by": "总经理 赵建国", "approved_at": _at(starts_on - timedelta(days=14), zone),
            "closed_by": "hq" if status == "closed" else None,
            "closed_at": _at(ends_on + timedelta(days=10), zone) if status == "closed" else None})
        tx.execute("surveys/demo_wave_projects", {"wave_id": wave_id, "share": share})
        tx.execute("surveys/demo_responses", {
            "wave_id": wave_id, "seed": seed, "starts_on": starts_on,
            "days": (min(ends_on, today) - starts_on).days + 1,
            "self_share": 0.0 if wave_no < 2 else 0.12})
        tx.execute("surveys/demo_answers", {"wave_id": wave_id, "wave_no": wave_no, "seed": seed})
        tx.execute("surveys/counts_rebuild_wave", {"wave_id": wave_id})
        tx.execute("surveys/demo_scores", {"wave_id": wave_id})
        tx.execute("surveys/demo_revisits", {"wave_id": wave_id, "threshold": threshold,
                                            "today": _at(today, zone, 0), "seed": seed})
        if status == "closed":
            tx.execute("surveys/demo_actions", {"wave_id": wave_id, "done": wave_no < 2, "seed": seed,
                                               "min_unsatisfied": 2})
        return wave_id

    wave_ids = []
    for n, (code, name, starts_on, ends_on, status) in enumerate(WAVES):
        # one transaction per wave keeps each one's undo log bounded at the large size
        wave_ids.append(db.transaction(
            lambda tx, n=n, code=code, name=name, s=starts_on, e=ends_on, st=status:
            make_wave(tx, n, code, name, s, e, st)))

    p1 = db.one("org/project_by_code", {"code": "P001"})
    tokens = 0
    if p1 is not None:
        tokens = db.transaction(lambda tx: links.add_tokens(
            tx, "demo", tx.one("surveys/wave", {"id": wave_ids[-1]}), p1["id"]))

        households = next((int(r["households"]) for r in db.rows(
            "surveys/projects_for_plan", {"scope_kind": "project", "scope_id": p1["id"]})), 40)

        def draft(tx: Tx) -> None:
            # a project wave drawn up by the supervisor, waiting for the project manager's approval
            wave_id = tx.execute("surveys/wave_insert", {
                "code": "DC-2026-03", "name": "电梯更新后专项满意度调查", "purpose": "了解电梯更新后高层住户的评价",
                "target": "高层住户", "questionnaire_id": 1, "level": "project", "owner_branch_id": None,
                "owner_project_id": p1["id"], "starts_on": date(2026, 11, 10), "ends_on": date(2026, 11, 30),
                "staff": "客服主任 陈静", "created_by": "supervisor1"})[0][0]
            tx.execute("surveys/wave_project_insert", {"wave_id": wave_id, "project_id": p1["id"],
                                                      "branch_id": p1["branch_id"],
                                                      "forms_issued": max(1, min(40, households))})

        db.transaction(draft)
    counts = db.one("surveys/demo_counts")
    return counts | {"survey_tokens": tokens, "survey_seconds": round(time.monotonic() - started, 1)}
