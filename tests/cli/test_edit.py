"""edit-constraints through the real App, on the real upper-constraints.txt."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture
def uc(tmp_path: Path) -> Path:
    path = tmp_path / 'upper-constraints.txt'
    shutil.copyfile(ROOT / 'upper-constraints.txt', path)
    return path


def _changed(before: str, after: str) -> list[tuple[str, str]]:
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    assert len(old) == len(new)
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


def test_editable_without_double_dash_changes_only_that_line(run_app, uc: Path) -> None:
    before = uc.read_text()
    result = run_app(
        'edit-constraints',
        str(uc),
        'oslo_limit',
        '-e',
        'file:///opt/stack/oslo.limit#egg=oslo.limit',
    )
    assert (result.code, result.stdout, result.stderr) == (0, '', '')
    assert _changed(before, uc.read_text()) == [
        ('oslo.limit===2.12.0\n', '-e file:///opt/stack/oslo.limit#egg=oslo.limit\n')
    ]
    assert uc.read_text().startswith('# WARNING: OpenStack makes no security')


def test_bare_path_and_next_run_finds_it(run_app, uc: Path) -> None:
    before = uc.read_text()
    assert run_app('edit-constraints', str(uc), 'Routes', '-e', '/opt/stack/routes').code == 0
    assert run_app('edit-constraints', str(uc), 'routes', 'Routes===2.5.1').code == 0
    assert uc.read_text() == before


def test_delete_and_append(run_app, uc: Path) -> None:
    before = uc.read_text()
    assert run_app('edit-constraints', str(uc), 'pastedeploy').code == 0
    after = uc.read_text()
    assert before.replace('PasteDeploy===3.1.0\n', '') == after
    assert run_app('edit-constraints', str(uc), 'PasteDeploy', '').code == 0
    assert run_app('edit-constraints', str(uc), 'PasteDeploy', 'PasteDeploy===3.1.1').code == 0
    assert uc.read_text() == after + 'PasteDeploy===3.1.1\n'


def test_diff_writes_nothing(run_app, uc: Path) -> None:
    before = uc.read_text()
    result = run_app('edit-constraints', str(uc), 'smmap', 'smmap===5.0.4', '--diff')
    assert result.code == 0
    assert '-smmap===5.0.3\n+smmap===5.0.4\n' in result.stdout
    assert uc.read_text() == before
    check = run_app('edit-constraints', '--check', str(uc), 'smmap', 'smmap===5.0.4')
    assert check.code == 1 and uc.read_text() == before


def test_invalid_replacement_writes_nothing(run_app, uc: Path) -> None:
    before = uc.read_text()
    result = run_app('edit-constraints', str(uc), 'smmap', 'smmap>=')
    assert result.code == 1
    assert result.stderr == (
        "<replacement>:1:8: expected a version after '>='\n    smmap>=\n           ^\n"
    )
    assert uc.read_text() == before
    assert sorted(p.name for p in uc.parent.iterdir()) == [uc.name]


def test_missing_file(run_app, tmp_path: Path) -> None:
    result = run_app('edit-constraints', str(tmp_path / 'nope.txt'), 'foo', 'foo===1')
    assert (result.code, result.stderr) == (1, f'{tmp_path / "nope.txt"}: no such file\n')
