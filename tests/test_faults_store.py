"""The store and the exports under faults: a damaged page, a read-only location, a full disk, and a
redo list an old store cannot apply any more. Each says what happened and what to do; none leaves a
raw traceback or writes into a damaged file."""
from __future__ import annotations

import builtins
import errno
import gc
import io
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest
from handmade import make_document, one_to_one, zh_en_pair

from workbench import review
from workbench.cli import main
from workbench.errors import BadInput, StoreDamaged, StoreReadOnly, WorkbenchError
from workbench.store import Store, backup, pair_scope

N = 120  # enough beads that the beads table spans several pages


def real_store(path: Path) -> int:
    """A store as the workbench writes it: one aligned pair, the first ten beads confirmed. The pair's id."""
    with Store(path) as store:
        pair, _ = review.align_pair(store, *zh_en_pair(N), one_to_one(N), model="bundled")
        for b in store.beads(pair.id)[:10]:
            review.confirm(store, pair.id, b.id, version=store.version(pair_scope(pair.id)))
    return pair.id


def corrupt_beads_page(path: Path) -> None:
    """Overwrite the root page of the beads table with garbage, as a bad sector or a torn copy would."""
    con = sqlite3.connect(path)
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'beads'").fetchone()[0]
    size = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    with open(path, "r+b") as f:
        f.seek((root - 1) * size + 8)
        f.write(b"\xde\xad\xbe\xef" * 64)


def test_a_damaged_copy_opens_for_reading_and_refuses_writes_with_what_to_do(tmp_path):
    pair_id = real_store(tmp_path / "workbench.db")
    copy = tmp_path / "copy.db"
    shutil.copy(tmp_path / "workbench.db", copy)
    corrupt_beads_page(copy)
    with Store(copy) as store:
        assert store.damaged and "damaged" in store.damaged
        assert [d.name for d in store.documents()] == ["en.txt", "zh.txt"]  # what is readable stays readable
        with pytest.raises(StoreDamaged, match="restore") as refused:
            review.confirm(store, pair_id, 11, version=None)
        assert "export what can still be read" in str(refused.value)
        with pytest.raises(StoreDamaged):
            store.beads(pair_id)  # the damaged page itself: a clear error, not a DatabaseError
        with pytest.raises(StoreDamaged):
            store.add_glossary("store", "存储", "editor")  # no write at all goes into the file


def test_damage_found_during_a_session_stops_the_writes(tmp_path):
    path = tmp_path / "workbench.db"
    pair_id = real_store(path)
    with Store(path) as store:
        assert store.damaged is None and len(store.beads(pair_id)) == N
        corrupt_beads_page(path)
        other = sqlite3.connect(path)  # another process writes, so this one reads the pages again
        other.execute("INSERT INTO view_state (scope, key, value) VALUES ('x', 'y', '1')")
        other.commit()
        other.close()
        with pytest.raises(StoreDamaged, match="workbench store restore"):
            store.beads(pair_id)
        with pytest.raises(StoreDamaged):
            store.add_glossary("think tank", "智库", "editor")
        assert store.save_view_state("review", {"page": 2}) is False  # a view is not kept, and stops no page
        assert store.damaged


def test_restore_puts_the_newest_healthy_backup_back(tmp_path, monkeypatch, capsys):
    path = tmp_path / "workbench.db"
    pair_id = real_store(path)  # opening the new store made the first backup, the third decision the next
    with Store(path) as store:
        store.backup()  # and one with the ten decisions
    assert len(backup.backups(path)) == 3
    corrupt_beads_page(path)
    monkeypatch.setenv("WORKBENCH_DB", str(path))
    assert main(["store", "check"]) == 2
    assert "damaged" in capsys.readouterr().err
    assert main(["store", "restore"]) == 0
    out = capsys.readouterr().out
    assert "restored" in out and ".damaged-" in out
    with Store(path) as store:
        assert store.damaged is None
        assert store.progress(pair_id) == (10, N)  # the confirmed decisions are back
    assert list(tmp_path.glob("workbench.db.damaged-*"))  # the damaged file is kept, not deleted


def test_rolling_backups_every_n_writes_keep_the_newest_three(tmp_path, monkeypatch):
    monkeypatch.setattr(Store, "BACKUP_EVERY", 5)
    path = tmp_path / "workbench.db"
    with Store(path) as store:
        for k in range(30):
            store.add_glossary(f"term {k}", f"术语{k}", "editor")
    found = backup.backups(path)
    assert len(found) == 3
    with sqlite3.connect(found[0]) as newest:
        assert newest.execute("SELECT count(*) FROM glossary").fetchone()[0] >= 25


def test_a_store_on_a_read_only_mount_can_be_read(tmp_path, monkeypatch):
    path = tmp_path / "workbench.db"
    pair_id = real_store(path)
    # what a read-only bind mount answers for every write permission
    monkeypatch.setattr("workbench.store.database.os.access", lambda p, mode: not mode & 2)
    with Store(path) as store:
        assert store.read_only and "read-only" in store.read_only
        assert store.progress(pair_id) == (10, N)
        with pytest.raises(StoreReadOnly, match="copy it to a writable folder"):
            review.confirm(store, pair_id, store.beads(pair_id)[20].id, version=None)
    with pytest.raises(StoreReadOnly, match="read-only"):
        Store(tmp_path / "elsewhere" / "new.db")  # nothing to read, and nowhere to create it


def test_a_redo_the_store_cannot_apply_is_dropped_with_a_message(store):
    zh, en = zh_en_pair(6)
    pair, _ = review.align_pair(store, zh, en, one_to_one(6), model="m")
    b = store.beads(pair.id)
    v = review.split(store, pair.id, b[2].id, 1, 0, version=store.version(pair_scope(pair.id)))
    split_off = store.beads(pair.id)[3].id  # the bead the split made
    v = review.split(store, pair.id, store.beads(pair.id)[5].id, 1, 0, version=v)
    v = review.undo(store, pair.id, version=v)
    v = review.undo(store, pair.id, version=v)
    # an old store (schema 2) handed the undone split's bead id to another pair's new bead
    other, _ = review.align_pair(store, make_document("b.zh.txt", "zh", [["一。", "二。"]]),
                                 make_document("b.en.txt", "en", [["One.", "Two."]]), one_to_one(2), model="m")
    with sqlite3.connect(store.path) as con:
        con.execute("UPDATE beads SET id = ? WHERE id = (SELECT max(id) FROM beads WHERE pair_id = ?)",
                    (split_off, other.id))
    con.close()
    with pytest.raises(BadInput, match="can no longer be redone.*2 undone decision"):
        review.redo(store, pair.id, version=v)
    assert not store.can_redo(pair_scope(pair.id))
    assert [(x.zh, x.en) for x in store.beads(pair.id)] == [((i,), (i,)) for i in range(6)]
    review.confirm(store, pair.id, store.beads(pair.id)[0].id, version=store.version(pair_scope(pair.id)))


def test_database_errors_never_escape_as_raw_sqlite_errors(tmp_path):
    path = tmp_path / "garbage.db"
    path.write_bytes(b"this is not a database" * 500)
    with pytest.raises(WorkbenchError, match="not a usable workbench store") as refused:
        Store(path)
    assert isinstance(refused.value, StoreDamaged)


# --- exports under faults -----------------------------------------------------------------------------
def _units():
    from workbench.export import ExportUnit

    return [ExportUnit(document="zh.txt", bead=str(k), zh=f"第{k}句。" * 40, en=f"Sentence {k}. " * 40,
                       confidence=0.9) for k in range(200)]


class FullDisk(io.BytesIO):
    """A buffered file on a disk that fills up after a few kilobytes: writes are accepted into the buffer,
    and the flush, seek or close that would put them on disk fails with ENOSPC (close still closes)."""

    overflow = False

    def write(self, data):
        self.overflow = self.overflow or self.tell() + len(data) > 4096
        return super().write(data)

    def _on_disk(self):
        if self.overflow:
            raise OSError(errno.ENOSPC, "No space left on device")

    def seek(self, *args):
        self._on_disk()
        return super().seek(*args)

    def flush(self):
        self._on_disk()
        return super().flush()

    def close(self):
        try:
            self._on_disk()
        finally:
            self.overflow = False
            super().close()


def test_xlsx_export_to_a_full_disk_reports_once_and_leaves_nothing(tmp_path, monkeypatch):
    from workbench.export import write_atomically, write_export

    real_open = io.open

    def filling(f, mode="r", *args, **kwargs):
        return FullDisk() if str(f).endswith(".part") and "w" in mode else real_open(f, mode, *args, **kwargs)

    monkeypatch.setattr(io, "open", filling)
    monkeypatch.setattr(builtins, "open", filling)
    gc.collect()  # earlier tests' garbage is not this test's business
    ignored = []
    monkeypatch.setattr(sys, "unraisablehook", ignored.append)
    target = tmp_path / "pair.xlsx"
    with pytest.raises(WorkbenchError, match="No space left"):
        write_atomically(target, lambda temp: write_export(_units(), temp, "xlsx"))
    gc.collect()
    # no "Exception ignored in ZipFile.__del__" after the clear error
    assert [u.exc_value for u in ignored if isinstance(u.exc_value, OSError)] == []
    assert list(tmp_path.iterdir()) == []


def test_export_to_a_read_only_place_says_so_not_the_cleanups_error(tmp_path, monkeypatch):
    from workbench.export import write_atomically, write_export

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(io, "open", read_only)  # creating the temporary file
    monkeypatch.setattr(builtins, "open", read_only)
    monkeypatch.setattr(Path, "unlink", read_only)  # and cleaning it up
    with pytest.raises(WorkbenchError, match=r"cannot write .*pair\.tmx: Read-only file system"):
        write_atomically(tmp_path / "pair.tmx", lambda temp: write_export(_units(), temp, "tmx"))


def test_a_file_name_of_255_bytes_is_written_atomically(tmp_path):
    """The temporary name beside the target stays short, so the longest name the file system takes works."""
    from workbench.export import write_atomically

    target = tmp_path / ("报" * 83 + "xx.tmx")  # 83 × 3 + 6 = 255 bytes
    assert len(target.name.encode("utf-8")) == 255
    write_atomically(target, lambda temp: temp.write_text("ok", encoding="utf-8"))
    assert target.read_text(encoding="utf-8") == "ok"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_a_write_that_fills_the_disk_mid_statement_says_the_disk_is_full(tmp_path):
    """SQLite rolls back a write that ran out of room itself; the store's own ROLLBACK then failed with "cannot
    rollback - no transaction is active", and that was the message (session 35: a batch on a full disk)."""
    with Store(tmp_path / "s.db") as store:
        store._db.execute(f"PRAGMA max_page_count = {store._db.execute('PRAGMA page_count').fetchone()[0]}")
        with pytest.raises(WorkbenchError) as failed:
            review.align_pair(store, *zh_en_pair(N), one_to_one(N), model="bundled")
        assert "database or disk is full" in str(failed.value) and "nothing was saved" in str(failed.value)
        assert store.pairs() == []


def test_an_empty_file_among_the_backups_is_never_restored(tmp_path, monkeypatch, capsys):
    """Session 35's walk: a 0-byte file in backups/ (a copy cut short) passed the integrity check, was "restored"
    over the store as its newest backup, and the store opened empty ("ok"), its pairs gone from view."""
    path = tmp_path / "workbench.db"
    pair_id = real_store(path)
    with Store(path) as store:
        store.backup()
    empty = backup.backup_dir(path) / "workbench-29991231T000000000000Z.db"  # sorts as the newest
    empty.write_bytes(b"")
    corrupt_beads_page(path)
    monkeypatch.setenv("WORKBENCH_DB", str(path))
    assert main(["store", "restore"]) == 0
    out = capsys.readouterr().out
    assert f"passed over as damaged or no store: {empty}" in out, out
    with Store(path) as store:
        assert store.progress(pair_id) == (10, N)
    assert main(["store", "restore", "--force", "--from", str(empty)]) == 2
    assert "not a workbench store" in capsys.readouterr().err


def test_a_dropped_backup_leaves_no_side_files(tmp_path):
    """`store backups` reads each backup, and SQLite leaves its -wal/-shm beside it; the rotation dropped the .db
    alone, and backups/ filled with the side files of backups long gone (session 35's walk)."""
    path = tmp_path / "workbench.db"
    real_store(path)
    for _ in range(4):
        for made in backup.backups(path):
            backup.describe(made)
        with Store(path) as store:
            store.backup()
    names = {p.name for p in backup.backup_dir(path).iterdir()}
    kept = {p.name for p in backup.backups(path)}
    assert len(kept) == backup.KEEP
    assert {n for n in names if n.endswith(("-wal", "-shm")) and n[:-4] not in kept} == set()


def test_store_check_of_the_batch_job_table_names_the_store_and_writes_nothing(tmp_path, capsys):
    """`store check --db aligned/workbench.batch.db` (the file beside the store) said "could not be written (table
    pairs already exists)": the check was writing the store's tables into another database."""
    from workbench.batch import JobTable

    table = tmp_path / "workbench.batch.db"
    with JobTable(table) as jobs:
        jobs.start_run("manifest")
    before = table.read_bytes()
    assert main(["store", "check", "--db", str(table)]) == 2
    said = capsys.readouterr().err
    assert "not a workbench store" in said and f"it is the batch job table: the store is {tmp_path / 'workbench.db'}" in said
    assert table.read_bytes() == before and not (tmp_path / "backups").exists()


def test_store_backups_says_which_backups_restore_would_pass_over(tmp_path, monkeypatch, capsys):
    """Session 35's walk: `store backups` described a backup with a damaged page by its counts ("12 pairs, 0
    decisions") as if sound; only `restore` found it. The list now gives restore's own verdict on each."""
    path = tmp_path / "workbench.db"
    real_store(path)
    with Store(path) as store:
        store.backup()
    sound = backup.backups(path)[0]
    damaged = backup.backup_dir(path) / "workbench-29991230T000000000000Z.db"
    shutil.copyfile(sound, damaged)
    corrupt_beads_page(damaged)
    empty = backup.backup_dir(path) / "workbench-29991231T000000000000Z.db"  # the newest of all
    empty.write_bytes(b"")
    monkeypatch.setenv("WORKBENCH_DB", str(path))
    assert main(["store", "backups"]) == 0
    lines = {line.split("\t")[0]: line for line in capsys.readouterr().out.splitlines()}
    assert "would not be restored" in lines[str(damaged)], lines[str(damaged)]
    assert "would not be restored: not a workbench store" in lines[str(empty)], lines[str(empty)]
    assert "would not be restored" not in lines[str(sound)]
    assert "`store restore` takes this one" in lines[str(sound)], lines[str(sound)]
    assert main(["store", "restore", "--force"]) == 0  # and restore agrees: it takes that one
    assert f"from {sound}" in capsys.readouterr().out
