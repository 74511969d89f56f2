"""Which screens exist, in which menu section, and which roles may open each."""

from __future__ import annotations

from dataclasses import dataclass

ALL_ROLES = ("clerk", "supervisor", "manager", "head_office", "admin")
STAFF = ("clerk", "supervisor", "manager", "head_office")


@dataclass(frozen=True)
class PageSpec:
    id: str             # also the URL path
    path: str           # script under pages/
    title_key: str
    icon: str
    section: str        # catalog key of the menu section
    roles: tuple[str, ...]
    default: bool = False


PAGES: list[PageSpec] = [
    PageSpec("home", "pages/home.py", "page.home", ":material/home:", "nav.work", ALL_ROLES,
             default=True),
    PageSpec("dashboard", "pages/dashboard.py", "page.dashboard", ":material/monitoring:", "nav.work",
             ("supervisor", "manager", "head_office")),
    PageSpec("comparison", "pages/comparison.py", "page.comparison", ":material/leaderboard:", "nav.work",
             ("manager", "head_office")),
    PageSpec("reports", "pages/reports.py", "page.reports", ":material/summarize:", "nav.work",
             ("supervisor", "manager", "head_office")),
    PageSpec("residents", "pages/residents.py", "page.residents", ":material/groups:",
             "nav.work", STAFF),
    PageSpec("intake", "pages/intake.py", "page.intake", ":material/add_call:", "nav.complaints",
             ("clerk", "supervisor")),
    PageSpec("complaints", "pages/complaints.py", "page.complaints", ":material/assignment:",
             "nav.complaints", STAFF),
    PageSpec("revisits", "pages/revisits.py", "page.revisits", ":material/phone_callback:",
             "nav.complaints", ("clerk", "supervisor", "manager")),
    PageSpec("service_records", "pages/service_records.py", "page.service_records", ":material/build:",
             "nav.complaints", STAFF),  # managers and head office: the list only
    PageSpec("survey_entry", "pages/survey_entry.py", "page.survey_entry", ":material/edit_note:",
             "nav.surveys", ("clerk", "supervisor", "manager")),
    PageSpec("survey_waves", "pages/survey_waves.py", "page.survey_waves", ":material/event_note:",
             "nav.surveys", ("supervisor", "manager", "head_office")),
    PageSpec("survey_analysis", "pages/survey_analysis.py", "page.survey_analysis", ":material/insights:",
             "nav.surveys", ("supervisor", "manager", "head_office")),
    PageSpec("survey_questionnaires", "pages/survey_questionnaires.py", "page.survey_questionnaires",
             ":material/quiz:", "nav.surveys", ("head_office", "admin")),
    PageSpec("survey_actions", "pages/survey_actions.py", "page.survey_actions", ":material/task_alt:",
             "nav.surveys", ("supervisor", "manager", "head_office")),
    PageSpec("imports", "pages/imports.py", "page.imports", ":material/upload_file:", "nav.admin",
             ("supervisor", "admin")),
    PageSpec("admin_org", "pages/admin_org.py", "page.admin_org", ":material/account_tree:", "nav.admin",
             ("admin", "head_office")),
    PageSpec("admin_reference", "pages/admin_reference.py", "page.admin_reference", ":material/tune:",
             "nav.admin", ("admin",)),
    PageSpec("admin_users", "pages/admin_users.py", "page.admin_users", ":material/manage_accounts:",
             "nav.admin", ("admin",)),
    PageSpec("admin_audit", "pages/admin_audit.py", "page.admin_audit", ":material/history:",
             "nav.admin", ("admin",)),
    PageSpec("account", "pages/account.py", "page.account", ":material/person:", "nav.account",
             ALL_ROLES),
]

BY_ID = {p.id: p for p in PAGES}


def allowed(role: str | None, page_id: str) -> bool:
    spec = BY_ID.get(page_id)
    return spec is not None and role in spec.roles


def pages_for(role: str) -> list[PageSpec]:
    return [p for p in PAGES if role in p.roles]
