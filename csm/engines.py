"""DuckDB extensions offline: the postgres and ducklake extensions come as PyPI packages
(duckdb-extension-postgres / duckdb-extension-ducklake, pinned beside duckdb). DuckDB loads an
extension by name from <extension_directory>/v<version>/<platform>/<name>.duckdb_extension; the
packages ship the files under another name and folder, so this copies them once into a
directory of our own (no download: the machines have no internet). Used by csm/db.py when
CSM_DB_URL names PostgreSQL, and by tools/spike_storage/."""

from __future__ import annotations

import importlib.util
import os
import platform
import shutil
from pathlib import Path

# the name DuckDB loads it by → (the PyPI package's module, the file it ships)
EXTENSIONS = {
    "postgres_scanner": ("duckdb_extension_postgres", "postgres.duckdb_extension"),
    "ducklake": ("duckdb_extension_ducklake", "ducklake.duckdb_extension"),
}


def duckdb_version() -> str:
    from importlib.metadata import version  # the installed duckdb's, without importing it here

    return "v" + version("duckdb")


def duckdb_platform() -> str:
    machine = platform.machine().lower()
    arch = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(machine, machine)
    system = {"Linux": "linux", "Darwin": "osx", "Windows": "windows"}.get(platform.system(), platform.system())
    return f"{system}_{arch}"


def extension_dir() -> Path:
    """CSM_DUCKDB_EXTENSIONS, else ~/.cache/csm/duckdb_extensions."""
    default = Path.home() / ".cache" / "csm" / "duckdb_extensions"
    return Path(os.environ.get("CSM_DUCKDB_EXTENSIONS", default))


def installed_file(name: str) -> Path:
    """The extension file inside its PyPI package; a clear error naming the package if absent."""
    module, filename = EXTENSIONS[name]
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"DuckDB extension {name}: install the PyPI package "
                           f"{module.replace('_', '-')} (pinned in requirements.txt)")
    root = Path(next(iter(spec.submodule_search_locations)))
    found = sorted(root.rglob(filename))
    want = duckdb_version()
    for path in found:
        if want in path.parts:
            return path
    if found:
        raise RuntimeError(f"DuckDB extension {name}: {found[0]} is not built for duckdb {want}")
    raise RuntimeError(f"DuckDB extension {name}: no {filename} inside {root}")


def prepare(name: str, directory: Path | None = None) -> Path:
    """Copies the extension where DuckDB looks for it (once; again if the package changed) and
    returns the extension directory to `SET extension_directory` to."""
    directory = directory or extension_dir()
    source = installed_file(name)
    target = directory / duckdb_version() / duckdb_platform() / f"{name}.duckdb_extension"
    if not target.exists() or target.stat().st_size != source.stat().st_size:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".tmp{os.getpid()}")
        shutil.copyfile(source, tmp)
        tmp.replace(target)  # atomic: a second process never loads half a file
    return directory


def load_sql(*names: str) -> list[str]:
    """The statements that make a fresh connection load the named extensions offline."""
    directory = None
    for name in names:
        directory = prepare(name)
    sql = [f"SET extension_directory = '{str(directory).replace(chr(39), chr(39) * 2)}'",
           "SET autoinstall_known_extensions = false", "SET autoload_known_extensions = false"]
    return sql + [f"LOAD {name}" for name in names]
