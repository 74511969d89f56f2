"""What the two write handles share: csm.db.Tx (the DuckDB file) and csm.storage.pg.NativeTx
(a native PostgreSQL connection) answer `one` and `value` the same way, on top of their own
`rows`. A module of its own so that both import it without a cycle (csm/db.py imports
csm.storage.pg at its top)."""

from __future__ import annotations

from typing import Any


class TxReads:
    """one/value for a write handle whose rows(name, params) gives a list of dicts."""

    def rows(self, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        raise NotImplementedError

    def one(self, name: str, params: dict[str, Any] | None = None) -> dict[str, Any] | None:
        rows = self.rows(name, params)
        return rows[0] if rows else None

    def value(self, name: str, params: dict[str, Any] | None = None) -> Any:
        row = self.one(name, params)
        return None if row is None else next(iter(row.values()))
