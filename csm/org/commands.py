"""The actor's own account (pages/account.py): interface language and password. Both act on the
actor's own user only (no username is taken from the screen)."""

from __future__ import annotations

from csm import policy
from csm.actor import Actor
from csm.db import Database
from csm.org import users


@policy.guarded("org.set_language")
def set_language(db: Database, actor: Actor, lang: str) -> None:
    """Keep the interface language for the next login."""
    users.set_lang(db, actor.username, lang)


@policy.guarded("org.change_password")
def change_password(db: Database, actor: Actor, old: str, new: str, confirm: str) -> None:
    """The actor changes its own password (the current one is checked; audited)."""
    users.change_password(db, actor.username, old, new, confirm)
