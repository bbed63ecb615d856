"""Corpus page: the documents in the corpus folder, uploads, pairing and alignment."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from workbench import file_reads, pair_list, review, settings, uploads
from workbench.embed import BUNDLED, USE
from workbench.errors import WorkbenchError
from workbench.file_reads import Listing
from workbench.progress import OverallProgress, Snapshot, format_seconds
from workbench.store import Store
from workbench.ui.page_state import PageState, kept
from workbench.ui.shell import flash, list_corpus_file, literal, missing_files, plain, record_upload, recorded_listing

OTHER_MODEL = "a local model folder or hub id…"
_LANGUAGE = {"zh": "Chinese", "en": "English"}
_UPLOAD_ROUND = "_upload_round"
KINDS = ", ".join(uploads.SUFFIXES[:-1]) + " or " + uploads.SUFFIXES[-1]  # ".txt, .md, … or .epub"


@dataclass
class CorpusChoices(PageState):
    """What the Corpus page keeps over a page switch: the pair being set up and the model."""

    pair_zh: str | None = kept(None)
    pair_en: list[str] = kept(factory=list)
    model_choice: str = kept(BUNDLED)
    model_path: str = kept("")


def _documents(store: Store, reading: Callable[[int, int, str], None] | None = None,
               ) -> dict[str, tuple[Path, Listing | None, str | None]]:
    """Every file in the corpus folder by the name shown; one that cannot be used has its error. Files not read
    before are read last, each announced to ``reading`` (index, count, name): a first open of a folder of PDFs
    showed a blank page for a minute."""
    out: dict[str, tuple[Path, Listing | None, str | None]] = {}
    unread = []
    for entry in uploads.corpus_listing():
        recorded = (None, entry.problem) if entry.problem is not None else recorded_listing(store, entry.path)
        out[entry.name] = (entry.path, *(recorded or (None, None)))
        if recorded is None:
            unread.append(entry)
    for k, entry in enumerate(unread):
        if reading is not None:
            reading(k, len(unread), entry.name)
        out[entry.name] = (entry.path, *list_corpus_file(store, entry.path))
    file_reads.prune(settings.corpus_dir(), _fingerprints(path for path, _, _ in out.values()))
    return out


def _fingerprints(paths: Iterable[Path]) -> set[str]:
    """The read records' keys of ``paths`` (hashed already while listing them: memoised)."""
    out = set()
    for path in paths:
        try:
            out.add(file_reads.fingerprint(path))
        except OSError:
            pass
    return out


def _upload(store: Store, data: bytes, name: str, replace: bool = False) -> None:
    st.session_state.setdefault(_UPLOAD_ROUND, 0)  # keeps "Add documents" open for the next one
    again = uploads.already_there(data, name)
    try:
        existed = replace and not again and (settings.corpus_dir() / uploads.clean_name(name)).exists()
        path, doc = uploads.accept_upload(data, name, replace=replace)
    except WorkbenchError as exc:
        flash("error", str(exc))
    else:
        record_upload(store, path, doc)
        if again:  # "Added" again read as a second copy
            flash("info", f"{path.name} is already in the corpus (the same file): nothing was added.")
            return
        n = len(doc.alignable_sentences())
        what = f"{_LANGUAGE[doc.lang]}, {n} sentence{'s' if n != 1 else ''}"
        if existed:
            flash("success", f"Replaced {path.name} with its new version ({what}; the old file is kept in "
                             f"{settings.aligned_dir() / 'replaced'}). Align or trace it again: decisions on "
                             "unchanged text are kept.")
        else:
            flash("success", f"Added {path.name} ({what})")
        named = uploads.named_language(path.name)
        if named and named != doc.lang:  # e.g. the English original saved as report.zh.txt
            flash("warning", f"{path.name} is named as {_LANGUAGE[named]} but its text is {_LANGUAGE[doc.lang]}: "
                             f"it is listed as {_LANGUAGE[doc.lang]}; rename or replace the file if that is wrong.")


def _on_paste(store: Store) -> None:
    text, name = st.session_state.get("paste_text", ""), st.session_state.get("paste_name", "").strip()
    if not name:
        flash("error", "Give the pasted document a file name, e.g. report.en.txt")
        return
    saved_as = uploads.pasted_name(name)
    typed = name.rpartition(".")[2].lower()
    if saved_as != name and f".{typed}" in uploads.SUFFIXES:  # e.g. report.en.pdf
        flash("warning", f"Pasted text is plain text: it is saved as {saved_as}, not as a .{typed} file.")
    _upload(store, text.encode("utf-8"), saved_as)


def _remove_panel(names: list[str]) -> None:
    """A wrong upload (a file picked by mistake, a duplicate) was listed on every page with no way out but the
    file manager; removing moves it aside, so nothing is lost."""
    with st.expander("Remove documents"):
        st.multiselect("Documents to take out of the corpus", names, key="remove_docs",
                       help="Each file is moved to the removed/ folder beside the store, not deleted. Pairs, "
                            "decisions and traces made on it stay in the store; uploading it again brings it back.")
        st.button("Remove from the corpus", key="remove_docs_button", on_click=_on_remove,
                  disabled=not st.session_state.get("remove_docs"))


def _on_remove() -> None:
    for name in st.session_state.get("remove_docs", []):
        try:
            kept = uploads.remove_from_corpus(name)
        except WorkbenchError as exc:
            flash("error", str(exc))
        else:
            flash("success", f"Removed {name} from the corpus (moved to {kept}; upload it again to bring it back).")
    st.session_state["remove_docs"] = []


def render(store: Store) -> None:
    st.caption(f"Corpus folder `{settings.corpus_dir()}` · store `{store.path}`")
    bar = st.empty()

    def reading(k: int, count: int, name: str) -> None:
        bar.progress(k / count, text=f"Reading {name} ({k + 1} of {count} file{'s' if count != 1 else ''} "
                                     "not read before; each is read once)…")

    docs = _documents(store, reading)
    bar.empty()
    if docs:
        rows = []
        for name, (_, doc, error) in docs.items():
            rows.append({
                "document": name,
                "language": doc.lang if doc else "—",
                "sentences": doc.sentences if doc else 0,
                "characters": doc.characters if doc else 0,  # None showed as the word "None"
                "encoding": doc.encoding if doc else "",
                "title": doc.title if doc else "",  # from the HTML/EPUB/PDF's own metadata
                "url": doc.url if doc else "",
                "notes": "; ".join(doc.warnings) if doc else f"cannot read: {error}",
            })
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                     column_config={"url": st.column_config.LinkColumn("url")})
        unreadable = [error or name for name, (_, doc, error) in docs.items() if doc is None]
        if unreadable:  # the table's narrow last column cut each reason after a few words
            st.warning(literal(
                f"{len(unreadable)} file{'s' if len(unreadable) != 1 else ''} in the corpus folder cannot be used "
                f"(not offered for aligning, tracing or checks): {'; '.join(unreadable)}. Upload a good copy with "
                f"“{uploads.REPLACE_HINT}” ticked, or take {'them' if len(unreadable) != 1 else 'it'} out under "
                "Remove documents."))
    nested = pair_list.subfolder_documents(settings.corpus_dir())
    if nested:
        n, folders = len(nested), sorted({name.split("/")[0] + "/" for name in nested})
        top = "" if docs else " none at its top level;"
        st.info(literal(
            f"The corpus folder {settings.corpus_dir()} has{top} {n} document{'s' if n != 1 else ''} in subfolders "
            f"({', '.join(folders[:5])}{' …' if len(folders) > 5 else ''}) that this page does not list: it aligns "
            "and traces the folder's own files. A batch reads subfolders: the pairs it aligned are under Pairs below "
            "(Review opens them). To align one here, upload it or move it to the corpus folder itself."))
    elif not docs:
        st.info(f"The corpus folder {settings.corpus_dir()} has no {KINDS} documents yet: upload one below.")

    # open while the corpus is empty, and after an upload (the editor is likely adding several files)
    with st.expander("Add documents", expanded=not docs or _UPLOAD_ROUND in st.session_state):
        files = st.file_uploader(
            f"Upload {KINDS} (at most {uploads.UPLOAD_LIMIT // 2**20} MB each)",
            type=[s.lstrip(".") for s in uploads.SUFFIXES], accept_multiple_files=True,
            key=f"uploads_{st.session_state.get(_UPLOAD_ROUND, 0)}",
        )
        replace = st.checkbox(uploads.REPLACE_HINT, key="upload_replace",
                              help="Otherwise a file whose name is taken by a different file is refused.")
        if files and st.button("Add uploaded files to the corpus", key="add_uploads"):
            for f in files:
                with st.spinner(f"Reading {f.name} ({f.size / 2**20:.1f} MB)…"):  # a long report takes seconds
                    _upload(store, f.getvalue(), f.name, replace)
            # a new uploader key empties it: otherwise the next batch would add these files again
            st.session_state[_UPLOAD_ROUND] = st.session_state.get(_UPLOAD_ROUND, 0) + 1
            st.rerun()
        st.text_input("…or paste a document: file name", key="paste_name", placeholder="report.en.txt")
        st.text_area("Text", key="paste_text", height=120)
        st.button("Add pasted document", key="add_paste", on_click=_on_paste, args=(store,))
    if docs:
        _remove_panel(list(docs))

    st.subheader("Align a Chinese document with its English source(s)")
    zh_names = [n for n, (_, d, _) in docs.items() if d and d.lang == "zh"]
    en_names = [n for n, (_, d, _) in docs.items() if d and d.lang == "en"]
    if not zh_names or not en_names:
        st.info("Aligning needs at least one Chinese and one English document in the corpus.")
    else:
        shown = st.session_state.get(_ALIGN_SHOWN, ())  # the documents the Align button was last drawn with
        if st.session_state.get("pair_zh") not in zh_names:
            # start with a Chinese document whose English source is named like it, if there is one
            st.session_state["pair_zh"] = next(
                (z for z in zh_names if uploads.suggest_sources(z, en_names)), zh_names[0])
            st.session_state["pair_en"] = uploads.suggest_sources(st.session_state["pair_zh"], en_names)

        def suggest() -> None:
            st.session_state["pair_en"] = uploads.suggest_sources(st.session_state["pair_zh"], en_names)

        zh_name = st.selectbox("Chinese document", zh_names, key="pair_zh", on_change=suggest)
        en_pick = st.multiselect("English source(s)", en_names, key="pair_en",
                                 help="Each English source becomes its own pair with the Chinese document.")
        choice = st.radio("Embedding model", [BUNDLED, USE, OTHER_MODEL], key="model_choice", horizontal=True,
                          help="bundled = multilingual-e5-small (offline, the more accurate); "
                               "use = Universal Sentence Encoder (offline, about 8× faster)")
        model = choice
        if choice == OTHER_MODEL:
            model = st.text_input("Model folder or hub id (must be available offline)", key="model_path").strip()
        _realign_notice(store, zh_name, en_pick)
        st.session_state[_ALIGN_SHOWN] = (zh_name, *en_pick)
        if st.button("Align", key="align", type="primary", disabled=not en_pick):
            gone = [name for name in shown if name not in docs]
            if gone:  # the choices fell back to other documents: the click was for the ones shown
                st.error(literal(f"Not aligned: {' and '.join(gone)} left the corpus (removed in another tab or "
                                 "session) after you chose it. Check the choice above, then press Align again."))
            else:
                _align(store, docs, zh_name, en_pick, model)

    _pairs(store)


_ALIGN_SHOWN = "_align_shown"


def _realign_notice(store: Store, zh_name: str, en_names: list[str]) -> None:
    """Before the click: which chosen pairs are aligned already and what aligning them again replaces."""
    for en_name in en_names:
        pair = store.find_pair(zh_name, en_name)
        if pair is None or pair.aligned_at is None:
            continue
        confirmed, changed = review.realign_cost(store, pair.id)
        if changed:
            st.warning(literal(
                f"{zh_name} ↔ {en_name} is aligned already: aligning it again keeps its {confirmed} confirmed "
                f"bead{'s' if confirmed != 1 else ''} and replaces the {changed} bead{'s' if changed != 1 else ''} "
                f"changed on Review but not confirmed (merges, splits, moves) with the aligner's. Confirm "
                f"{'them' if changed != 1 else 'it'} on Review first to keep {'them' if changed != 1 else 'it'}."))


def _align(store: Store, docs, zh_name: str, en_names: list[str], model: str) -> None:
    if not model:
        st.error("Type the path of a local sentence-transformers model folder or a hub id already in the cache.")
        return
    bar = st.progress(0.0, text="Starting…")
    runs = len(en_names)
    prefix = ""  # the pair being aligned, read by ``draw`` when it draws

    def draw(snap: Snapshot) -> None:
        bar.progress(snap.fraction, text=f"{prefix}{snap.text()}")

    overall = OverallProgress(draw, runs=runs)  # one bar for every pair, with the time left
    aligned: list[int] = []
    for k, en_name in enumerate(en_names):
        prefix = f"{zh_name} ↔ {en_name} ({k + 1} of {runs}): " if runs > 1 else f"{zh_name} ↔ {en_name}: "

        def warn(warning: str, en_name: str = en_name) -> None:
            from workbench.trace_review import with_tracing_hint  # only loaded when a warning needs it

            st.warning(literal(f"{zh_name} ↔ {en_name}: {with_tracing_hint(warning)}"))

        try:
            pair, kept = review.align_files(store, docs[zh_name][0], docs[en_name][0], model, progress=overall,
                                            on_warning=warn)
        except WorkbenchError as exc:
            st.error(literal(f"{zh_name} ↔ {en_name}: {exc}"))
            continue
        finally:
            overall.next_run()
        aligned.append(pair.id)
        _, total = store.progress(pair.id)
        kept_note = f"; kept {kept} confirmed beads whose text is unchanged" if kept else ""
        st.success(literal(f"Aligned {zh_name} ↔ {en_name}: {total} bead{'s' if total != 1 else ''}{kept_note}."))
    overall.finish()
    if aligned:
        from workbench.ui.review_page import open_on_review

        open_on_review(store, aligned[0])
    bar.progress(1.0, text=f"Done: {runs} alignment{'s' if runs > 1 else ''} in "
                           f"{format_seconds(overall.clock() - overall.started)}.")


def _pairs(store: Store) -> None:
    pairs = store.pairs()
    if not pairs:
        return
    st.subheader("Pairs")
    row = st.container(horizontal=True, vertical_alignment="bottom")
    text = row.text_input("Find pairs by name", key="pair_find", placeholder="e.g. report or mac-dev/003",
                          help="Every word must be in the Chinese or the English document's name.")
    unfinished = row.checkbox("Only pairs with beads to confirm", key="pair_unfinished")
    found = pair_list.find_pairs(store, text, unfinished, pairs=pairs)
    if found.matched < found.total or found.matched > len(found.lines):
        more = (f"; the first {len(found.lines)} are shown: type more of a name to narrow them"
                if found.matched > len(found.lines) else "")
        st.caption(f"{found.matched} of {found.total} pairs match{more}.")
    for line in found.lines:
        p, confirmed, total = line.pair, line.confirmed, line.total
        cols = st.columns([5, 2, 2])
        stale = " · ⚠️ a document changed: align again to update (confirmed beads are kept)" if store.is_stale(p.id) else ""
        gone = missing_files(p.zh_name, p.en_name)
        if gone:  # its beads are still in the store, but the pair cannot be aligned again from here
            stale = f" · ⚠️ {plain(' and '.join(gone))} not in the corpus folder: put {'it' if len(gone) == 1 else 'them'} there to align again"
        cols[0].markdown(f"**{plain(p.zh_name)}** ↔ **{plain(p.en_name)}**  \nmodel {plain(p.model)} · "
                         f"aligned {p.aligned_at or 'never'}{stale}", unsafe_allow_html=True)
        cols[1].progress(confirmed / total if total else 0.0, text=f"{confirmed}/{total} confirmed")
        cols[2].page_link("ui/pages/review.py", label="Review", icon="✅", query_params={"pair": str(p.id)})
