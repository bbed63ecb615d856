"""Session 26's robustness leftovers: hidden part files a killed export or backup left behind, drafts a kill
between the re-alignment and their carry left on the old revision, and a store's first decisions in no backup.
Each test failed before its fix (real SQLite; real SIGKILLs in a child process)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from app_driver import ok, on_page
from handmade import make_document, one_to_one, zh_en_pair

from workbench import review
from workbench.export import write_atomically
from workbench.store import Store, backup
from workbench.ui.review_page import PANELS
from workbench.ui.sentence_text import text_key


def killed_child(code: str) -> None:
    """Run ``code`` in a child Python that SIGKILLs itself where the code says ``die()``."""
    prelude = f"import os, signal, sys\nsys.path[:0] = {sys.path!r}\n" \
              "def die():\n    os.kill(os.getpid(), signal.SIGKILL)\n"
    done = subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)], env=os.environ.copy(),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr


def aged(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_a_killed_exports_part_file_is_swept_by_the_next_write_into_its_folder(tmp_path):
    """A TMX/CSV export SIGKILLed mid-write left its hidden `.<name>.<pid>.<thread>.part` for good: every killed
    export one more copy of the document in the editor's folder. The next write sweeps it; a live writer's stays."""
    killed_child(f"""
        from pathlib import Path
        from workbench.export import write_atomically
        def half(temp):
            temp.write_text("<tmx>half a file")
            die()
        write_atomically(Path({str(tmp_path / "pair.tmx")!r}), half)
    """)
    (left,) = tmp_path.glob(".pair.tmx.*.part")
    live = tmp_path / f".other.csv.{os.getpid()}.1.part"  # this process: writing it, as far as anyone can tell
    live.write_text("being written")
    just_killed = tmp_path / left.name.replace(".pair.tmx.", ".fresh.tmx.")
    just_killed.write_text("a writer on another machine may not have a pid here")
    for part in (left, live):
        aged(part, 3600)
    write_atomically(tmp_path / "pair.csv", lambda temp: temp.write_text("zh,en"))
    assert not left.exists()
    assert live.exists() and just_killed.exists()
    assert {p.name for p in tmp_path.iterdir()} == {"pair.csv", live.name, just_killed.name}
    aged(live, 2 * 24 * 3600)  # untouched for two days: abandoned, whatever its pid says (pids are reused)
    write_atomically(tmp_path / "pair.csv", lambda temp: temp.write_text("zh,en"))
    assert not live.exists()


def test_a_killed_backups_part_file_is_swept_by_the_next_backup(tmp_path):
    """A backup killed mid-copy left `.workbench-<time>.db.<pid>.part` in `backups/`, a whole store's size each."""
    path = tmp_path / "workbench.db"
    Store(path).close()
    killed_child(f"""
        from pathlib import Path
        from workbench.store import Store, backup
        backup.os.replace = lambda *args: die()  # killed with the copy written, before its rename
        Store(Path({str(path)!r})).backup()
    """)
    (left,) = backup.backup_dir(path).glob(".workbench-*.db.*.part")
    aged(left, 3600)
    with Store(path) as store:
        assert store.backup() is not None
    assert not left.exists()


def test_drafts_reach_the_editor_after_a_kill_right_after_the_realignment(home, store):
    """The re-alignment onto a revised file stored the beads, then carried the drafts in a second transaction: a
    kill in between left the editor's typing on the old revision, stored but never offered again."""
    zh, en = zh_en_pair(4)
    p, _ = review.align_pair(store, zh, en, one_to_one(4), model="bundled")
    old_en = store.pair(p.id).en_document_id
    store.as_editor("ann").save_draft(old_en, 2, "English sentence 2.", "English sentence 2, half typed")
    killed_child("""
        from handmade import make_document, one_to_one, zh_en_pair
        from workbench import review
        from workbench.store import Store
        from workbench.store.alignments import Alignments
        real = Alignments.save_alignment
        def then_killed(self, *args, **kwargs):
            real(self, *args, **kwargs)
            die()
        Alignments.save_alignment = then_killed
        zh, _ = zh_en_pair(4)
        en = make_document("en.txt", "en", [["English sentence 0.", "A revised sentence one.",
                                             "English sentence 2.", "English sentence 3."]])
        review.align_pair(Store(), zh, en, one_to_one(4), model="bundled")
    """)
    with Store() as after:
        new_en = after.pair(p.id).en_document_id
        assert new_en != old_en  # the re-alignment was stored before the kill
        assert after.as_editor("ann").draft(new_en, 2, "English sentence 2.") == "English sentence 2, half typed"


def test_the_review_page_puts_back_drafts_an_earlier_kill_left_on_the_old_revision(home, store, monkeypatch):
    """A store where the kill already happened (made by the code before the carry joined the re-alignment's
    transaction): the Review page carries the stranded drafts at its next opening, and names those whose sentence
    the file changed."""
    zh, en = zh_en_pair(4)
    p, _ = review.align_pair(store, zh, en, one_to_one(4), model="bundled")
    old_en = store.pair(p.id).en_document_id
    ann = store.as_editor("ann")
    ann.save_draft(old_en, 2, "English sentence 2.", "English sentence 2, half typed")
    ann.save_draft(old_en, 1, "English sentence 1.", "English sentence 1, typed over a changed one")
    revised = make_document("en.txt", "en", [["English sentence 0.", "A revised sentence one.",
                                              "English sentence 2.", "English sentence 3."]])
    with monkeypatch.context() as killed:  # the beads stored, the drafts not carried
        killed.setattr("workbench.store.alignments.carry_drafts_in", lambda *args: 0, raising=False)
        killed.setattr(Store, "carry_drafts", lambda *args: 0)  # where the code before carried them
        review.align_pair(store, zh, revised, one_to_one(4), model="bundled")
    new_en = store.pair(p.id).en_document_id
    assert ann.draft(new_en, 2, "English sentence 2.") is None
    at = ok(on_page("ui/pages/review.py", pair=str(p.id), editor="ann"))
    (said,) = [w.value for w in at.warning if "earlier revision" in w.value]
    assert "English sentence 2, “English sentence 1.”" in said and "typed over a changed one" in said
    assert "half typed" not in said
    for key in PANELS:
        at.session_state[key] = True
    ok(at.button(key=f"select_{store.beads(p.id)[2].id}").click().run())
    assert at.text_area(key=text_key("en", 2, "English sentence 2.")).value == "English sentence 2, half typed"
    assert not [w for w in at.warning if "earlier revision" in w.value]  # said once: nothing left to carry


def test_an_editors_first_decisions_are_in_a_backup_soon(tmp_path):
    """The first backup is made at the store's first opening, of the empty store; the next came after 50 writes
    or at an opening 10 minutes later, so damage in the first minutes had nothing of the editor's to restore."""
    path = tmp_path / "workbench.db"
    store = Store(path)
    p, _ = review.align_pair(store, *zh_en_pair(20), one_to_one(20), model="bundled")
    beads = store.beads(p.id)
    early = 3  # backup.EARLY
    for b in beads[:early - 1]:
        review.confirm(store, p.id, b.id, version=None)
    assert len(backup.backups(path)) == 1  # not a backup per click
    review.confirm(store, p.id, beads[early - 1].id, version=None)
    newest = backup.backups(path)
    assert len(newest) == 2 and f"{early} decisions" in backup.describe(newest[0])
    for b in beads[early:]:
        review.confirm(store, p.id, b.id, version=None)
    assert len(backup.backups(path)) == 2  # the early one is made once
    store.close()
    with Store(path) as again:  # reopened within 10 minutes: its newest backup holds decisions, none more
        review.unconfirm(again, p.id, beads[0].id, version=None)
    assert len(backup.backups(path)) == 2


def test_a_store_reopened_beside_an_empty_backup_is_backed_up_at_its_next_write(tmp_path, monkeypatch):
    """A store whose newest backup (under 10 minutes old) holds none of the decisions the store holds: the next
    write makes one, not the 50th."""
    path = tmp_path / "workbench.db"
    with Store(path) as store:
        p, _ = review.align_pair(store, *zh_en_pair(6), one_to_one(6), model="bundled")
        monkeypatch.setattr(backup, "EARLY", 100, raising=False)  # as the code before this one wrote it
        for b in store.beads(p.id)[:4]:
            review.confirm(store, p.id, b.id, version=None)
    monkeypatch.undo()
    assert "0 decisions" in backup.describe(backup.backups(path)[0])
    with Store(path) as store:
        review.unconfirm(store, p.id, store.beads(p.id)[0].id, version=None)
    assert "5 decisions" in backup.describe(backup.backups(path)[0])
