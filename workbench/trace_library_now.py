"""What the library an open trace searched holds now: the passages whose English it no longer holds where the
trace found it (a source removed, or replaced by a version that reads otherwise there), for the Tracing page to
mark beside each and count once above. Nothing is embedded and a missing folder is never created."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from workbench.store.traces import TraceCandidate
from workbench.trace import SourceLibrary
from workbench.trace.library_confirmed import CONFIRMED_PREFIXES
from workbench.trace.library_confirmed import KIND as CONFIRMED_KIND

GONE, CHANGED = "gone", "changed"
# its source left (or now reads otherwise there), but the library keeps this English among its confirmed pairs:
# a new trace finds it again (a new article's passages found through pairs confirmed before were told it would not).
# Two states: a source replaced by an edited version is still in the library, and "no longer in the library"
# was said of its confirmed sentence after a re-trace.
KEPT, KEPT_CHANGED = "kept", "kept-changed"


@dataclass
class LibraryNow:
    """What the library an open trace searched holds now, for the page to mark what left it."""

    passages: dict[tuple[str, tuple[int, ...]], str]  # (source, sentences) → GONE, CHANGED or KEPT
    held: set[str]  # the names of its sources


def passage_states(directory: str, shown: Iterable[TraceCandidate]) -> LibraryNow | None:
    """For the passages of an open trace, those whose English the library in ``directory`` no longer holds
    where the trace found it: GONE (its source left the library) or CHANGED (the source was replaced and
    those sentences read otherwise), KEPT where either is so but the library's confirmed pairs hold that
    English. None when the library folder itself is gone. Nothing is embedded: the library is opened
    without a model, and a missing folder is never created."""
    if not (Path(directory) / "library.sqlite").is_file():
        return None
    library = SourceLibrary(Path(directory))
    try:
        held = {info.name for info in library.sources()}
        confirmed: set[str] | None = None  # read once, when a passage needs it
        out: dict[tuple[str, tuple[int, ...]], str] = {}
        for c in shown:
            if c.source.startswith(CONFIRMED_PREFIXES) or (c.source, c.en) in out:
                continue  # a confirmed source is derived from the decisions themselves
            state = GONE if c.source not in held else \
                CHANGED if library.passage_text(c.source, c.en) != c.en_text else None
            if state is not None:
                if confirmed is None:
                    confirmed = {h.text.strip() for info in library.sources(kind=CONFIRMED_KIND)
                                 for h in library.window(info.id, 0, info.sentences)}
                kept = KEPT if state == GONE else KEPT_CHANGED
                out[(c.source, c.en)] = kept if c.en_text.strip() in confirmed else state
        return LibraryNow(out, held)
    finally:
        library.close()


def left_message(now: LibraryNow, shown: Iterable[TraceCandidate]) -> str | None:
    """The page's line above an open trace whose library changed under it: how many passages' English the library
    no longer holds where they were found, naming the sources that left and those that read otherwise now."""
    marked = [(c.source, s) for c in shown if (s := now.passages.get((c.source, c.en))) in (GONE, CHANGED)]
    if not marked:
        return None
    gone = sorted({name for name, s in marked if s == GONE})
    changed = sorted({name for name, s in marked if s == CHANGED})
    names = [f"{', '.join(gone)} left it"] if gone else []
    names += [f"{', '.join(changed)} {'reads' if len(changed) == 1 else 'read'} otherwise there now"] if changed else []
    return (f"{len(marked)} passage{' comes' if len(marked) == 1 else 's come'} from English the library no longer "
            f"holds where this trace found it ({'; '.join(names)}): marked ⚠ below. Decisions on them are kept; a "
            "confirmed pair stays in the export and in the library's memory.")
