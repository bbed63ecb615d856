"""Terms page: the term-check flags of one Chinese document, most suspicious first, each with its
sentence and aligned English; accept a fix (undoable), dismiss a false alarm, or add a glossary entry.

Flags, fixes, false alarms and the glossary all live in the store; this page only renders them and
calls :mod:`workbench.term_review`, which holds the logic.
"""
from __future__ import annotations

import streamlit as st

from workbench import corrected, review, term_review, terms, uploads
from workbench.errors import WorkbenchError
from workbench.model import Document
from workbench.store import DocumentInfo, Store, TermFlag
from workbench.term_review import Context, context_of, english_by_sentence, last_fix, pair_of, scope_of
from workbench.ui.page_state import forget_unlisted
from workbench.ui.review_page import open_on_review, review_link
from workbench.ui.shell import TermsChoices, act, decision_label, flash, is_chinese, literal, plain, read_corpus_file

MAX_SHOWN = 60
_SCOPE = "terms"  # the store's view-state scope of this page


# ------------------------------------------------------------------------------ Streamlit
def _pick_document(store: Store) -> DocumentInfo | None:
    names = sorted({d.name for d in store.documents() if d.lang == "zh"}
                   | {p.name for p in uploads.corpus_files() if is_chinese(store, p)})
    if not names:
        st.info("No Chinese document yet: add one on the Corpus page.")
        return None
    TermsChoices.load(store, _SCOPE)  # a reload (a new session) shows the document this editor had open
    forget_unlisted("terms_doc", names)
    name = st.selectbox("Chinese document", names, key="terms_doc")
    TermsChoices.load().save(store, _SCOPE)
    try:
        return term_review.ensure_stored(store, name, read_corpus_file)
    except WorkbenchError as exc:
        st.error(literal(str(exc)))  # a file name is data, not Markdown
        return None


def _run(store: Store, document_id: int, threshold: float) -> None:
    try:
        n = term_review.run_checks(store, document_id, threshold)
        st.session_state.setdefault(_NOTES, {})[document_id] = term_review.document_notes(store, document_id)
        st.session_state.setdefault(_RUN_AT, {})[document_id] = threshold
    except WorkbenchError as exc:
        flash("error", str(exc))
    else:
        flash("success", f"{n} flag{'' if n == 1 else 's'} at threshold {threshold:.2f}.")


def _fix(store: Store, document_id: int, flag: TermFlag, key: str) -> None:
    replacement = st.session_state.get(key, "")
    if not replacement.strip():
        flash("error", "Type the replacement text first: the box holds what replaces the highlighted text.")
        return
    if replacement.strip() == flag.text:  # was "Replaced '米国' with '米国'", and a no-op decision to undo
        flash("info", f"The box still holds '{flag.text}' itself, so nothing was changed: type the corrected text, "
                      "or press False alarm if the text is right.")
        return
    try:
        fix = term_review.preview_fix(store, document_id, flag, replacement)
    except WorkbenchError as exc:
        flash("error", str(exc))
        return
    # the whole sentence both ways: a fix that is right for the span can still break its word. As typed:
    # a message is shown through ``shell.literal`` (escaped again here, "(UN)" read "\\(UN\\)" on screen)
    act(f"Replaced '{flag.text}' with '{replacement}' in sentence {fix.index + 1} (undo is available).  \n"
        f"Before: {fix.before}  \nAfter: {fix.after}",
        term_review.apply_fix, store, document_id, flag, replacement)


def _dismiss(store: Store, flag: TermFlag) -> None:
    act(f"'{flag.text}' will not be flagged by {flag.check} again in this corpus.",
        store.add_false_alarm, flag.text, flag.check)


def _download_corrected(store: Store, info: DocumentInfo) -> None:
    """A Chinese-only document has no pair, so the Export page offered nothing for it: the fixes made here
    could not be taken away. Its corrected text is offered once it holds an edit."""
    edited = sum(s.edited is not None for s in store.segments(info.id))
    if not edited:
        return
    stem = info.name.rsplit(".", 1)[0]
    st.download_button(f"Download the corrected text ({edited} sentence{'' if edited == 1 else 's'} changed)",
                       corrected.corrected_text(store, info.id).encode("utf-8"), file_name=f"{stem}.corrected.txt",
                       mime="text/plain", key="terms_download",
                       help="UTF-8 text as the workbench read the file, your fixes in place; an aligned pair's "
                            "fixes also reach its exports on the Export page.")


def _dismissed(store: Store) -> None:
    """False alarms are remembered for the whole corpus; this is where an editor takes one back."""
    alarms = sorted(store.false_alarms())
    if not alarms:
        return
    with st.expander(f"Dismissed as false alarms ({len(alarms)})"):
        for k, (text, check) in enumerate(alarms):
            cols = st.columns([5, 1])
            cols[0].markdown(f"<b>{plain(text)}</b> · `{check}`", unsafe_allow_html=True)
            cols[1].button("Restore", key=f"terms_restore_{k}", on_click=act,
                           args=(f"'{text}' will be flagged by {check} again from the next check run.",
                                 store.remove_false_alarm, text, check))


def _glossary(store: Store) -> None:
    """The glossary's entries, each removable (a typo in one was there for good), and a CSV to add many at once."""
    entries = store.glossary()
    with st.expander(f"Glossary ({len(entries)} entr{'y' if len(entries) == 1 else 'ies'})"):
        st.file_uploader("Add entries from a glossary CSV (English and Chinese columns, as `check --glossary` takes)",
                         type=["csv", "tsv", "txt"], key="terms_glossary_file", on_change=_import_glossary,
                         args=(store,))
        for entry in entries:
            cols = st.columns([5, 1])
            cols[0].markdown(f"{plain(entry.en)} → <b>{plain(entry.zh)}</b> · {plain(entry.source)}",
                             unsafe_allow_html=True)
            cols[1].button("Remove", key=f"terms_gl_remove_{entry.id}", on_click=act,
                           args=(f"Removed {entry.en} → {entry.zh} from the glossary (used from the next check run).",
                                 store.remove_glossary, entry.id))


def _import_glossary(store: Store) -> None:
    upload = st.session_state.get("terms_glossary_file")
    if upload is None:
        return
    try:
        read, added = term_review.import_glossary(store, upload.name, upload.getvalue())
    except WorkbenchError as exc:
        flash("error", str(exc))
        return
    flash("success", f"{upload.name}: {read} entr{'y' if read == 1 else 'ies'} read, {added} new "
                     "(used from the next check run; an aligned document's English is checked against them).")


def _to_glossary(store: Store, flag: TermFlag, en_key: str, zh_key: str) -> None:
    en = st.session_state.get(en_key, "").strip()
    zh = st.session_state.get(zh_key, "").strip()
    act(f"Glossary: {en} → {zh}.", store.add_glossary, en, zh, "editor")


def _highlight(text: str, where: tuple[int, int] | None) -> str:
    if where is None:
        return plain(text)
    a, b = where
    return (plain(text[:a]) + "<mark><b>" + plain(text[a:b]) + "</b></mark>" + plain(text[b:]))


_HIDDEN_CHECKS = "terms_hidden_checks"
_NOTES = "terms_notes"  # document id → the document-wide notes of its last check run
_RUN_AT = "terms_run_at"  # document id → the minimum score of its last check run in this session
_THRESHOLDS = "terms_thresholds"  # document id → the minimum score the editor chose for it


def threshold_key(document_id: int) -> str:
    """The slider's key: one per document, so a score chosen for one document does not silently carry
    over to the next, which starts at the default."""
    return f"terms_threshold_{document_id}"


def threshold_note(threshold: float, run_at: float | None) -> str:
    """What the minimum score means for this document, said where it differs from what one expects."""
    note = f"Minimum score {threshold:.2f} for this document"
    if abs(threshold - terms.DEFAULT_THRESHOLD) > 1e-9:
        note += f" (default {terms.DEFAULT_THRESHOLD:.2f})"
    if run_at is not None and run_at > threshold + 1e-9:
        note += f"; the checks last ran at {run_at:.2f}, so run them again to see flags between the two"
    return note + "."


def _remember_threshold(document_id: int) -> None:
    # a new dict, not one changed in place: the store's copy of the view is compared with it when the next
    # run saves it (`_pick_document`)
    chosen = st.session_state.get(_THRESHOLDS, {})
    st.session_state[_THRESHOLDS] = {**chosen, str(document_id): st.session_state[threshold_key(document_id)]}


def _remember_hidden_checks(key: str, checks: list[str]) -> None:
    st.session_state[_HIDDEN_CHECKS] = sorted(set(checks) - set(st.session_state[key]))  # a list: kept as JSON


def render(store: Store) -> None:
    info = _pick_document(store)
    if info is None:
        return
    document_id = info.id
    pair = pair_of(store, document_id)
    if pair is not None:  # the sidebar's Review then opens this document's pair, not the one last reviewed
        open_on_review(store, pair.id)
    st.caption(f"{info.name}: {info.chars:,} characters"
               + (f" · aligned with {pair.en_name} (pair checks on)" if pair else " · not aligned (Chinese-only checks)"))
    stale = None if pair else next((p for p in store.pairs() if p.aligned_at and p.zh_name == info.name), None)
    if stale is not None:  # "not aligned" alone, for a document the editor aligned and reviewed, read as lost work
        st.warning(literal(f"{info.name} changed since it was aligned with {stale.en_name}: these checks read the file "
                           "as it is now, without the English. Align the pair again (Review page) for the pair "
                           "checks; fixes made here are kept."))
    cols = st.columns([2, 2, 2])
    chosen = st.session_state.get(_THRESHOLDS, {})
    # kept outside the widget: Streamlit forgets a widget's value while another document's slider is shown;
    # and in the store (``TermsChoices``): a reload shows the score this editor chose for the document
    threshold = cols[0].slider("Minimum score", 0.0, 1.0, chosen.get(str(document_id), terms.DEFAULT_THRESHOLD), 0.05,
                               key=threshold_key(document_id), help="Set per document; each starts at the default.",
                               on_change=_remember_threshold, args=(document_id,))
    cols[1].button("Run checks", key="terms_run", type="primary", on_click=_run, args=(store, document_id, threshold))
    fix = last_fix(store, document_id)
    latest = fix or store.last_live(scope_of(store, document_id))
    why = None if fix else "no term fix to undo" if latest is None else (
        f"the latest change is “{latest.label}”, not a term fix: undo it on the Review page")
    cols[2].button("↶ Undo last fix", key="terms_undo", disabled=fix is None,
                   help=why or f"undo: {decision_label(fix) if fix else ''}", on_click=act,
                   args=(f"Undone: {decision_label(fix) if fix else ''}.", term_review.undo_last, store, document_id))
    st.caption(threshold_note(threshold, st.session_state.get(_RUN_AT, {}).get(document_id)))
    _download_corrected(store, info)
    _dismissed(store)
    _glossary(store)

    flags = store.flags(document_id)
    notes = st.session_state.setdefault(_NOTES, {})
    if document_id not in notes and flags:  # checked before this session (a reload): its notes went with the old one
        notes[document_id] = term_review.document_notes(store, document_id)
    for note in notes.get(document_id, []):
        st.info("Whole document: " + plain(note))
    if not flags:
        st.info("No flags stored for this document: press **Run checks**.")
        return
    checks = sorted({f.check for f in flags})
    # Remember which checks the editor hid, not which were shown: a re-run that finds a new kind of
    # flag must show it (a multiselect keyed once kept the old selection and hid the new kind).
    key = "terms_checks_" + ",".join(checks)
    hidden = set(st.session_state.get(_HIDDEN_CHECKS, ()))
    chosen = st.multiselect("Checks", checks, default=[c for c in checks if c not in hidden], key=key,
                            on_change=_remember_hidden_checks, args=(key, checks))
    segments = store.segments(document_id)
    fixed = [f for f in flags if term_review.already_fixed(f, segments)]
    shown = [f for f in flags if f.check in chosen and f.score >= threshold and f not in fixed]
    # "0 of 1 stored flags shown" after the one flag was fixed left the editor wondering where it went
    st.caption(f"{len(shown)} of {len(flags)} stored flags shown" + (f" (first {MAX_SHOWN})" if len(shown) > MAX_SHOWN else "")
               + (f"; {len(fixed)} fixed (Undo last fix takes the latest back)" if fixed else ""))
    english = english_by_sentence(store, document_id)
    views = store.bead_views(pair.id) if pair else []
    doc: list[Document] = []  # read once, only for a flag outside the sentences
    for flag in shown[:MAX_SHOWN]:
        ctx = context_of(flag, segments, english)
        bead = review.bead_of_sentence(views, ctx.segment.index) if pair and ctx.segment else None
        if ctx.segment is None and not doc:
            doc.append(store.load_document(document_id, edited=False))
        why = None if ctx.segment is not None else term_review.unfixable_reason(doc[0], flag)
        _flag_row(store, document_id, flag, ctx, (pair.id, bead.bead.position) if pair and bead else None, why)


def _flag_row(store: Store, document_id: int, flag: TermFlag, ctx: Context, bead: tuple[int, int] | None,
              unfixable: str | None) -> None:
    """One flag; ``bead`` (pair id, bead position) links it to its bead on Review, where the sentence's whole bead
    can be edited (the flag names "sentence 43", Review lists beads); ``unfixable`` says why a flag outside the
    sentences (a footnote) has no fix here, and what to do instead."""
    with st.container(border=True):
        top = st.columns([1, 5])
        top[0].markdown(f"**{flag.score:.2f}**  \n`{flag.check}`")
        top[1].markdown(f"<b>{plain(flag.text)}</b> — {plain(flag.message)}", unsafe_allow_html=True)
        if ctx.segment is not None:
            st.markdown(_highlight(ctx.segment.text, ctx.local), unsafe_allow_html=True)
        else:
            st.caption(literal(unfixable or ""))
        if ctx.english:
            st.caption("EN: " + plain(ctx.english), unsafe_allow_html=True)  # `$5 … $6` must not become LaTeX
        if bead is not None and ctx.segment is not None:
            review_link(st, bead[0], ctx.segment.index, bead[1])
        row = st.columns([3, 1.3, 1.3, 1.6])
        fix_key = f"terms_fix_{flag.id}"
        offered = term_review.prefill(flag, ctx)
        typed = st.session_state.get(fix_key, offered)
        hint = f"usually {flag.suggestion}: type the corrected text" if flag.suggestion and not offered else ""
        row[0].text_input("Replacement", value=offered, key=fix_key, label_visibility="collapsed",
                          placeholder=hint or "replacement text")
        row[1].button("Accept fix", key=f"terms_accept_{flag.id}", disabled=ctx.segment is None, help=unfixable,
                      on_click=_fix, args=(store, document_id, flag, fix_key))
        row[2].button("False alarm", key=f"terms_dismiss_{flag.id}", on_click=_dismiss, args=(store, flag))
        with row[3].popover("Add to glossary"):
            en_key, zh_key = f"terms_gl_en_{flag.id}", f"terms_gl_zh_{flag.id}"
            st.text_input("English term", key=en_key)
            st.text_input("Approved Chinese", value=flag.suggestion or flag.text, key=zh_key)
            st.button("Add", key=f"terms_gl_add_{flag.id}", on_click=_to_glossary, args=(store, flag, en_key, zh_key))
        if ctx.segment is not None and ctx.local is not None and typed.strip():
            a, b = ctx.local
            st.caption("If accepted: " + _highlight(ctx.segment.text[:a] + typed + ctx.segment.text[b:],
                                                    (a, a + len(typed))), unsafe_allow_html=True)
