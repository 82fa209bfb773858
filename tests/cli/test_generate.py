"""generate-constraints through the real App, with real uv on a local index."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from openstack_requirements.ops.generate import shipped_header
from tests import resolver_index
from tests.ops.test_resolvers import interpreter


@pytest.fixture(scope='session')
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return resolver_index.make_index(tmp_path_factory.mktemp('index'),
                                     resolver_index.WORLD)


@pytest.fixture
def gen(run_app, world, tmp_path, tmp_path_factory, monkeypatch):
    monkeypatch.setenv('UV_CACHE_DIR', str(tmp_path_factory.getbasetemp() / 'uv-cache'))
    reqs = resolver_index.write_requirements(tmp_path / 'global.txt', ['top'])

    def run(*args: str, requirements: Path = reqs):
        return run_app('generate-constraints', '-r', str(requirements),
                       '--find-links', str(world), '--no-index', *args)
    return run


FOUR = ['-p', '3.10', '-p', '3.11', '-p', '3.12', '-p', '3.13']
#: The shipped upper-constraints.txt's header, which every output starts with.
HEADER = shipped_header()


def test_the_shipped_header_is_the_security_warning() -> None:
    assert HEADER.startswith('# WARNING: OpenStack makes no security guarantees')
    assert HEADER.endswith('themselves.\n')


def test_four_pythons(gen) -> None:
    result = gen(*FOUR, '--order', 'name')
    assert result.code == 0, result.stderr
    assert result.stdout == HEADER + (
        "alpha===1.0;python_version<='3.10'\n"
        "alpha===2.0;python_version>='3.11' and python_version<='3.12'\n"
        "alpha===3.0;python_version>='3.13'\n"
        'beta===1.0\n'
        "delta===1.9;python_version<='3.11'\n"
        "delta===1.10;python_version>='3.12'\n"
        'Deny.Me===1.0\n'  # as its metadata spells it
        "eps===1.0;python_version=='3.11'\n"
        "eps===2.0;python_version!='3.11'\n"
        "gamma===1.0;python_version<='3.11'\n"
        'top===1.0\n')
    for line in result.stdout[len(HEADER):].splitlines():
        Requirement(line)
    for python in ('3.10', '3.11', '3.12', '3.13'):
        assert f'Python {python}: ' in result.stderr


def test_two_and_three_pythons_denylist_and_spelling(gen, tmp_path) -> None:
    deny = tmp_path / 'denylist.txt'
    deny.write_text('# not ours\ndeny_me  # canonical match\n')
    result = gen('-p', '3.10', '-p', '3.13', '-d', str(deny), '--order', 'name')
    assert result.stdout == HEADER + (
        "alpha===1.0;python_version<='3.10'\nalpha===3.0;python_version>='3.13'\n"
        'beta===1.0\n'
        "delta===1.9;python_version<='3.10'\ndelta===1.10;python_version>='3.13'\n"
        'eps===2.0\n'
        "gamma===1.0;python_version<='3.10'\n"
        'top===1.0\n')
    three = gen('-p', '3.13', '-p', '3.11', '-p', '3.12', '--order', 'name')
    assert "alpha===2.0;python_version<='3.12'\n" in three.stdout
    assert "eps===1.0;python_version<='3.11'\n" in three.stdout
    assert "gamma===1.0;python_version<='3.11'\n" in three.stdout
    # spelling from the requirements when the resolver gives canonical names
    spelt = resolver_index.write_requirements(tmp_path / 'g.txt', ['top', 'Deny.Me'])
    assert 'Deny.Me===1.0\n' in gen('-p', '3.11', requirements=spelt).stdout


def test_version_map_and_sha1_order(gen) -> None:
    mapped = gen('-p', '3.10', '-p', '3.12', '--version-map', '3.12:3.13')
    assert mapped.code == 0
    assert "alpha===2.0;python_version>='3.12'\n" in mapped.stdout
    assert 'alpha===3.0' not in mapped.stdout
    both = gen('-p', '3.10', '-p', '3.12', '-p', '3.13', '--version-map', '3.12:3.13')
    assert "alpha===3.0;python_version>='3.13'\n" in both.stdout  # 3.13 given: resolved
    lines = mapped.stdout[len(HEADER):].splitlines()
    keys = [hashlib.sha1(line.split('=')[0].encode()).hexdigest() for line in lines]
    assert keys == sorted(keys) and lines != sorted(lines)
    assert lines.index("delta===1.9;python_version<='3.10'") + 1 == lines.index(
        "delta===1.10;python_version>='3.12'")


def test_output_keeps_header_and_diff(gen, tmp_path) -> None:
    out = tmp_path / 'upper-constraints.txt'
    out.write_text('# WARNING: keep me\n#\nalpha===0.5\nold===1\n')
    result = gen('-p', '3.11', '-p', '3.12', '--output', str(out),
                 '--diff', str(out), '-f', 'json')
    assert result.code == 0, result.stderr
    assert out.read_text().startswith('# WARNING: keep me\n#\n')
    assert 'alpha===2.0\n' in out.read_text()
    rows = {(r['Package'], r['Change']): r for r in result.json()}
    assert rows[('alpha', 'upgraded')] == {
        'Package': 'alpha', 'Python': '3.11 3.12', 'Change': 'upgraded',
        'Old': '0.5', 'New': '2.0'}
    assert rows[('old', 'removed')]['Python'] == '3.11 3.12'
    assert rows[('gamma', 'added')]['Python'] == '3.11'


def test_pip_resolver(gen) -> None:
    if interpreter('3.11') is None:
        pytest.skip('no Python 3.11')
    result = gen('-p', interpreter('3.11'), '--resolver', 'pip')
    assert result.code == 0, result.stderr
    assert 'Deny.Me===1.0\n' in result.stdout


def test_conflict_writes_nothing(gen, tmp_path) -> None:
    reqs = resolver_index.write_requirements(tmp_path / 'bad.txt', ['top', 'conflict'])
    out = tmp_path / 'out.txt'
    result = gen('-p', '3.12', '--output', str(out), requirements=reqs)
    assert result.code == 1 and result.stdout == ''
    assert 'uv: resolution failed for Python 3.12:\n' in result.stderr
    assert 'conflict' in result.stderr and 'beta<1' in result.stderr
    assert not out.exists()


@pytest.mark.parametrize('args, message', [
    (['-p', 'python9.9'], 'python9.9: no such Python interpreter\n'),
    (['-p', '3.11', '--version-map', '3.11'],
     '--version-map 3.11: expected SRC:DST, two Python versions such as 3.12:3.13\n'),
    (['-p', '3.11', '-p', '3.11'],
     '-p 3.11: Python 3.11 is already given (-p 3.11)\n'),
    (['-p', '3.11', '--resolver', 'poetry'],
     "unknown resolver 'poetry' (known: pip, uv)\n"),
])
def test_bad_arguments_one_line(gen, args, message) -> None:
    result = gen(*args)
    assert (result.code, result.stdout, result.stderr) == (1, '', message)


def test_missing_requirements(run_app, tmp_path) -> None:
    result = run_app('generate-constraints', '-p', '3.11', '-r', str(tmp_path / 'no.txt'))
    assert (result.code, result.stderr) == (1, f'{tmp_path / "no.txt"}: no such file\n')


def test_installers_are_left_out_unless_asked(run_app, tmp_path, monkeypatch) -> None:
    """As pip freeze and the real upper-constraints: no pip, setuptools or
    wheel pins, even when a package depends on them."""
    monkeypatch.setenv('UV_CACHE_DIR', str(tmp_path / 'cache'))
    wheels = resolver_index.make_index(tmp_path / 'wheels', [
        ('builder', '1.0', None, ('setuptools', 'Wheel')),
        ('setuptools', '80.0', None, ()), ('wheel', '0.45', None, ())])
    reqs = resolver_index.write_requirements(tmp_path / 'r.txt', ['builder'])
    base = ('generate-constraints', '-r', str(reqs), '-p', '3.12',
            '--find-links', str(wheels), '--no-index', '--order', 'name')
    assert run_app(*base).stdout == HEADER + 'builder===1.0\n'
    assert run_app(*base, '--pin-installers').stdout == HEADER + (
        'builder===1.0\nsetuptools===80.0\nwheel===0.45\n')
