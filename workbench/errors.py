"""The exception types for failures a user can fix (bad file, missing model, unknown document).

Their message is shown verbatim by the CLI and the UI, so it names the file or setting at fault.
Callers that only show the message catch :class:`WorkbenchError`; the subclasses are for callers
that act differently on the case (reload on a stale version, offer a restore on a damaged store).
"""


class WorkbenchError(Exception):
    pass


class StaleVersion(WorkbenchError):
    """Another tab or process changed what this write was computed from: reload and try again."""


class TextConflict(StaleVersion):
    """A sentence changed since the editor started typing over it: ``base`` is what they typed over,
    ``theirs`` what is stored now, ``mine`` what they typed. Nothing was written; the caller offers
    keep mine, take theirs or a merge (``workbench.review.resolve_text_conflict``)."""

    def __init__(self, message: str, *, document_id: int, index: int, base: str, theirs: str, mine: str,
                 theirs_by: str | None = None):
        super().__init__(message)
        self.document_id, self.index = document_id, index
        self.base, self.theirs, self.mine, self.theirs_by = base, theirs, mine, theirs_by


class NotFound(WorkbenchError):
    """The document, pair, bead, sentence or note named does not exist (any more)."""


class BadInput(WorkbenchError):
    """The caller's input cannot be used as given (empty text, out-of-range value, wrong shape)."""


class StoreDamaged(WorkbenchError):
    """The store file fails SQLite's integrity check: nothing more is written into it."""


class StoreReadOnly(WorkbenchError):
    """The store lies where it cannot be written (a read-only mount or file): it can only be read."""
