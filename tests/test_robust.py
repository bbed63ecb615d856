"""Session 26's robustness audit: a store the editor cannot write to (read-only, full, locked), one editor in
two tabs, and a store made by older code. Each test failed before its fix (real SQLite; AppTest for pages)."""
from __future__ import annotations

import sqlite3

import pytest
from app_driver import ok, on_page
from handmade import one_to_one, zh_en_pair

from workbench import review
from workbench.store import Store, backup
from workbench.store.schema import MIGRATIONS, SCHEMA_VERSION
from workbench.ui.review_page import PANELS
from workbench.ui.sentence_text import text_key

REVIEW = "ui/pages/review.py"


@pytest.fixture
def pair(store):
    p, _ = review.align_pair(store, *zh_en_pair(4), one_to_one(4), model="bundled")
    return p


def review_tab(pair_id: int, editor: str = "ann"):
    """One browser tab on the Review page with every panel open."""
    at = on_page(REVIEW, pair=str(pair_id), editor=editor)
    for key in PANELS:
        at.session_state[key] = True
    return ok(at.run())


def read_only_mount(monkeypatch) -> None:
    """What a read-only mount answers for every write permission (root passes chmod, so not chmod)."""
    monkeypatch.setattr("workbench.store.database.os.access", lambda p, mode: not mode & 2)


def test_a_read_only_store_still_shows_its_beads_on_the_review_page(store, pair, monkeypatch):
    """The store says "it can be read and exported"; the Review page showed only that message and no bead:
    remembering the editor's view (which page, which bead) is a write, and it stopped the page."""
    store.close()
    read_only_mount(monkeypatch)
    at = review_tab(pair.id)
    shown = " ".join(h.value for h in at.html)
    assert "wb-bead" in shown, [e.value for e in at.error]
    assert any("read-only" in w.value for w in [*at.warning, *at.error])


def test_typing_the_store_cannot_keep_stays_in_the_box_with_a_message(store, pair, monkeypatch):
    """Typing reaches the server when the box loses focus and is kept as a draft; when the store could not
    take it (read-only, a full disk, locked past its timeout) the page showed a traceback and lost the box."""
    bead = store.beads(pair.id)[1]
    original = store.segment(pair.zh_document_id, 1).text
    store.close()
    read_only_mount(monkeypatch)
    at = review_tab(pair.id)
    ok(at.button(key=f"select_{bead.id}").click().run())
    key = text_key("zh", 1, original)
    ok(at.text_area(key=key).input("编辑输入的新句子。").run())
    assert at.text_area(key=key).value == "编辑输入的新句子。"
    assert any("could not be kept" in w.value and "still in the box" in w.value for w in at.warning), \
        [w.value for w in at.warning]


def test_one_editor_in_two_tabs_keeps_the_other_tabs_typing(store, pair):
    """Tab A and tab B of one editor type different text into one sentence; A saves. B's typing vanished: the
    save dropped the editor's draft, which by then was B's. Now B is offered both texts."""
    bead = store.beads(pair.id)[2]
    original = store.segment(pair.zh_document_id, 2).text
    key = text_key("zh", 2, original)
    a, b = review_tab(pair.id), review_tab(pair.id)
    for tab, typed in ((a, "甲标签页输入的句子。"), (b, "乙标签页输入的句子。")):
        ok(tab.button(key=f"select_{bead.id}").click().run())
        if tab.text_area(key=key).value != original:  # the other tab's draft was offered back
            assert tab is b
        ok(tab.text_area(key=key).input(typed).run())
    ok(a.button(key="save_zh_2").click().run())
    assert store.segment(pair.zh_document_id, 2).text == "甲标签页输入的句子。"
    ok(b.run())
    assert any(k.key.startswith("mine_") for k in b.button if k.key), "B is not offered its own text"
    assert "乙标签页输入的句子。" in " ".join(m.value for m in b.markdown)
    assert any("saved in another tab of yours while you were typing" in w.value for w in b.warning)


def old_store(path, version: int) -> None:
    """A store as a release at schema ``version`` left it, with one glossary entry."""
    db = sqlite3.connect(path)
    for step in range(version):
        db.executescript(MIGRATIONS[step])
        db.execute(f"PRAGMA user_version = {step + 1}")
    db.execute("INSERT INTO glossary (en, zh, source, created_at) VALUES ('think tank', '智库', 'old', '2026-11-24')")
    db.commit()
    db.close()


def test_upgrading_an_old_store_keeps_a_copy_of_it_as_it_was(tmp_path, capsys):
    """Opening a store made by an older release upgrades it in place, and the older release can no longer open
    it; the rolling backups made after that are all of the upgraded file. Now a copy of the file as it was is
    kept beside the backups, and `store backups` names it."""
    from workbench.cli import main

    path = tmp_path / "workbench.db"
    old_store(path, 5)
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert [g.zh for g in store.glossary()] == ["智库"]
    kept = backup.upgrade_copies(path)
    assert len(kept) == 1 and "schema5" in kept[0].name
    probe = sqlite3.connect(kept[0])
    assert probe.execute("PRAGMA user_version").fetchone()[0] == 5
    assert probe.execute("SELECT zh FROM glossary").fetchall() == [("智库",)]
    probe.close()
    assert kept[0] not in backup.backups(path)  # never taken for the newest rolling backup by `store restore`
    with Store(path):
        pass
    assert len(backup.upgrade_copies(path)) == 1  # an up-to-date store is not copied again
    assert main(["store", "backups", "--db", str(path)]) == 0
    assert str(kept[0]) in capsys.readouterr().out


def test_restore_says_what_the_backup_it_put_back_holds(tmp_path, monkeypatch, capsys):
    """A store damaged within its first 50 decisions has one backup: the empty file its first opening copied.
    `store restore` put it back and said only "restored … from …": the editor learnt of the loss from an empty
    Review page. Now the damage message and the restore say when each backup was made and what it holds."""
    from workbench.cli import main

    path = tmp_path / "workbench.db"
    with Store(path) as store:  # the first opening copies the empty store
        p, _ = review.align_pair(store, *zh_en_pair(4), one_to_one(4), model="bundled")
        for b in store.beads(p.id)[:2]:  # fewer than backup.EARLY: still no backup with them
            review.confirm(store, p.id, b.id, version=None)
    path.write_bytes(path.read_bytes()[:4096])  # a copy cut short
    monkeypatch.setenv("WORKBENCH_DB", str(path))
    assert main(["store", "check"]) == 2
    err = capsys.readouterr().err
    assert "0 pairs, 0 decisions" in err, err
    assert main(["store", "backups"]) == 0
    assert "0 pairs, 0 decisions" in capsys.readouterr().out
    assert main(["store", "restore"]) == 0
    out = capsys.readouterr().out
    assert "0 pairs, 0 decisions" in out and "decisions saved since" in out, out


class _FullDisk:
    """A real SQLite connection on a disk with no room for the WAL files: SQLite answers "disk I/O error" when
    the store is opened (seen on a 2 MB tmpfs, filled; a test cannot mount one everywhere)."""

    def __init__(self, real):
        object.__setattr__(self, "_real", real)

    def execute(self, sql, *args):
        if sql.startswith("PRAGMA journal_mode"):
            raise sqlite3.OperationalError("disk I/O error")
        return self._real.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._real, name)

    def __setattr__(self, name, value):
        setattr(self._real, name, value)


def test_a_store_on_a_full_disk_is_not_called_damaged(tmp_path, monkeypatch):
    """On a full disk the store could not be opened and was called "not a usable workbench store … restore a
    copy of it from your own backups": sound work sent to a restore. Now the disk is named and the file cleared."""
    from workbench.errors import StoreDamaged, WorkbenchError

    path = tmp_path / "workbench.db"
    with Store(path) as store:
        store.add_glossary("think tank", "智库", "editor")
    real_connect = sqlite3.connect
    monkeypatch.setattr("workbench.store.database.sqlite3.connect", lambda *a, **k: _FullDisk(real_connect(*a, **k)))
    with pytest.raises(WorkbenchError) as refused:
        Store(path)
    assert not isinstance(refused.value, StoreDamaged)
    assert "disk I/O error" in str(refused.value) and "kB free" in str(refused.value)
    assert "needs no restore" in str(refused.value) and "restore a copy" not in str(refused.value)


def test_restore_refuses_a_store_another_program_has_open(tmp_path, monkeypatch, capsys):
    """`store restore --force` with the app still open moved the store aside under the app, which went on saving
    the editor's decisions into the moved file (`.replaced-…`): shown as saved, gone at the next start."""
    from workbench.cli import main

    path = tmp_path / "workbench.db"
    monkeypatch.setenv("WORKBENCH_DB", str(path))
    app = Store(path)  # the running app: its first opening made the backup
    p, _ = review.align_pair(app, *zh_en_pair(4), one_to_one(4), model="bundled")
    assert main(["store", "restore", "--force"]) == 2
    assert "open in another program" in capsys.readouterr().err
    assert not list(tmp_path.glob("workbench.db.replaced-*"))
    review.confirm(app, p.id, app.beads(p.id)[0].id, version=None)  # still saved where the next start reads it
    app.close()
    with Store(path) as store:
        assert store.progress(p.id)[0] == 1
    assert main(["store", "restore", "--force"]) == 0  # closed: restoring is up to the editor


def test_opening_a_current_store_waits_for_no_writer(tmp_path):
    """Every opening took the write lock (for migrations with nothing to migrate): `export` beside the app's long
    Confirm all waited 30 s and failed with "could not be written … nothing was saved". Now a read opens at once."""
    path = tmp_path / "workbench.db"
    with Store(path) as store:
        p, _ = review.align_pair(store, *zh_en_pair(4), one_to_one(4), model="bundled")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another program in the middle of a write
    try:
        with Store(path) as store:
            assert len(store.export_units(p.id)) == 4
    finally:
        writer.execute("ROLLBACK")
        writer.close()
