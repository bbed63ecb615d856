"""The shape rules new code is held to: small modules and classes, no private imports across modules,
an installable package with a `workbench` command."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "workbench"
MAX_MODULE_LINES = 600
MAX_CLASS_LINES = 300


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_no_module_over_600_lines():
    long = {str(p.relative_to(REPO)): n for p in _modules() if (n := len(p.read_text("utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"


def test_no_class_over_300_lines():
    big = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno + 1 > MAX_CLASS_LINES:
                big[f"{path.relative_to(REPO)}:{node.name}"] = node.end_lineno - node.lineno + 1
    assert not big, f"classes over {MAX_CLASS_LINES} lines: {big}"


def test_no_test_imports_a_private_name_from_another_module():
    offenders = []
    for path in sorted((REPO / "tests").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("workbench"):
                offenders += [f"{path.name}: {node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
    assert not offenders, f"tests importing private names: {offenders}"


def test_core_modules_do_not_import_streamlit():
    """The core knows nothing of Streamlit: only workbench/ui and app.py may import it."""
    offenders = []
    for path in _modules():
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] == "ui" or rel.name == "app.py":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{rel}: {n}" for n in names if n.split(".")[0] == "streamlit"]
    assert not offenders, offenders


def test_the_workbench_command_is_installed():
    """`pip install -e .` gives a `workbench` command beside the interpreter."""
    exe = Path(sys.executable).with_name("workbench")
    assert exe.exists(), f"{exe} missing: install the package with `pip install -e .`"
    out = subprocess.run([str(exe), "--help"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "align" in out.stdout and "export" in out.stdout


def test_the_source_library_names_moved_out_of_trace_review_still_import_from_it():
    """``trace_review`` passed 600 lines; the library's management moved to ``source_library``, and every name
    callers imported from ``trace_review`` is the same object there."""
    from workbench import source_library, trace_review

    for name in ("SOURCE_SUFFIXES", "AddProgress", "AddSummary", "LibraryProblem", "add_each", "add_sources",
                 "check_library_folder", "default_library_dir", "held_sources", "open_library", "remove_sources",
                 "trace_model"):
        assert getattr(trace_review, name) is getattr(source_library, name), name


def test_the_pair_unit_names_moved_out_of_export_still_import_from_it():
    """``export`` passed 600 lines; a pair's units (stored or freshly aligned) moved to ``pair_units``, and the
    names callers imported from ``export`` still import from it, the same objects."""
    from workbench import export, pair_units

    for name in ("PairUnits", "load_pair_units", "units_for_stored_pair", "title_url", "title_units_from_report",
                 "units_from_store", "store_paragraphs", "title_units_from_store"):
        assert getattr(export, name) is getattr(pair_units, name), name
    exec("from workbench.export import load_pair_units, units_from_store", {})
