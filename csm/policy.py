"""Who may run which read or command: one table, checked inside the domain (not only the menu).

A read or command calls `ensure(actor, name)` first; a page that forgets its own guard still
cannot reach data outside the actor's rights. Scope narrowing (`narrow`) keeps a request for
a branch or project inside the actor's own scope.
"""

from __future__ import annotations

import functools

from csm.actor import Actor
from csm.errors import PermissionDenied
from csm.org.scope import Scope
from csm.status import ACTION_ROLES

ROLES = ("clerk", "supervisor", "manager", "head_office", "admin")
MANAGERS = ("supervisor", "manager", "head_office")
STAFF = ("clerk", "supervisor", "manager", "head_office")
EVERYONE = ROLES
ADMIN = ("admin",)
IMPORTERS = ("supervisor", "admin")  # the import screen (issue 11)

# name -> roles allowed. Names are "<capability>.<read or command>", one line each; every public
# function of csm/<capability>/commands.py and reads.py is decorated with @guarded(name) (a test
# checks it) and tests/test_policy_<capability>.py calls each name with every role.
POLICY: dict[str, tuple[str, ...]] = {
    # ---- dashboards ---------------------------------------------------------------------------
    "dashboards.kpis": MANAGERS,
    "dashboards.comparison": ("manager", "head_office"),
    "dashboards.report": MANAGERS,
    # ---- complaints ---------------------------------------------------------------------------
    # commands: the status machine's action -> roles (csm/status.py ACTION_ROLES); filing as the
    # intake page (clerks and supervisors); escalation as the desk that ran it on load (staff)
    "complaints.file_complaint": ("clerk", "supervisor"),
    "complaints.judge": ACTION_ROLES["judge"],
    "complaints.dispatch": ACTION_ROLES["dispatch"],
    "complaints.add_handling": ACTION_ROLES["handle"],
    "complaints.add_progress": ACTION_ROLES["progress"],
    "complaints.suspend": ACTION_ROLES["suspend"],
    "complaints.resume": ACTION_ROLES["resume"],
    "complaints.resolve": ACTION_ROLES["resolve"],
    "complaints.close": ACTION_ROLES["close"],
    "complaints.reopen": ACTION_ROLES["reopen"],
    "complaints.escalate_overdue": STAFF,
    "complaints.mark_read": STAFF,
    # reads: the desk (staff), the intake form (clerks and supervisors), home (everyone)
    "complaints.desk_choices": STAFF,
    "complaints.worklist": STAFF,
    "complaints.worklist_export": STAFF,
    "complaints.status_counts": STAFF,
    "complaints.find_by_code": STAFF,
    "complaints.complaint": STAFF,
    "complaints.attachments": STAFF,
    "complaints.timeline": STAFF,
    "complaints.intake_choices": ("clerk", "supervisor"),
    "complaints.units_of_project": ("clerk", "supervisor"),
    "complaints.duplicates": ("clerk", "supervisor"),
    "complaints.recent": ("clerk", "supervisor"),
    "complaints.inbox": EVERYONE,
    "complaints.home_counts": EVERYONE,

    # ---- revisits -----------------------------------------------------------------------------
    # the revisit queue (navigation: clerk, supervisor, manager)
    "revisits.queue": ("clerk", "supervisor", "manager"),
    "revisits.task": ("clerk", "supervisor", "manager"),
    "revisits.indicators": ("clerk", "supervisor", "manager"),
    "revisits.assign": ("clerk", "supervisor", "manager"),
    "revisits.record_revisit": ("clerk", "supervisor", "manager"),
    # repairs and paid services (navigation: clerk, supervisor)
    "revisits.service_form": ("clerk", "supervisor"),
    "revisits.record_service": ("clerk", "supervisor"),
    "revisits.import_service_records": ("clerk", "supervisor"),
    # a move-in on the residents page (its form is shown to clerk and supervisor only)
    "revisits.record_move_in": ("clerk", "supervisor"),

    # ---- surveys ------------------------------------------------------------------------------
    # reads (csm/surveys/reads.py); roles as the survey pages of csm/navigation.py allow them
    "surveys.waves": STAFF,
    "surveys.plan": MANAGERS,
    "surveys.questionnaires": ("supervisor", "manager", "head_office", "admin"),
    "surveys.items": EVERYONE,
    "surveys.weights": ("head_office", "admin"),
    "surveys.satisfaction": STAFF,
    "surveys.entry": ("clerk", "supervisor", "manager"),
    "surveys.analysis": MANAGERS,
    "surveys.links": MANAGERS,
    "surveys.actions": MANAGERS,
    # commands (csm/surveys/commands.py); who approves or closes which wave: csm/surveys/rules.py.
    # The resident's answer by link has no user and no line here (csm/surveys/self_service.py).
    "surveys.new_questionnaire_version": ("head_office", "admin"),
    "surveys.set_weights": ("head_office", "admin"),
    "surveys.create_wave": MANAGERS,
    "surveys.approve_wave": ("manager", "head_office"),
    "surveys.close_wave": MANAGERS,
    "surveys.set_forms_issued": MANAGERS,
    "surveys.enter_forms": ("clerk", "supervisor", "manager"),
    "surveys.import_forms": ("clerk", "supervisor", "manager"),
    "surveys.create_tokens": MANAGERS,
    "surveys.create_action": MANAGERS,
    "surveys.update_action": MANAGERS,

    # ---- org (projects, units, residents, users, scope) ---------------------------------------
    "org.projects": EVERYONE,  # pickers: the projects in the actor's own scope
    "org.project": EVERYONE,
    "org.residents": STAFF,  # the residents screen (navigation: STAFF)
    "org.resident": STAFF,
    "org.units": STAFF,
    "org.set_language": EVERYONE,  # my account: only the actor's own user
    "org.change_password": EVERYONE,

    # ---- import ---- (issue 11, helper "import": the service-records list, pages/service_records.py)
    "revisits.service_list": STAFF,

    # ---- import ---- (csm/importing: the import screen and `python -m csm import`) --------------
    # administrators and supervisors (pages/imports.py); a supervisor's rows are judged by the
    # target within the supervisor's project; only an administrator undoes an import
    "imports.inspect": IMPORTERS,
    "imports.values": IMPORTERS,
    "imports.dry_run": IMPORTERS,
    "imports.mappings": IMPORTERS,
    "imports.log": IMPORTERS,
    "imports.apply": IMPORTERS,
    "imports.save_mapping": IMPORTERS,
    "imports.undo": ADMIN,

    # ---- admin --------------------------------------------------------------------------------
    # The organisation grids: administrators edit, head office reads (navigation: admin_org).
    "admin.branches": ("admin", "head_office"),
    "admin.projects": ("admin", "head_office"),
    "admin.buildings": ("admin", "head_office"),
    "admin.units": ("admin", "head_office"),
    "admin.save_branches": ADMIN,
    "admin.save_projects": ADMIN,
    "admin.save_buildings": ADMIN,
    "admin.save_units": ADMIN,
    # Reference data, settings, users, audit: administrators only.
    "admin.departments": ADMIN,
    "admin.categories": ADMIN,
    "admin.channels": ADMIN,
    "admin.sla_settings": ADMIN,
    "admin.calendars": ADMIN,
    "admin.calendar_overrides": ADMIN,
    "admin.holiday_years": ADMIN,
    "admin.settings": ADMIN,
    "admin.save_departments": ADMIN,
    "admin.save_categories": ADMIN,
    "admin.save_channels": ADMIN,
    "admin.save_sla_settings": ADMIN,
    "admin.save_calendars": ADMIN,
    "admin.save_calendar_overrides": ADMIN,
    "admin.import_holidays": ADMIN,
    "admin.save_settings": ADMIN,
    "admin.users": ADMIN,
    "admin.user": ADMIN,
    "admin.create_user": ADMIN,
    "admin.update_user": ADMIN,
    "admin.reset_password": ADMIN,
    "admin.unlock_user": ADMIN,
    "admin.audit_choices": ADMIN,
    "admin.audit_search": ADMIN,

    # ---- end ----------------------------------------------------------------------------------
}


def allows(actor: Actor, name: str) -> bool:
    roles = POLICY.get(name)
    if roles is None:
        raise KeyError(f"no policy for {name}")  # a developer's mistake, caught by the tests
    return actor.role in roles


def ensure(actor: Actor, name: str) -> None:
    if not allows(actor, name):
        raise PermissionDenied()


def guarded(name: str):
    """`@guarded("complaints.worklist")` on `fn(db, actor, ...)`: the role is checked before the
    body runs, and the name is kept on the function (`fn.__policy__`) for the tests."""
    if name not in POLICY:
        raise KeyError(f"no policy for {name}")

    def wrap(fn):
        @functools.wraps(fn)
        def checked(db, actor: Actor, *args, **kwargs):
            ensure(actor, name)
            return fn(db, actor, *args, **kwargs)

        checked.__policy__ = name
        return checked

    return wrap


def require_project(db, actor: Actor, project_id: int | None) -> None:
    """Refuse (PermissionDenied) a project outside the actor's scope."""
    if project_id is None:
        return
    if not db.value("core/project_in_scope", {"project_id": int(project_id), **actor.params()}):
        raise PermissionDenied()


def narrow(db, actor: Actor, scope: Scope | None) -> Scope:
    """The scope a read works on: the one asked for if it lies inside the actor's, else refused."""
    own = actor.scope
    if scope is None or scope == own:
        return own
    if own.kind == "group":
        return scope
    if scope.kind == "group":
        raise PermissionDenied()
    if own.kind == "branch":
        if scope.kind == "branch" and scope.id == own.id:
            return scope
        if scope.kind == "project" and db.value("dashboards/project_branch_of", {"id": scope.id}) == own.id:
            return scope
        raise PermissionDenied()
    raise PermissionDenied()  # a project scope narrows to nothing but itself
