"""The shape of the code (issue 9), checked on the source: which layer may import what, one company
clock, one owner of the database engine, pages that do not query, capabilities that do not import
each other. Imports are read with `ast`, so an import inside a function counts too.

Each test has a PENDING allow-list: the offenders that existed when the test was written, in
files other helpers were restructuring at the same time (counts per file and kind, so a new
offender in a listed file still fails). The lead empties every PENDING after merging their work;
an entry that is no longer found does not fail (the list only shrinks).
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# ---- reading the source ----------------------------------------------------------------------
def files(*patterns: str) -> list[Path]:
    found: set[Path] = set()
    for pattern in patterns:
        found.update(p for p in ROOT.glob(pattern) if p.is_file() and ".venv" not in p.parts)
    return sorted(found)


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imported(path: Path) -> Iterator[tuple[str, int]]:
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    return imports_in(tree(path), package)


def imports_in(module: ast.Module, package: list[str]) -> Iterator[tuple[str, int]]:
    """(absolute module, line) of every import, at any depth (inside functions too); `from a import
    b` gives a and a.b (b may be a module), relative imports resolved against `package`."""
    for node in ast.walk(module):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            yield base, node.lineno
            for alias in node.names:
                if alias.name != "*":
                    yield f"{base}.{alias.name}", node.lineno
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)
              and (getattr(node.func, "attr", None) == "import_module" or getattr(node.func, "id", None)
                   in ("import_module", "__import__"))):
            yield node.args[0].value, node.lineno


def is_module(name: str, top: str) -> bool:
    return name == top or name.startswith(top + ".")


def check(found: list[tuple[str, str, int]], pending: dict[tuple[str, str], int], rule: str) -> None:
    """found: (file, what, line). Fails on every (file, what) seen more often than PENDING allows."""
    counts = Counter((f, what) for f, what, _ in found)
    over = {key for key, n in counts.items() if n > pending.get(key, 0)}
    if over:
        lines = [f"  {f}:{line}: {what}" for f, what, line in sorted(found, key=lambda x: (x[0], x[2]))
                 if (f, what) in over]
        allowed = "".join(f"\n  ({f!r}, {what!r}) allowed {pending[(f, what)]}, found {counts[(f, what)]}"
                          for f, what in sorted(over) if (f, what) in pending)
        raise AssertionError(f"{rule}:\n" + "\n".join(lines) + allowed)


def test_the_import_reader_sees_imports_anywhere():
    source = ("import streamlit as st\n"
              "def f():\n    from streamlit.testing.v1 import AppTest\n    from .. import revisits\n"
              "    from .reads import worklist\n    importlib.import_module('duckdb')\n")
    found = set(imports_in(ast.parse(source), ["csm", "complaints"]))
    assert found >= {("streamlit", 1), ("streamlit.testing.v1", 3), ("csm.revisits", 4),
                     ("csm.complaints.reads", 5), ("duckdb", 6)}
    assert capability_of("csm.revisits") == "revisits" and capability_of("csm/complaints/reads.py") == "complaints"
    assert capability_of("csm.audit") is None and capability_of("csm.org.scope") == "org" and capability_of("csm/flows.py") is None


# ---- a) Streamlit only in app.py, pages/, csm/web/ui.py and csm/web/ ----------------------------------
# Today's offenders in others' files (the lead empties this after merging):
PENDING_STREAMLIT = {}  # emptied after the restructure merged (issue 9)


def test_the_domain_imports_no_streamlit():
    found = []
    for path in files("csm/**/*.py"):
        name = rel(path)
        if name == "csm/web/ui.py" or name.startswith("csm/web/"):
            continue
        lines = {line for mod, line in imported(path) if is_module(mod, "streamlit")}
        found += [(name, "streamlit", line) for line in sorted(lines)]
    check(found, PENDING_STREAMLIT, "a module of csm/ imports streamlit (only csm/web/ui.py and csm/web/ may: "
                                    "the domain must run without a browser session)")


# ---- b) one company clock -----------------------------------------------------------------------
ZONE = "Asia/Shanghai"
# Today's offenders in others' files (the lead empties this after merging):
PENDING_CLOCK = {}  # emptied after the restructure merged (issue 9)


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return "?"


def clock_offences(path: Path) -> Iterator[tuple[str, int]]:
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and ZONE in node.value:
            yield ZONE, node.lineno
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner, attr = _dotted(node.func.value), node.func.attr
            day_or_time = owner.split(".")[-1] in ("date", "datetime", "Timestamp")
            if day_or_time and attr == "today":
                yield f"{owner.split('.')[-1]}.today()", node.lineno   # the server's zone
            elif day_or_time and attr == "utcnow":
                yield "datetime.utcnow()", node.lineno                 # naive
            elif day_or_time and attr == "now":
                tz = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "tz"), None)
                if tz is None or (isinstance(tz, ast.Constant) and tz.value is None):
                    yield f"{owner.split('.')[-1]}.now()", node.lineno  # naive: the server's zone


def test_one_company_clock():
    """No zone literal (the default is csm.actor.DEFAULT_TZ, the company's is the `timezone`
    setting: db.timezone, actor.tz) and no today/now in the server's zone: actor.now(),
    actor.today(), dates.today(db.timezone), datetime.now(UTC)."""
    found = []
    for path in files("csm/**/*.py", "pages/*.py", "app.py", "tools/**/*.py"):
        if rel(path) == "csm/actor.py":
            continue
        found += [(rel(path), what, line) for what, line in clock_offences(path)]
    check(found, PENDING_CLOCK, f"the clock is not the company's ({ZONE!r} written out, or today/now in "
                                "the server's zone): use csm.actor.DEFAULT_TZ, db.timezone, actor.now(), "
                                "actor.today(), dates.today(tz) or datetime.now(UTC)")


def test_the_clock_check_sees_what_it_should(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from datetime import UTC, date, datetime\nimport datetime as dt\n"
                      "a = date.today()\nb = datetime.now()\nc = dt.datetime.now(tz=None)\nd = datetime.utcnow()\n"
                      "e = datetime.now(UTC)\nf = datetime.now(tz=UTC)\ng = 'Asia/Shanghai'\n"
                      "h = f'zone {x} Asia/Shanghai'\ni = dt.date.today()\n", encoding="utf-8")
    assert [w for w, _ in sorted(clock_offences(sample), key=lambda x: x[1])] == [
        "date.today()", "datetime.now()", "datetime.now()", "datetime.utcnow()", ZONE, ZONE, "date.today()"]


# ---- c) one owner of the engine -------------------------------------------------------------------
# Today's offenders in others' files (the lead empties this after merging):
PENDING_ENGINE = {}  # emptied after the restructure merged (issue 9)
# ---- pg ---- the storage module: csm/db.py and the engine adapters behind its hook (issue 14,
# docs/storage.md); the storage spike measures the engines themselves (not the product), and the
# benchmark's loader copies a DuckDB file into PostgreSQL, engine to engine (slice 8)
STORAGE = ("csm/db.py", "csm/storage/", "tools/spike_storage/", "tools/bench_pg_load.py")


def test_only_the_storage_module_knows_the_engine():
    """csm/db.py is the one place that imports DuckDB (a later issue runs the app on PostgreSQL)."""
    found = []
    for path in files("csm/**/*.py", "pages/*.py", "app.py", "tools/**/*.py"):
        if rel(path).startswith(STORAGE):
            continue
        lines = {line for mod, line in imported(path) if is_module(mod, "duckdb")}
        found += [(rel(path), "duckdb", line) for line in sorted(lines)]
    check(found, PENDING_ENGINE, "duckdb imported outside csm/db.py (ask the storage module: "
                                 "db.Database, db.is_conflict, ...)")


RAW = {"_conn": "db._conn", "cur": "tx.cur", "cursor": "db.cursor()"}


def test_no_raw_connection_outside_the_storage_module():
    """Named queries, transactions and db.checkpoint() only: a raw cursor runs engine-specific SQL
    that no query file shows (tests may use one to look at the data)."""
    found = []
    for path in files("csm/**/*.py", "pages/*.py", "app.py", "tools/**/*.py"):
        if rel(path).startswith(STORAGE):
            continue
        found += [(rel(path), RAW[node.attr], node.lineno) for node in ast.walk(tree(path))
                  if isinstance(node, ast.Attribute) and node.attr in RAW]
    check(found, {}, "a raw DuckDB connection or cursor used outside csm/db.py")


# ---- d) pages do not call the database ------------------------------------------------------------
DB_CALLS = {"df", "rows", "one", "value", "execute", "tx", "transaction", "scalar"}
# Today's offenders in others' files (the lead empties this after merging): calls per page,
# 85 in all on 2026-12-01 (dashboard, comparison and reports had none already)
PENDING_PAGE_DB = {}  # emptied after the restructure merged (issue 9)


def page_db_calls(path: Path) -> Iterator[tuple[str, int]]:
    for node in ast.walk(tree(path)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if (isinstance(func, ast.Name) and func.id == "get_db") or \
                (isinstance(func, ast.Attribute) and func.attr == "get_db"):
            yield "get_db(", node.lineno
        elif isinstance(func, ast.Attribute) and func.attr in DB_CALLS and _dotted(func.value) == "db":
            yield f"db.{func.attr}(", node.lineno


def test_pages_do_not_call_the_database():
    """A page reads widgets, calls the domain's reads and commands (db, actor = ui.acting(user)) and
    renders; it never opens the database or runs a query itself."""
    found = []
    for path in files("pages/*.py", "app.py"):
        found += [(rel(path), what, line) for what, line in page_db_calls(path)]
    check(found, PENDING_PAGE_DB, "a page calls the database (ask a read or command of the domain)")


def test_the_page_check_matches_the_grep():
    """The ast check finds what `grep -E 'get_db\\(|\\bdb\\.(df|rows|...)\\('` finds in the pages."""
    pattern = re.compile(r"\bget_db\(|\bdb\.(" + "|".join(sorted(DB_CALLS)) + r")\(")
    for path in files("pages/*.py", "app.py"):
        text = [line.split("#", 1)[0] for line in path.read_text(encoding="utf-8").splitlines()]
        grep = sum(len(pattern.findall(line)) for line in text)
        assert sum(1 for _ in page_db_calls(path)) == grep, rel(path)


# ---- e) capability packages do not import each other -------------------------------------------
CAPABILITIES = ("complaints", "revisits", "surveys", "admin", "dashboards")
# org (projects, units, residents, users, scope) is the shared layer below the capabilities, like
# csm.org.scope, csm.org.users, csm.audit today: a capability may use it, it uses no capability.
BELOW = ("org",)
# Today's offenders in others' files (the lead empties this after merging):
PENDING_CAPABILITY = {}  # emptied after the restructure merged (issue 9)


def capability_of(path_or_module: str) -> str | None:
    """csm/complaints.py, csm/complaints/reads.py, csm.complaints.reads → complaints."""
    parts = path_or_module.removesuffix(".py").replace("/", ".").split(".")
    if len(parts) >= 2 and parts[0] == "csm" and parts[1] in CAPABILITIES + BELOW:
        return parts[1]
    return None


def test_capabilities_do_not_import_each_other():
    """complaints ↛ revisits ↛ surveys ↛ complaints ..., dashboards reads none of them either:
    cross-capability reactions live in csm/flows.py (events), the one place allowed to call two."""
    found = []
    for path in files("csm/**/*.py"):
        own = capability_of(rel(path))
        if own is None:
            continue
        seen = set()
        for mod, line in imported(path):
            other = capability_of(mod)
            if other is None or other == own or (other in BELOW and own not in BELOW):
                continue
            if (other, line) not in seen:
                seen.add((other, line))
                found.append((rel(path), f"imports csm.{other}", line))
    check(found, PENDING_CAPABILITY, "a capability imports another capability (react through "
                                     "csm.events / csm/flows.py, or move the shared lookup below)")
