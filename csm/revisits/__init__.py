"""Revisits (回访): tasks that fall due after events, the record of each attempt, indicators, and
the repairs / paid services (service records) whose revisits they are.

Public face: `csm.revisits.commands` (writes) and `csm.revisits.reads` (what screens show), each
`fn(db, actor, ...)` guarded by csm.policy. Internal: `rules` (values and validation), `tasks`
(tx-level functions csm/flows.py calls inside another capability's transaction), `importer`
(reading a repair-system export). Revisits import no other capability: an unsatisfied revisit
emits revisit.unsatisfied and csm/flows.py reopens or files the complaint.
"""

from csm.revisits import commands, reads  # noqa: F401 - the public face, as csm.revisits.commands / .reads
from csm.revisits.importer import (  # noqa: F401 - undo of a survey-forms import, a corrected form
    drop_survey_follow_ups,
    survey_follow_ups,
    withdraw_survey_follow_ups,
)
from csm.revisits.rules import (  # noqa: F401 - the package's vocabulary
    FAIL_REASONS,
    KINDS,
    METHODS,
    RELATIONS,
    SATISFACTION,
    SERVICE_TYPES,
    Attempt,
    ServiceRecord,
)
from csm.revisits.tasks import (  # noqa: F401
    create_for_complaint,
    create_task,
    create_tasks,
    due_at,
    responsible_manager,
)
