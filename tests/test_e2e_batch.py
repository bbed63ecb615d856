"""``workbench batch`` on a folder a person put together (session 16's walk): documents of several formats,
one damaged, one empty, a "pair" whose two sides are both Chinese, and files that pair with nothing."""
from __future__ import annotations

import subprocess

import pytest
from batch_cases import PYTHON, subprocess_env, tmx_units

ZH = ["委员会于下午两时半开会。", "委员讨论了明年的预算。", "会议于五时结束。"]
EN = ["The committee met at half-past two.", "The members discussed next year's budget.", "The meeting ended at five."]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    from docx import Document as Docx

    root = tmp_path_factory.mktemp("batch")
    word = Docx()
    for line in ZH:
        word.add_paragraph(line)
    word.save(root / "minutes.zh.docx")
    (root / "minutes.en.txt").write_text("\n\n".join(EN) + "\n", encoding="utf-8")
    data = (root / "minutes.zh.docx").read_bytes()
    (root / "broken.zh.docx").write_bytes(data[: len(data) // 2])  # a copy cut short
    (root / "broken.en.txt").write_text(EN[0] + "\n", encoding="utf-8")
    (root / "empty.zh.txt").write_bytes(b"")
    (root / "empty.en.txt").write_text(EN[1] + "\n", encoding="utf-8")
    (root / "twice.zh.txt").write_text("".join(ZH) + "\n", encoding="utf-8")
    (root / "twice.en.txt").write_text("".join(reversed(ZH)) + "\n", encoding="utf-8")  # Chinese on both sides
    (root / "orphan.zh.txt").write_text(ZH[0] + "\n", encoding="utf-8")
    (root / "lonely.en.txt").write_text(EN[0] + "\n", encoding="utf-8")
    (root / "report_chinese.txt").write_text(ZH[1] + "\n", encoding="utf-8")
    (root / "report_english.txt").write_text(EN[1] + "\n", encoding="utf-8")
    (root / "LICENSE").write_text("not a document\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    run = subprocess.run([PYTHON, "-m", "workbench", "batch", str(root), "--tmx", str(out / "all.tmx"), "--quiet",
                          "--store", str(out / "s.db"), "--jobs", "1"],
                         capture_output=True, text=True, env=subprocess_env(), timeout=600)
    return root, out, run


def test_the_summary_counts_pairs_and_unpaired_files_apart(folder):
    """It said "10 pairs: … 5 failed" for 8 pairs, 3 of which failed, and 2 files without a counterpart."""
    _, _, run = folder
    assert run.returncode == 1, run.stderr  # failures listed: exit 1
    assert run.stdout.splitlines()[0].startswith(
        "4 pairs: 1 aligned, 0 already done (unchanged inputs and model), 3 failed; 2 files without a pair; "), run.stdout
    failures = run.stderr.split("failures:\n", 1)[1]
    for where in ("orphan.zh.txt: no English counterpart", "lonely.en.txt: no Chinese counterpart",
                  "broken.zh.docx ↔ broken.en.txt: broken.zh.docx: not a readable .docx file",
                  "empty.zh.txt ↔ empty.en.txt: empty.zh.txt: the file is empty"):
        assert where in failures, failures


def test_a_file_whose_name_says_no_language_is_named(folder):
    """report_chinese.txt and report_english.txt were passed over without a word."""
    _, _, run = folder
    assert ("warning: 2 files of the folder have no .zh or .en in their name, so they pair with nothing: "
            "report_chinese.txt, report_english.txt") in run.stderr
    assert "LICENSE" not in run.stderr  # not a document


def test_a_chinese_file_named_as_the_english_side_says_so_in_folder_terms(folder):
    """A folder's ``twice.en.txt`` holding Chinese was reported as "batch/twice.en.txt is not English …: the
    second path of a pair must be the English one" (CSV talk, and a path relative to the working folder)."""
    _, _, run = folder
    assert ("twice.zh.txt ↔ twice.en.txt: twice.en.txt is not English (detected Chinese), "
            "but it is the English side of the pair") in run.stderr


def test_the_tmx_holds_the_one_good_pair(folder):
    _, out, _ = folder
    units = tmx_units(out / "all.tmx")
    assert {props[0][1] for _, _, props in units} == {"minutes.zh.docx"}
    assert len(units) == 3


def test_min_confidence_keeps_a_pair_that_is_no_translation_out_of_the_tmx(tmp_path):
    """Session 16's walk: a folder's e.zh.txt and e.en.txt were not translations of each other; the batch warned,
    but its unit (confidence 0.009) went into the TMX, and OmegaT filled a sentence of another document with
    it as an exact match. ``--min-confidence`` leaves such units out, and the warning says so."""
    root, out = tmp_path / "in", tmp_path / "out"
    root.mkdir(), out.mkdir()
    (root / "minutes.zh.txt").write_text("".join(ZH) + "\n", encoding="utf-8")
    (root / "minutes.en.txt").write_text(" ".join(EN) + "\n", encoding="utf-8")
    (root / "other.zh.txt").write_text("今天早上下了一场大雨。孩子们在院子里放风筝。晚饭是饺子。\n", encoding="utf-8")
    (root / "other.en.txt").write_text(" ".join(EN) + "\n", encoding="utf-8")  # the minutes' English again
    command = [PYTHON, "-m", "workbench", "batch", str(root), "--tmx", str(out / "all.tmx"), "--quiet",
               "--store", str(out / "s.db"), "--jobs", "1", "--min-confidence", "0.3"]
    run = subprocess.run(command, capture_output=True, text=True, env=subprocess_env(), timeout=600)
    assert run.returncode == 0, run.stderr
    assert "other.zh.txt ↔ other.en.txt: these texts do not look like translations" in run.stderr
    assert "unless --min-confidence leaves them out" in run.stderr
    assert "below confidence 0.3" in run.stdout
    assert {props[0][1] for _, _, props in tmx_units(out / "all.tmx")} == {"minutes.zh.txt"}
    refused = subprocess.run(command[:-2] + ["--min-confidence", "2"], capture_output=True, text=True,
                             env=subprocess_env(), timeout=600)
    assert refused.returncode == 2 and "between 0 and 1" in refused.stderr


def test_help_says_formats_may_differ_within_a_pair():
    """A user with report.zh.docx and report.en.pdf read "NAME.zh.txt ↔ NAME.en.txt" only (and ``double
    backticks``) and could not tell whether they would pair."""
    run = subprocess.run([PYTHON, "-m", "workbench", "batch", "--help"], capture_output=True, text=True,
                         env=subprocess_env(), timeout=120)
    assert "report.zh.docx with report.en.pdf" in run.stdout and "``" not in run.stdout
    assert "--min-confidence X" in run.stdout


def test_a_batch_does_not_replace_a_pair_of_the_same_names_it_did_not_align(tmp_path):
    """Session 16's walk: a folder holding another report.zh.docx / report.en.docx than the corpus's, batched into
    the app's store, replaced the alignment an editor was reviewing ("0/9 confirmed", a document changed): the
    store names a folder's files by their names, as the app names the corpus's. The pair is refused, said why; the
    corpus folder itself (the same files, a new revision) is still aligned."""
    from handmade import make_document, one_to_one

    from workbench import review
    from workbench.store import Store

    home = tmp_path / "home"
    (home / "corpus").mkdir(parents=True)
    db = home / "aligned" / "workbench.db"
    with Store(db) as store:
        zh = make_document("minutes.zh.txt", "zh", [["甲方同意。", "乙方反对。", "会议结束。"]])
        en = make_document("minutes.en.txt", "en", [["A agreed.", "B objected.", "The meeting ended."]])
        review.align_pair(store, zh, en, one_to_one(3), model="bundled")
    other = tmp_path / "incoming"
    other.mkdir()
    for folder in (other, home / "corpus"):
        (folder / "minutes.zh.txt").write_text("".join(ZH) + "\n", encoding="utf-8")
        (folder / "minutes.en.txt").write_text(" ".join(EN) + "\n", encoding="utf-8")
    env = {**subprocess_env(), "WORKBENCH_HOME": str(home)}
    env.pop("WORKBENCH_DB", None)
    refused = subprocess.run([PYTHON, "-m", "workbench", "batch", str(other), "--quiet", "--jobs", "1"],
                             capture_output=True, text=True, env=env, timeout=600)
    assert refused.returncode == 1
    assert ("minutes.zh.txt ↔ minutes.en.txt: the store already holds a pair minutes.zh.txt ↔ minutes.en.txt that "
            "was not aligned by a batch") in refused.stderr
    with Store(db) as store:
        pair = store.find_pair("minutes.zh.txt", "minutes.en.txt")
        assert store.segment(pair.zh_document_id, 0).text == "甲方同意。"  # untouched
    corpus = subprocess.run([PYTHON, "-m", "workbench", "batch", str(home / "corpus"), "--quiet", "--jobs", "1"],
                            capture_output=True, text=True, env=env, timeout=600)
    assert corpus.returncode == 0, corpus.stderr


def test_a_pair_copied_under_another_name_is_named(tmp_path):
    """Session 35's walk: ``plain copy.zh.txt`` / ``plain copy.en.txt`` (a copy of ``plain.*``) were aligned again
    without a word, and the TMX held every unit of the pair twice."""
    root, out = tmp_path / "in", tmp_path / "out"
    root.mkdir(), out.mkdir()
    for name in ("minutes", "minutes copy"):
        (root / f"{name}.zh.txt").write_text("".join(ZH) + "\n", encoding="utf-8")
        (root / f"{name}.en.txt").write_text(" ".join(EN) + "\n", encoding="utf-8")
    run = subprocess.run([PYTHON, "-m", "workbench", "batch", str(root), "--quiet", "--store", str(out / "s.db"),
                          "--jobs", "1"], capture_output=True, text=True, env=subprocess_env(), timeout=600)
    assert run.returncode == 0, run.stderr
    assert ("warning: minutes.zh.txt ↔ minutes.en.txt holds the same two texts as minutes copy.zh.txt ↔ "
            "minutes copy.en.txt") in run.stderr, run.stderr


def test_one_english_file_in_two_pairs_is_named(tmp_path):
    """Session 35's walk: ``plain.en.txt`` was paired with both ``plain.zh.txt`` and ``plain.zh.docx`` (different
    texts, so the copy warning above did not fire) without a word, its sentences twice in the TMX."""
    from docx import Document as Docx

    root, out = tmp_path / "in", tmp_path / "out"
    root.mkdir(), out.mkdir()
    (root / "minutes.zh.txt").write_text("".join(ZH) + "\n", encoding="utf-8")
    word = Docx()
    for line in ZH[:2]:  # an earlier draft: not the same text
        word.add_paragraph(line)
    word.save(root / "minutes.zh.docx")
    (root / "minutes.en.txt").write_text(" ".join(EN) + "\n", encoding="utf-8")
    run = subprocess.run([PYTHON, "-m", "workbench", "batch", str(root), "--quiet", "--store", str(out / "s.db"),
                          "--jobs", "1"], capture_output=True, text=True, env=subprocess_env(), timeout=600)
    assert run.returncode == 0, run.stderr
    assert "2 pairs: 2 aligned" in run.stdout, run.stdout
    assert ("warning: minutes.en.txt is paired with both minutes.zh.docx ↔ minutes.en.txt and minutes.zh.txt ↔ "
            "minutes.en.txt") in run.stderr, run.stderr
    assert "holds the same two texts" not in run.stderr
