"""Source tracing: find the English passages a Chinese article renders, across a library of sources."""
from __future__ import annotations

from workbench.trace.engine import Article, Passage, TraceParams, TraceResult, trace_article
from workbench.trace.library import Hit, SourceInfo, SourceLibrary
from workbench.trace.sources import SourceSentence, SourceText, read_source

__all__ = ["Article", "Hit", "Passage", "SourceInfo", "SourceLibrary", "SourceSentence", "SourceText",
           "TraceParams", "TraceResult", "read_source", "trace_article"]
