"""The policy table is the one place that says who may run what (issue 9):
every public read and command of a capability package is guarded by a name in it, and every
name is called with each role by some tests/test_policy_<capability>.py."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import csm
from csm import policy

TESTS = Path(__file__).resolve().parent


def _face_modules():
    """csm/<capability>/commands.py and reads.py: the public face of each capability."""
    for info in pkgutil.iter_modules(csm.__path__):
        if not info.ispkg:
            continue
        for part in ("commands", "reads"):
            try:
                yield importlib.import_module(f"csm.{info.name}.{part}")
            except ModuleNotFoundError as exc:
                if exc.name != f"csm.{info.name}.{part}":
                    raise


def test_every_public_read_and_command_is_guarded():
    unguarded = []
    for module in _face_modules():
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or fn.__module__ != module.__name__:
                continue
            label = getattr(fn, "__policy__", None)
            if label not in policy.POLICY:
                unguarded.append(f"{module.__name__}.{name}")
    assert not unguarded, f"not guarded by @policy.guarded: {unguarded}"


def test_every_policy_name_is_called_with_each_role():
    covered = set()
    for path in sorted(TESTS.glob("test_policy_*.py")):
        module = importlib.import_module(f"tests.{path.stem}")
        covered |= {case.name for case in getattr(module, "CASES", [])}
    missing = sorted(set(policy.POLICY) - covered)
    assert not missing, f"policy names no role-matrix test calls: {missing}"


def test_policy_names_only_known_roles():
    for name, roles in policy.POLICY.items():
        assert roles and set(roles) <= set(policy.ROLES), name
