"""The audit trail: every login, failed login and data change (who, when, what, before, after)."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from csm.db import Database, Tx


def _jsonable(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


def to_json(data: Any) -> str | None:
    if data is None:
        return None
    return json.dumps(data, ensure_ascii=False, default=_jsonable, sort_keys=True)


def record(
    tx: Tx,
    actor: str | None,
    action: str,
    entity: str | None = None,
    entity_id: Any = None,
    before: Any = None,
    after: Any = None,
) -> None:
    tx.execute(
        "core/audit_insert",
        {
            "actor": actor,
            "action": action,
            "entity": entity,
            "entity_id": None if entity_id is None else str(entity_id),
            "before": to_json(before),
            "after": to_json(after),
        },
    )


def record_now(db: Database, actor: str | None, action: str, **kw: Any) -> None:
    db.transaction(lambda tx: record(tx, actor, action, **kw))
