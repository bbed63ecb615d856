"""What each page keeps of the editor's choices: one dataclass per page, whose fields are the page's
widget keys, with their defaults and the check a remembered value must pass.

Two things keep them:

- a page switch: Streamlit forgets a widget's value when its page is not drawn in a run, so the next
  Align quietly used the default model. :func:`keep_all`, run by the app before any page draws,
  re-assigns every declared key this session holds, which makes it a session value that outlives the
  widget (Streamlit's documented workaround);
- a reload (a new session): a page whose view should come back (Review) calls :meth:`PageState.load`
  with the store and a scope (``Store.view_state``), and :meth:`PageState.save` at the end of its run.

Decisions and unsaved sentence drafts are not page state: the store keeps them.
"""
from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

import streamlit as st

from workbench.store import Store

STORED_VIEWS = _STORED = "_stored_view"  # scope -> what the store holds, so that a rerun that changes nothing reads nothing
_DECLARED: dict[str, type[PageState]] = {}  # by qualified name: a reloaded module replaces, not adds

S = TypeVar("S", bound="PageState")


def kept(default: Any = None, check: Callable[[Any], bool] | None = None, *, factory: Callable[[], Any] | None = None) -> Any:
    """A field of a page's state: its widget's default, and the test a value remembered in the store
    must pass to be restored (a hand-edited or older store's value is dropped, not shown to a widget
    that would refuse it and break the page on every load)."""
    meta = {"check": check}
    return field(default_factory=factory, metadata=meta) if factory else field(default=default, metadata=meta)


@dataclass
class PageState:
    """Base of each page's state; subclasses are declared (and so kept across page switches) on import."""

    restored: frozenset[str] = field(default=frozenset(), init=False, compare=False, repr=False,
                                     metadata={"not_kept": True})

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _DECLARED[f"{cls.__module__}.{cls.__qualname__}"] = cls

    @classmethod
    def keys(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls) if not f.metadata.get("not_kept"))

    @classmethod
    def accepts(cls, key: str, value: Any) -> bool:
        check = next(f.metadata.get("check") for f in fields(cls) if f.name == key)
        return check is None or bool(check(value))

    @classmethod
    def load(cls: type[S], store: Store | None = None, scope: str | None = None) -> S:
        """This run's state: the session's values; a key the session lacks comes from the store's view
        state for ``scope`` when it passes its check (and is put into the session, so its widget shows
        it; ``restored`` names those keys), else its default."""
        stored = remembered(store, scope) if store is not None and scope is not None else {}
        values, restored = {}, set()
        for f in fields(cls):
            if f.metadata.get("not_kept"):
                continue
            if f.name in st.session_state:
                values[f.name] = st.session_state[f.name]
            elif f.name in stored and cls.accepts(f.name, stored[f.name]):
                values[f.name] = st.session_state[f.name] = stored[f.name]
                restored.add(f.name)
        state = cls(**values)
        state.restored = frozenset(restored)
        return state

    def save(self, store: Store, scope: str) -> None:
        """Write to the store what differs from what it holds: most reruns change nothing and write nothing."""
        stored = remembered(store, scope)
        values = {key: getattr(self, key) for key in self.keys()}
        changed = {k: x for k, x in values.items() if k not in stored or stored[k] != x}
        if changed and store.save_view_state(scope, changed):
            stored.update(changed)

    @classmethod
    def forget(cls) -> None:
        """Drop this page's values from the session (the next ``load`` takes them from the store)."""
        for key in cls.keys():
            st.session_state.pop(key, None)


def forget_unlisted(key: str, allowed: Collection[Any]) -> None:
    """Drop a kept value its widget no longer offers (a document deleted or renamed since it was chosen,
    in this session or a remembered one): the widget then shows its first option instead of failing."""
    if key in st.session_state and st.session_state[key] not in allowed:
        del st.session_state[key]


def remembered(store: Store, scope: str) -> dict[str, Any]:
    """The view the store holds for ``scope``, read once per session; ``save`` keeps it in step."""
    known = st.session_state.setdefault(_STORED, {})
    if scope not in known:
        known[scope] = store.view_state(scope)
    return known[scope]


def keep_all() -> None:
    """Carry every declared page's choices over a page switch (see the module docstring)."""
    for page in list(_DECLARED.values()):
        for key in page.keys():
            if key in st.session_state:
                st.session_state[key] = st.session_state[key]

