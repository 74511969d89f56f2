"""The note an unsatisfied revisit writes into its complaint's history is stored as a neutral code
and shown in the reader's language; older rows in plain Chinese still show as they are."""

from __future__ import annotations

from csm import notes, revisits
from csm.i18n import set_lang
from csm.org import users
from tests.apptest_helpers import open_page
from tests.test_revisits import who
from tests.test_revisits_pages import resolved_complaint


def reopen_note(db, cid):
    rows = db.rows("complaints/timeline", {"complaint_id": cid, "scope_kind": "group", "scope_id": None})
    return [r["content"] for r in rows if r["kind"] == "history" and r["action"] == "reopen"][-1]


def reopen_in_english(db):
    cid, task_id = resolved_complaint(db)
    task = db.one("revisits/task_get", {"id": task_id})
    set_lang("en")  # the clerk works in English
    out = revisits.commands.record_revisit(db, who(db, "clerk1"), task_id, task["version"], revisits.Attempt(
        method="phone", reached=True, person_reached="Mr Zhou", relation="owner", satisfaction="unsatisfied",
        comments="cars still parked at night"))
    assert out["reopened_complaint_id"] == cid
    return cid, out["record_id"]


def test_reopen_note_is_stored_as_a_code_and_rendered_per_language(db):
    cid, record_id = reopen_in_english(db)
    stored = reopen_note(db, cid)
    assert notes.decode(stored) == ("revisit_unsatisfied", {"record": record_id,
                                                            "reason": "cars still parked at night"})
    assert "回访" not in stored
    assert notes.render(stored, "en") == f"Unsatisfied at revisit (record #{record_id}): cars still parked at night"
    assert notes.render(stored, "zh") == f"回访不满意（回访记录 #{record_id}）：cars still parked at night"


def test_old_plain_notes_and_broken_codes_show_as_they_are():
    assert notes.render("回访不满意 #12: 晚上还是有车乱停", "en") == "回访不满意 #12: 晚上还是有车乱停"
    assert notes.render(None) == ""
    assert notes.render("@note:{not json", "en") == "@note:{not json"
    assert notes.render(notes.encode("no_such_note", x=1), "en").startswith("@note:")


def timeline_text(at):
    return "\n".join(df.value.to_string() for df in at.dataframe)


def test_desk_timeline_shows_the_note_in_the_readers_language(db_path, db):
    cid, record_id = reopen_in_english(db)
    for lang, expected in (("en", f"Unsatisfied at revisit (record #{record_id})"),
                           ("zh", f"回访不满意（回访记录 #{record_id}）")):
        set_lang("zh")
        users.set_lang(db, "supervisor1", lang)
        at = open_page("supervisor1", "home", lang)
        at.session_state["complaints.open_id"] = cid
        at.switch_page("pages/complaints.py")
        at.run()
        assert not at.exception
        shown = timeline_text(at)
        assert expected in shown and "@note:" not in shown
