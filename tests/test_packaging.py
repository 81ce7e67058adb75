"""The wheel ships every module and data file of the package, and the console script.

The source folders are copied to a temporary directory and built there (``pip wheel --no-deps
--no-build-isolation``), so the build neither touches the work tree nor needs the network.
Every file under a mapped package folder (``graph/`` → ``policykg/graph/`` …) must be in the
wheel; a new subpackage missing from pyproject's ``packages`` list fails here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from project_paths import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PACKAGE_DIRS: dict[str, str] = PYPROJECT["tool"]["setuptools"]["package-dir"]
IGNORED_PARTS = {"__pycache__", ".pytest_cache"}
IGNORED_SUFFIXES = {".pyc", ".pyo"}

pytestmark = pytest.mark.slow


def _shipped_sources() -> dict[str, Path]:
    """Wheel path → source file, for every file under a package folder."""
    expected: dict[str, Path] = {}
    for package, folder in PACKAGE_DIRS.items():
        if package.count(".") > 1:
            continue
        base = ROOT / folder
        prefix = package.replace(".", "/")
        for path in base.rglob("*"):
            rel = path.relative_to(base)
            if path.is_dir() or IGNORED_PARTS & set(rel.parts) or path.suffix in IGNORED_SUFFIXES:
                continue
            if package == "policykg" and rel.parts[0] in {"ontology", "graph", "loaders", "api", "viz", "data"}:
                continue
            expected[f"{prefix}/{rel.as_posix()}"] = path
    return expected


@pytest.fixture(scope="module")
def wheel_build(tmp_path_factory) -> tuple[zipfile.ZipFile, str]:
    """The built wheel and everything the build printed (pip shows the build backend's warnings)."""
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    for folder in set(PACKAGE_DIRS.values()):
        shutil.copytree(ROOT / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = tmp_path_factory.mktemp("dist")
    run = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(out), str(src)],
        check=True, capture_output=True, text=True, timeout=300,
    )
    (path,) = out.glob("policykg-*.whl")
    return zipfile.ZipFile(path), run.stdout + run.stderr


@pytest.fixture(scope="module")
def wheel(wheel_build) -> zipfile.ZipFile:
    return wheel_build[0]


def test_build_prints_no_setuptools_warnings(wheel_build):
    """Issue 9 item 11: the license table and data folders missing from `packages` made ~500 lines of warnings."""
    log = wheel_build[1]
    warnings = [line.strip() for line in log.splitlines() if "Warning" in line]
    assert not warnings, "\n".join(warnings)


def test_every_module_and_data_file_ships(wheel):
    names = set(wheel.namelist())
    expected = _shipped_sources()
    missing = sorted(p for p in expected if p not in names)
    assert not missing, f"not in the wheel (add to pyproject packages / package-data): {missing}"


@pytest.mark.parametrize(
    "member",
    [
        "policykg/ontology/policykg.ttl",
        "policykg/ontology/shapes.ttl",
        "policykg/graph/queries/entity-counts.rq",
        "policykg/data/sources/hokkaido-society5-fy2023-secretariat-deck.txt",
        "policykg/loaders/deck/jurisdictions.toml",
        "policykg/cli/__init__.py",
        "policykg/graph/results.py",
    ],
)
def test_key_files_ship(wheel, member):
    assert member in wheel.namelist()


def test_console_script_entry_point(wheel):
    (entry,) = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    text = wheel.read(entry).decode("utf-8")
    assert "[console_scripts]" in text
    assert "policykg = policykg.cli:main" in text


def test_installed_wheel_finds_its_resources(wheel, tmp_path):
    """Unpacked wheel on PYTHONPATH (ahead of the editable install): queries, ontology and deck load."""
    wheel.extractall(tmp_path)
    code = (
        "import policykg, policykg.graph.build as b, policykg.graph.queries as q, policykg.ontology as o;"
        "print(policykg.__file__); print(len(q.list_queries()));"
        "print(len(o.ontology_graph()) > 100); print(all(p.is_file() for p in b.default_sources()))"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120,
                            check=True, cwd=tmp_path)
    where, queries, ontology, sources = result.stdout.split()
    assert where.startswith(str(tmp_path))
    assert int(queries) == len(list((ROOT / "graph" / "queries").glob("*.rq")))
    assert (ontology, sources) == ("True", "True")
