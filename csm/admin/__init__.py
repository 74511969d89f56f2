"""Administration: the organisation and reference grids, company settings and user accounts.

Public face: csm.admin.commands (every save an admin screen runs) and csm.admin.reads (every
list it shows), each guarded by the policy table. csm.admin.grids holds the rules and the
transactional save of each grid (internal, also used by csm.admin.holidays); its names stay importable
as csm.admin.<name> for the callers that run inside the domain.
"""

from csm.admin.grids import (  # noqa: F401 - the package's internal helpers, re-exported
    ALL_BRANCHES,
    BRANCHES,
    BUILDINGS,
    CALENDARS,
    CATEGORIES,
    CHANNEL_ORIGINS,
    CHANNELS,
    CODE_MAX,
    DEPARTMENT_LEVELS,
    DEPARTMENTS,
    GRADES,
    OVERRIDE_KINDS,
    OVERRIDES,
    PROJECT_TYPES,
    PROJECTS,
    SETTING_KEYS,
    SLA,
    UNITS,
    URGENCIES,
    WEEKDAYS,
    Changes,
    Grid,
    RowError,
    clean,
    diff,
    load_grid,
    reference,
    save_grid,
    save_settings,
    settings,
    validate_grid,
    validate_settings,
)
