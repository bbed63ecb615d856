"""Batch alignment of whole collections: a manifest of pairs, resumable, one writer, one combined TMX."""
from .engine import Engine, LocalEngine
from .jobs import Event, JobKey, JobTable
from .manifest import Manifest, ManifestProblem, PairSpec, read_manifest
from .runner import BatchSummary, Failure, job_table_path, run_batch, write_combined_tmx
from .work import Aligned, PairTask, align_task, lines_document, read_pair, warm_up

__all__ = [
    "Aligned", "BatchSummary", "Engine", "Event", "Failure", "JobKey", "JobTable", "LocalEngine", "Manifest",
    "ManifestProblem", "PairSpec", "PairTask", "align_task", "job_table_path", "lines_document", "read_manifest",
    "read_pair", "run_batch", "warm_up", "write_combined_tmx",
]
