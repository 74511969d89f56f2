"""Who is acting: one Actor (user, role, scope, language, company clock) for every command and read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from csm.org.scope import Scope

DEFAULT_TZ = "Asia/Shanghai"  # the default of the `timezone` setting (migration 001)


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    role: str
    scope: Scope
    lang: str = "zh"
    tz: str = DEFAULT_TZ
    display_name: str = ""
    clock: datetime | None = field(default=None, compare=False)  # a fixed "now" (tests, reports)

    @classmethod
    def of(cls, user: dict, tz: str = DEFAULT_TZ, lang: str | None = None,
           clock: datetime | None = None) -> Actor:
        """From a users row (as csm.org.users.get returns it) and the company's time zone."""
        return cls(user_id=user.get("id"), username=user["username"], role=user["role"],
                   scope=Scope.of(user), lang=lang or user.get("lang") or "zh", tz=tz,
                   display_name=user.get("display_name") or user["username"], clock=clock)

    @classmethod
    def system(cls, tz: str = DEFAULT_TZ, clock: datetime | None = None) -> Actor:
        """The scheduler (escalation, digest): group scope, no user."""
        return cls(None, "system", "system", Scope("group"), tz=tz, clock=clock)

    def now(self) -> datetime:
        return self.clock or datetime.now(UTC)

    def today(self) -> date:
        """Today in the company's time zone, never the server's."""
        return self.now().astimezone(ZoneInfo(self.tz)).date()

    def params(self) -> dict:
        """The scope parameters bound into scoped SQL ($scope_kind, $scope_id)."""
        return self.scope.params()
