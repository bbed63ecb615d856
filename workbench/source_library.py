"""The English source library as the Tracing page and the CLI manage it: find, open or refuse its folder, add
files (every readable one goes in, each refused one is named), remove sources, list what an editor added, and
pick the model a trace with it runs with. Split out of ``trace_review`` (which re-exports these names)."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workbench import settings
from workbench.embed import BUNDLED, BUNDLED_QUERY, USE, spec_of
from workbench.errors import BadInput, WorkbenchError
from workbench.trace import SourceLibrary
from workbench.trace.library import Progress, SourceInfo
from workbench.trace.library import remove_sources as library_remove
from workbench.trace.library_confirmed import KIND as CONFIRMED_KIND
from workbench.trace.library_files import read_only_refusal
from workbench.trace.sources import DOCUMENT_SUFFIXES, TMX_SUFFIXES, SourceText

SOURCE_SUFFIXES = DOCUMENT_SUFFIXES + TMX_SUFFIXES  # what ``read_source`` reads, on the page as on the CLI


class LibraryProblem(BadInput):
    """The source library cannot be used as given (no such folder, no sources, another model)."""


def default_library_dir() -> Path:
    """Where the CLI's ``library`` command keeps the library unless told otherwise."""
    return settings.aligned_dir() / "library"


def start_library_dir(store, name: str | None) -> Path:
    """The folder the Tracing page starts at for an editor who chose none: the library the document was last
    traced against, where that folder still holds one (``batch --trace --library SHARED`` fills a store an
    editor opens), else the default; the default alone offered "no sources yet" beside a trace of SHARED."""
    trace = store.latest_trace_of_name(name) if name else None
    if trace is not None and trace.library and (Path(trace.library) / "library.sqlite").is_file():
        return Path(trace.library)
    return default_library_dir()


def _cli_hint(directory: Path) -> str:
    return f"add English sources with `python -m workbench library add FILES --dir {directory}`"


def check_library_folder(directory: Path | str, *, create: bool = False, add_hint: str | None = None) -> Path:
    """The folder, expanded, when it can hold a library (``open_library``'s first check, before any model
    is loaded: a mistyped folder must not cost the editor a model load to be told so)."""
    directory = Path(directory).expanduser()
    if directory.exists() and not directory.is_dir():
        raise LibraryProblem(f"{directory} is a file, not a source library folder")
    if not directory.exists() and not create:
        raise LibraryProblem(f"no source library folder {directory} (check the folder name); "
                             f"{add_hint or _cli_hint(directory)}, then trace again")
    return directory


def open_library(directory: Path | str, embedder, *, create: bool = False, require_sources: bool = True,
                 switch_model: bool = False, add_hint: str | None = None) -> SourceLibrary:
    """The library in ``directory``; a missing folder is created only when asked (the default one), so a
    mistyped path says so instead of starting an empty library there. To trace, it must hold sources.
    ``switch_model``: a library built with another model is re-embedded with ``embedder``. ``add_hint``: how
    the caller's user adds sources (the Tracing page has its own panel; the default names the CLI)."""
    directory = check_library_folder(directory, create=create, add_hint=add_hint)
    how = add_hint or _cli_hint(directory)
    library = SourceLibrary(directory, embedder, switch_model=switch_model)
    if require_sources and not library.sentence_count():
        library.close()
        raise LibraryProblem(f"the source library {directory} holds no sources yet: {how}, then trace again")
    return library


@dataclass
class AddSummary:
    """What adding source files did: every readable file goes in, each refused one is listed with its reason
    (one unreadable file, such as a Chinese article picked by mistake, must not stop or hide the others)."""

    added: int = 0
    skipped: int = 0  # already in the library with the same sentences
    sentences: int = 0
    names: list[str] = field(default_factory=list)  # "name (n sentences)" of each added source
    failures: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)
    replaced: list[str] = field(default_factory=list)  # names whose earlier, different source this one replaced

    def lines(self) -> list[str]:
        replaced = f"; replaced the library's earlier {', '.join(self.replaced)}" if self.replaced else ""
        out = [f"added {self.added} source{'s' if self.added != 1 else ''} ({self.sentences} sentences), "
               f"{self.skipped} already in the library, {len(self.failures)} failed{replaced}"]
        if self.failures:
            out.append("failures:")
            out += [f"  {name}: {reason}" for name, reason in self.failures]
        return out


# (file name, done, total, stage): one step of adding a file; total 0 for a step with no count
AddProgress = Callable[[str, int, int, str], None]


def add_each(library: SourceLibrary, files: Iterable[tuple[str, Callable[[], SourceText]]],
             summary: AddSummary | None = None, progress: AddProgress | None = None) -> AddSummary:
    """Read and add each (name, reader) in turn, as ``library add`` and the Tracing page both do: a file
    already held with the same sentences is skipped before embedding; one that cannot be read is listed in
    the summary's failures and the rest go in (one index write at the end). ``progress`` hears the real
    work on each file (reading, embedding, training the index): a 300,000-sentence source showed
    "0/1 file" for minutes."""
    summary = summary if summary is not None else AddSummary()
    held = {s.name for s in library.sources()}
    batch: set[str] = set()  # sources are known by name: a second file of one name replaced the first unsaid
    with library.deferred_index_saves():
        for name, read in files:
            try:
                if progress is not None:
                    progress(name, 0, 0, "reading")
                source = read()
                if library.holds(source):
                    summary.skipped += 1
                    batch.add(source.name)
                    continue
                if source.name in batch:
                    raise BadInput(f"another file named {source.name} comes before it in this batch, and sources "
                                   "are known by file name: rename one of them and add it again")
                info = library.add(source, progress=_of_file(progress, name))
                batch.add(info.name)
            except WorkbenchError as exc:
                summary.failures.append((name, str(exc).removeprefix(f"{name}: ").removeprefix(f"{Path(name).name}: ")))
                continue
            except OSError as exc:
                summary.failures.append((name, f"cannot read it: {exc.strerror or exc}"))
                continue
            except Exception as exc:  # a reader's bug on a hostile file costs that file, not the others
                summary.failures.append((name, f"reading it failed ({type(exc).__name__}: {exc})"))
                continue
            summary.added += 1
            summary.sentences += info.sentences
            replaced = info.name in held
            summary.names.append(f"{info.name} ({info.sentences} sentences"
                                 + ("; it replaced the library's earlier source of that name)" if replaced else ")"))
            if replaced:
                summary.replaced.append(info.name)
    return summary


def _of_file(progress: AddProgress | None, name: str) -> Progress | None:
    if progress is None:
        return None
    return lambda done, total, stage: progress(name, done, total, stage)


def held_sources(directory: Path | str) -> list[SourceInfo] | None:
    """The sources an editor added to the library in ``directory`` (not the confirmed pairs the store keeps
    there), listed without a model; None where the folder holds no library (listing must not make one)."""
    directory = Path(directory).expanduser()
    if not (directory / "library.sqlite").is_file():
        return None
    library = SourceLibrary(directory)
    try:
        return [s for s in library.sources() if s.kind != CONFIRMED_KIND]
    finally:
        library.close()


def trace_model(directory: Path | str | None, asked: str | None = None) -> str:
    """The model a trace with the library in ``directory`` runs with: the one asked for (``--model``, the page's
    box, ``WORKBENCH_TRACE_MODEL``), else the one the library was built with, else tracing's default. A library
    built before the default changed keeps working, with its own model's calibration, instead of being
    refused; ``library rebuild`` moves it to another model."""
    if asked or (asked := settings.asked_trace_model()):
        return asked
    if directory is not None and (Path(directory).expanduser() / "library.sqlite").is_file():
        library = SourceLibrary(Path(directory).expanduser())
        try:
            if library.model is not None and library.sentence_count() and _loadable(spec_of(library.model)):
                return spec_of(library.model)
        finally:
            library.close()
    return settings.default_trace_model()


def _loadable(spec: str) -> bool:
    """Whether each model of ``spec`` is one shipped here or a local model folder: a library built with a model
    this machine cannot load (a folder since moved, a test's fake) falls back to the default, whose refusal names
    the library's model."""
    return all(part in (BUNDLED, BUNDLED_QUERY, USE) or Path(part).expanduser().is_dir() for part in spec.split("+"))


def remove_sources(directory: Path | str, names: Sequence[str]) -> list[str]:
    """Remove the named sources from the library (no model is loaded, as ``library remove``); one line per
    source for the editor, saying that the confirmed pairs whose English it held stay confirmed."""
    library = SourceLibrary(check_library_folder(directory))
    try:
        held = {s.name for s in library.sources() if s.kind != CONFIRMED_KIND}
        removed = library_remove(library, [n for n in names if n in held])
        said = []
        for name in names:
            if name not in removed:
                said.append(f"{name} was no longer in the library.")
                continue
            linked = removed[name]
            said.append(f"Removed {name} from the library" + (
                f"; the {linked} confirmed pair{'s' if linked != 1 else ''} whose English it held stay{'s' if linked == 1 else ''} "
                "confirmed, and the library keeps their own text from the next trace on." if linked else "."))
        return said
    finally:
        library.close()


def add_sources(library: SourceLibrary, files: list[tuple[str, bytes]], progress: AddProgress | None = None) -> AddSummary:
    """Add uploaded source files (name, bytes) to the library, each read as ``read_source`` reads a file
    (text, .docx, .odt, PDF, a saved web page, EPUB; .tmx: its English units); a source of the same name is
    replaced. Every readable file goes in; the others are the summary's failures, named as uploaded. A read-only
    library is refused before any file is read (as ``library add``): each file named as failing misled."""
    import tempfile

    from workbench.trace import read_source
    from workbench.uploads import UPLOAD_LIMIT

    def reader(k: int, name: str, data: bytes, folder: str) -> tuple[str, Callable[[], SourceText]]:
        shown = Path(name.replace("\\", "/")).name

        def read() -> SourceText:
            suffix = Path(shown).suffix.lower()
            if suffix not in SOURCE_SUFFIXES:
                raise BadInput(f"a source is a {', '.join(SOURCE_SUFFIXES)} file")
            if len(data) > UPLOAD_LIMIT:
                raise BadInput(f"larger than {UPLOAD_LIMIT // 2**20} MB; add it with `python -m workbench library add`")
            path = Path(folder) / f"source{k}{suffix}"  # the file's own name may not be a safe path here
            path.write_bytes(data)
            try:
                source = read_source(path)
            except WorkbenchError as exc:  # its message names the temporary file: name the upload instead
                raise BadInput(str(exc).replace(path.name, shown)) from exc
            source.name = shown
            return source

        return shown, read

    if library.read_only:
        raise read_only_refusal(library.directory)
    with tempfile.TemporaryDirectory() as folder:
        return add_each(library, [reader(k, name, data, folder) for k, (name, data) in enumerate(files)],
                        progress=progress)
