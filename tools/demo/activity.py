"""Demo activity: two years of complaints and revisits, generated set-based in DuckDB.

Deterministic for a seed and an anchor day (the day the demo is generated, so that the demo
always has complaints due today and overdue ones). Status, timestamps, due times and escalation
follow the same rules as the domain (csm.complaints, csm.sla) — the tests check a sample.
"""

from __future__ import annotations

from datetime import datetime

from csm.db import Database, Tx

VOLUME = {  # complaints, service records
    "tiny": (400, 200),
    "small": (20_000, 10_000),
    "large": (1_000_000, 300_000),
}


def generate_activity(db: Database, size: str, seed: int, anchor: datetime) -> dict:
    n_complaints, n_services = VOLUME[size]

    def work(tx: Tx) -> None:
        tx.execute("demo/complaints_gen", {"n": n_complaints, "seed": seed, "anchor": anchor})
        tx.execute("demo/complaints_insert", {"anchor": anchor})
        tx.execute("demo/complaints_counters")
        tx.execute("demo/complaints_history")
        tx.execute("demo/complaints_handling")
        tx.execute("demo/complaints_progress")
        tx.execute("demo/complaints_escalate_history", {"anchor": anchor})
        tx.execute("demo/complaints_escalate", {"anchor": anchor})
        tx.execute("demo/notifications", {"anchor": anchor})
        tx.execute("demo/reopen_some")
        tx.execute("demo/revisit_tasks_complaints", {"anchor": anchor})
        tx.execute("demo/service_records", {"n": n_services, "seed": seed, "anchor": anchor})
        tx.execute("demo/revisit_tasks_services", {"anchor": anchor})
        tx.execute("demo/revisit_tasks_move_in", {"anchor": anchor})
        tx.execute("demo/revisit_tasks_serious")
        tx.execute("demo/revisit_records")

    db.transaction(work, retries=0)
    return {"complaints": db.value("demo/count_complaints"), "revisit_tasks": db.value("demo/count_revisits")}
