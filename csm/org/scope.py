"""A user's scope (group, one branch, or one project) and the SQL parameters that enforce it."""

from __future__ import annotations

from dataclasses import dataclass

from csm.db import Database

KINDS = ("group", "branch", "project")


@dataclass(frozen=True)
class Scope:
    kind: str
    id: int | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown scope kind {self.kind!r}")
        if self.kind != "group" and self.id is None:
            raise ValueError("branch and project scopes need an id")

    def params(self) -> dict:
        """Bound into every scoped query as $scope_kind / $scope_id (see the in_scope macro)."""
        return {"scope_kind": self.kind, "scope_id": self.id if self.id is not None else -1}

    @classmethod
    def of(cls, user: dict) -> Scope:
        return cls(user["scope_kind"], user.get("scope_id"))


GROUP = Scope("group")


def describe(db: Database, scope: Scope) -> str:
    from csm.i18n import t

    if scope.kind == "group":
        return t("scope.group")
    name = db.value("org/scope_name", scope.params()) or "?"
    return t("scope.describe", kind=t(f"scope.{scope.kind}"), name=name)
