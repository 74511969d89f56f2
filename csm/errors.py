"""Errors a user can be shown: each carries a catalog key and its parameters."""

from __future__ import annotations


class UserError(Exception):
    """An error whose message comes from the i18n catalog, shown to the user as is."""

    def __init__(self, key: str, field: str | None = None, **params):
        super().__init__(key)
        self.key = key
        self.field = field
        self.params = params

    def message(self) -> str:
        from csm.i18n import t

        text = t(self.key, **self.params)
        if self.field:
            return f"{t('field.' + self.field)}: {text}"
        return text


class ValidationFailed(UserError):
    """Several problems at once, e.g. the rows of a grid or an import."""

    def __init__(self, problems: list[UserError]):
        super().__init__("error.validation_failed", count=len(problems))
        self.problems = problems

    def messages(self) -> list[str]:
        return [p.message() for p in self.problems]


class ConflictError(UserError):
    """Somebody else changed the same record first."""

    def __init__(self):
        super().__init__("error.conflict")


class PermissionDenied(UserError):
    def __init__(self):
        super().__init__("error.permission_denied")
