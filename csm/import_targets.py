"""The import targets, one place (issue 11): what a file can be imported into.

Above the capabilities, like csm/flows.py: this module may import any capability's target; the
mechanism (csm/importing) imports none of them — the page and `python -m csm import` look a
target up here and hand it to csm.importing.reads / commands. Each target implements the
contract of csm/importing/target.py (fields, natural key, choices, plan, apply, undo)."""

from __future__ import annotations

from csm.complaints import importer as complaint_importer
from csm.errors import UserError
from csm.importing.target import Target
from csm.org.households import TARGET as HOUSEHOLDS
from csm.revisits import importer as revisit_importer
from csm.surveys.import_target import TARGET as SURVEY_FORMS

# name -> target, in the order the import screen offers them
TARGETS: dict[str, Target] = {
    "households": HOUSEHOLDS,
    complaint_importer.TARGET.name: complaint_importer.TARGET,
    revisit_importer.REVISITS_TARGET.name: revisit_importer.REVISITS_TARGET,
    revisit_importer.SERVICE_RECORDS_TARGET.name: revisit_importer.SERVICE_RECORDS_TARGET,
    SURVEY_FORMS.name: SURVEY_FORMS,
}


def get(name: str) -> Target:
    try:
        return TARGETS[name]
    except KeyError:
        raise UserError("imports.error.no_target", name=name, known=", ".join(TARGETS)) from None


def names() -> list[str]:
    return list(TARGETS)
