"""Where things live: paths and settings read from the environment."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = ROOT / "queries"
MIGRATIONS_DIR = QUERIES_DIR / "migrations"
DATA_DIR = Path(os.environ.get("CSM_DATA_DIR", ROOT / "data"))


def db_path() -> str:
    """The DuckDB file; CSM_DB_PATH overrides the default data/csm.duckdb."""
    return os.environ.get("CSM_DB_PATH", str(DATA_DIR / "csm.duckdb"))


# ---- pg ---- the shared store of issue 14 (docs/storage.md)
def db_url() -> str | None:
    """CSM_DB_URL: the shared store, `postgresql://user:password@host:port/database`; unset (or
    empty) = the DuckDB file of db_path(), as for a single office and `make run`."""
    url = os.environ.get("CSM_DB_URL", "").strip()
    return url or None


def uploads_dir() -> Path:
    return Path(os.environ.get("CSM_UPLOADS_DIR", DATA_DIR / "uploads"))


def db_memory_limit() -> str:
    """DuckDB's buffer pool of the serving process (its default is 80 % of the machine's RAM: the
    server's memory would grow with every page's data read, far past the 1.5 GB target). Bigger
    work spills to `<db>.tmp`. `CSM_DB_MEMORY=0` keeps DuckDB's own default."""
    return os.environ.get("CSM_DB_MEMORY", "1GB").strip()


def strict_params() -> bool:
    """A named query refuses parameters its statement does not name; CSM_STRICT_PARAMS=0 turns
    that off (only to keep a site running while a bad call is fixed)."""
    return os.environ.get("CSM_STRICT_PARAMS", "1").strip().lower() not in ("0", "false", "no", "off")


# ---- limits on what users send (the reliability issue): refused early, with a clear message ----
MAX_TEXT_CHARS = 20_000          # a description, a comment, a note


def max_upload_mb() -> int:
    """One uploaded file (a photo, a ledger); .streamlit/config.toml maxUploadSize is the same."""
    return int(os.environ.get("CSM_MAX_UPLOAD_MB", "20"))


def max_import_rows() -> int:
    """Rows of one imported file; a bigger file is refused before it is parsed row by row."""
    return int(os.environ.get("CSM_MAX_IMPORT_ROWS", "150000"))


# ---- accounts: login sessions and production mode (csm/org/sessions.py, csm/org/users.py) ----
def session_idle_minutes() -> int:
    """A login session ends after this many minutes without a request (CSM_SESSION_IDLE_MIN)."""
    return max(1, int(os.environ.get("CSM_SESSION_IDLE_MIN", "30")))


def session_max_hours() -> int:
    """A login session ends this many hours after the login, used or not (CSM_SESSION_MAX_HOURS)."""
    return max(1, int(os.environ.get("CSM_SESSION_MAX_HOURS", "12")))


def cookie_secure() -> str:
    """The login cookie's Secure flag (CSM_COOKIE_SECURE): "1" always, "0" never, "auto" (default)
    when the browser reached the app over https (behind a TLS proxy: set 1)."""
    value = os.environ.get("CSM_COOKIE_SECURE", "auto").strip().lower()
    return {"true": "1", "yes": "1", "on": "1", "false": "0", "no": "0", "off": "0"}.get(value, value)


def production_env() -> bool:
    """CSM_PRODUCTION=1: production mode even without the setting `python -m csm init --production`
    writes (flagged or demo passwords must be changed at the first login)."""
    return os.environ.get("CSM_PRODUCTION", "0").strip().lower() in ("1", "true", "yes", "on")


# ---- ops: the serving process's background work and its control channel (docs/operations.md) ----
def control_dir(db: str | None = None) -> Path:
    """The folder through which a command asks the process serving `db` (backup, escalate,
    digest): beside the database file, one per file; CSM_CONTROL_DIR overrides it."""
    if os.environ.get("CSM_CONTROL_DIR"):
        return Path(os.environ["CSM_CONTROL_DIR"])
    path = Path(db or db_path()).resolve()
    return path.with_name(path.name + ".control")


def escalate_every() -> float:
    """Seconds between two escalation runs inside the serving process (CSM_ESCALATE_EVERY)."""
    return float(os.environ.get("CSM_ESCALATE_EVERY", "300"))
