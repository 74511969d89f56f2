"""Progress while parsing and applying (issue 11): the mechanism reports reading, typing cells,
planning and saving; as one fraction of the whole run (csm/importing/progress.py) it never goes
back and reaches 1.0, and a target whose apply takes the optional `progress` hook moves the bar
while it writes. Without Streamlit: the callback is a plain function."""

from __future__ import annotations

from csm import import_targets
from csm.actor import Actor
from csm.importing import commands, reads
from csm.importing.progress import fraction, takes_progress
from csm.org import users
from tests.ledger_files import helpdesk_export, map_values

LEDGER = import_targets.get("complaints")


def test_a_multi_thousand_row_ledger_reports_every_phase_monotonic_to_the_end(db, tmp_path):
    admin = Actor.of(users.get(db, "admin"), tz=db.timezone)
    path = tmp_path / "helpdesk_export.csv"
    helpdesk_export(path, 3000)
    seen: list[tuple[str, int, int]] = []

    def progress(phase: str, done: int, total: int) -> None:
        seen.append((phase, done, total))

    found = reads.inspect(db, admin, LEDGER, path.read_bytes(), path.name, progress=progress)
    map_values(found.mapping)
    done = commands.apply(db, admin, LEDGER, found.sheet, found.mapping, progress=progress)
    assert done.applied and done.count("add") == 3000
    values = [fraction(*s) for s in seen]
    assert values == sorted(values), "the bar never goes back"
    assert values[-1] == 1.0
    assert list(dict.fromkeys(p for p, _, _ in seen)) == ["read", "check", "plan", "save"]
    assert all(total == 3000 for p, _, total in seen if p in ("check", "plan", "save"))
    saving = sorted({fraction(*s) for s in seen if s[0] == "save"})
    assert len(saving) >= 4 and 0.5 < saving[1] < saving[-2] < 1.0  # moved by the target's own apply


def test_the_hook_is_optional():
    assert takes_progress(LEDGER.apply) and takes_progress(import_targets.get("survey_forms").apply)
    assert not takes_progress(import_targets.get("households").apply)  # called as before
    assert fraction("read", 0, 0) == 1.0 * 0.15 and fraction("save", 5, 10) == 0.75
