"""The pip resolver finds each Python's interpreter on PATH, and refuses
one that is not the Python asked for; real pip on a local index."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from openstack_requirements.errors import RequirementsError
from openstack_requirements.ops.constraints import resolvers
from openstack_requirements.ops.constraints.resolvers import pip as pip_driver
from tests import resolver_index

RUNNING = f'{sys.version_info[0]}.{sys.version_info[1]}'


def on_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, *names: str) -> Path:
    """A PATH holding only the running interpreter, under ``names``."""
    bin_dir = tmp_path / 'bin'
    bin_dir.mkdir()
    for name in names:
        (bin_dir / name).symlink_to(sys.executable)
    monkeypatch.setenv('PATH', str(bin_dir))
    return bin_dir


def test_prepare_finds_the_interpreter_on_path(monkeypatch, tmp_path) -> None:
    bin_dir = on_path(monkeypatch, tmp_path, f'python{RUNNING}')
    resolver = resolvers.load('pip')
    target = resolver.prepare(resolvers.Target(RUNNING, release='3.99.1'))
    assert target == resolvers.Target(RUNNING, str(bin_dir / f'python{RUNNING}'), '3.99.1')
    given = resolvers.Target(RUNNING, '/some/python')
    assert resolver.prepare(given) is given  # an interpreter given is kept


def test_prepare_without_the_interpreter(monkeypatch, tmp_path) -> None:
    on_path(monkeypatch, tmp_path)
    with pytest.raises(RequirementsError) as err:
        resolvers.load('pip').prepare(resolvers.Target('3.99'))
    assert err.value.render() == (
        'the pip resolver needs an interpreter for Python 3.99: no python3.99 '
        'on PATH (give its path with -p)'
    )


def test_prepare_refuses_an_interpreter_of_another_python(monkeypatch, tmp_path) -> None:
    bin_dir = on_path(monkeypatch, tmp_path, 'python3.99')
    with pytest.raises(RequirementsError) as err:
        resolvers.load('pip').prepare(resolvers.Target('3.99'))
    assert err.value.render() == f'{bin_dir}/python3.99: is Python {RUNNING}, not 3.99'


@pytest.mark.slow
def test_resolve_finds_the_interpreter_itself(monkeypatch, tmp_path) -> None:
    wheels = resolver_index.make_index(tmp_path / 'index', resolver_index.WORLD)
    reqs = resolver_index.write_requirements(tmp_path / 'r.txt', ['beta'])
    on_path(monkeypatch, tmp_path, f'python{RUNNING}')
    options = resolvers.ResolverOptions(find_links=(str(wheels),), no_index=True, timeout=120)
    pins = resolvers.load('pip').resolve(reqs, resolvers.Target(RUNNING), options)
    assert {key: pin.version for key, pin in pins.items()} == {'beta': '1.0'}


def test_command_spells_the_index_options(tmp_path) -> None:
    options = resolvers.ResolverOptions(
        index_url='http://127.0.0.1:1/simple', find_links=('/a', '/b'), no_index=True, timeout=0.2
    )
    argv = pip_driver.command(
        tmp_path / 'r.txt', resolvers.Target('3.12', 'py'), options, tmp_path / 'report.json'
    )
    assert argv[:3] == ['py', '-m', 'pip']
    assert argv[-9:] == [
        '--index-url',
        'http://127.0.0.1:1/simple',
        '--find-links',
        '/a',
        '--find-links',
        '/b',
        '--no-index',
        '--timeout',
        '1',
    ]
    assert '--isolated' in argv
    assert pip_driver.environment()['PIP_CONFIG_FILE'] == os.devnull


def test_explain_keeps_pip_s_reason() -> None:
    resolver = resolvers.load('pip')
    stdout = 'Collecting a\nCollecting b\nThe conflict is caused by:\n  a 1 depends on b<1\n'
    assert resolver.explain(stdout, 'ERROR: ResolutionImpossible\n') == (
        'ERROR: ResolutionImpossible\nThe conflict is caused by:\n  a 1 depends on b<1'
    )
    assert resolver.explain('Collecting a\n', '') == ''
