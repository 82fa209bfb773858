"""Fixtures shared by the whole suite."""

from __future__ import annotations

import gc
import io
import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from openstack_requirements import cache
from tests.indexserver import PROXY_VARIABLES, Index, serve

ROOT = Path(__file__).resolve().parents[1]
# Real data, copied into the repository (tests/data/README.rst says from where):
# nothing in the suite reads outside the checkout.
TEST_DATA = Path(__file__).resolve().parent / 'data'
DATA = TEST_DATA / 'openstack'
TREES = TEST_DATA / 'trees'
ZUUL = TEST_DATA / 'zuul'
CORPUS_LINES = TEST_DATA / 'requirement-lines.txt'


def nearest_data(tree: Path) -> Path:
    """The governance data dated closest to a corpus tree's date."""
    tree_date = tree.name[-10:]
    dates = sorted(p.name[-10:] for p in DATA.iterdir())

    def distance(date: str) -> int:
        from datetime import date as d

        return abs((d.fromisoformat(date) - d.fromisoformat(tree_date)).days)

    return DATA / f'openstack-{min(dates, key=distance)}'


@pytest.fixture(scope='session')
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A find-links directory of the resolver tests' packages
    (``tests/resolver_index.py``), built once per run."""
    from tests import resolver_index

    return resolver_index.make_index(tmp_path_factory.mktemp('index'), resolver_index.WORLD)


@pytest.fixture
def index(monkeypatch: pytest.MonkeyPatch) -> Iterator[Index]:
    """A package index's JSON API on 127.0.0.1 (``tests/indexserver.py``),
    no proxy in the way."""
    for var in PROXY_VARIABLES:
        monkeypatch.delenv(var, raising=False)
    with serve() as state:
        yield state
    gc.collect()  # what the test left to the collector, within the test


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No pip or uv configuration of the developer's leaks into a test."""
    for name in list(os.environ):
        if name.startswith(('PIP_', 'UV_')):
            monkeypatch.delenv(name)
    monkeypatch.setenv('PIP_CONFIG_FILE', os.devnull)
    monkeypatch.setenv('UV_NO_CONFIG', '1')


@pytest.fixture(autouse=True)
def _cold_caches() -> None:
    """Each test starts with every in-memory cache empty, as one run of a
    command does: what an earlier test read cannot change its result."""
    cache.clear_all()


class AppResult:
    def __init__(self, code: int, stdout: str, stderr: str) -> None:
        self.code = code
        self.stdout = stdout
        self.stderr = stderr

    def json(self) -> Any:
        return json.loads(self.stdout)

    def __repr__(self) -> str:
        return f'AppResult(code={self.code}, stdout={self.stdout!r}, stderr={self.stderr!r})'


@pytest.fixture
def run_app() -> Callable[..., AppResult]:
    """Run the real App with an argv; capture its streams."""
    from openstack_requirements.cli.app import RequirementsApp

    def run(*argv: str) -> AppResult:
        app = RequirementsApp()
        out, err = io.StringIO(), io.StringIO()
        app.stdout, app.stderr = out, err
        # cliff logs through handlers bound to the real streams; reset them.
        import logging

        root = logging.getLogger('')
        handlers = list(root.handlers)
        try:
            code = app.run(list(argv))
        except SystemExit as exc:
            code = int(exc.code or 0)
        finally:
            for handler in list(root.handlers):
                if handler not in handlers:
                    root.removeHandler(handler)
        return AppResult(code, out.getvalue(), err.getvalue())

    return run


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """A copy of the shipped data (2026): impact's base."""
    place = tmp_path / 'base'
    shutil.copytree(DATA / 'openstack-2026-08-22', place)
    return place


@pytest.fixture
def proposed(base: Path, tmp_path: Path) -> Path:
    """A copy of ``base`` to change: impact's proposed data."""
    place = tmp_path / 'proposed'
    shutil.copytree(base, place)
    return place


@pytest.fixture(scope='session')
def reference_python() -> Path:
    """The interpreter of a venv holding openstack-requirements==1.2.0.

    Built once from the package registry; tests using it are marked
    ``network`` and skipped when it cannot be built.
    """
    from tools import reference

    try:
        return reference.python()
    except Exception as err:  # offline: no registry
        pytest.skip(f'reference tools unavailable: {err}')
