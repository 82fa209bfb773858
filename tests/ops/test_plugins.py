"""A plugin that cannot be loaded is named in a one-line error, never a
traceback: checks and resolvers are found through entry points, so any
installed distribution can break them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from stevedore import extension

from openstack_requirements.errors import RequirementsError
from openstack_requirements.ops.checks import base as checks
from openstack_requirements.ops.constraints import resolvers

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def broken_plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An installed distribution whose check and resolver plugins point at
    a module that does not exist."""
    info = tmp_path / 'broken_plugins-1.0.dist-info'
    info.mkdir()
    (info / 'METADATA').write_text('Metadata-Version: 2.1\nName: broken-plugins\nVersion: 1.0\n')
    (info / 'entry_points.txt').write_text(
        '[openstack_requirements.checks]\n'
        'no-such-check = no_such_module_here:Check\n\n'
        '[openstack_requirements.resolvers]\n'
        'no-such-resolver = no_such_module_here:Resolver\n'
    )
    monkeypatch.setattr(sys, 'path', [*sys.path, str(tmp_path)])
    # stevedore remembers each namespace's entry points for the life of
    # the process; start from a clean slate so the broken ones are seen.
    monkeypatch.setattr(extension.ExtensionManager, 'ENTRY_POINT_CACHE', {})


def test_check_plugin_that_cannot_load(broken_plugins: None) -> None:
    with pytest.raises(RequirementsError) as caught:
        checks.available(['data'])
    assert str(caught.value) == (
        "cannot load check plugin no-such-check: No module named 'no_such_module_here'"
    )


def test_resolver_plugin_that_cannot_load(broken_plugins: None) -> None:
    with pytest.raises(RequirementsError) as caught:
        resolvers.load('no-such-resolver')
    assert str(caught.value) == (
        "cannot load resolver plugin no-such-resolver: No module named 'no_such_module_here'"
    )


def test_a_broken_plugin_does_not_hide_the_others(broken_plugins: None) -> None:
    assert resolvers.load('uv').name == 'uv'


def test_commands_report_it_in_one_line(broken_plugins: None, run_app) -> None:
    result = run_app(
        'validate-constraints',
        str(ROOT / 'global-requirements.txt'),
        str(ROOT / 'upper-constraints.txt'),
    )
    assert result.code == 1
    assert 'Traceback' not in result.stderr
    assert (
        'cannot load check plugin no-such-check: No module named '
        "'no_such_module_here'" in result.stderr.splitlines()
    )

    result = run_app(
        'generate-constraints',
        '--resolver',
        'no-such-resolver',
        '-p',
        '3.11',
        '-r',
        str(ROOT / 'global-requirements.txt'),
    )
    assert result.code == 1
    assert 'Traceback' not in result.stderr
    assert (
        'cannot load resolver plugin no-such-resolver: No module named '
        "'no_such_module_here'" in result.stderr.splitlines()
    )
