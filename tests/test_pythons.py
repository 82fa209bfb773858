"""One list of supported Pythons (ops/data.py's PYTHONS), the one the shipped
constraints are made for: upstream's tox.ini, ours, the commands' ``-p``
default and the docs all say the same."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import pytest

from openstack_requirements.model import RequirementsFile
from openstack_requirements.ops import data
from tests import resolver_index
from tests.conftest import DATA, ROOT

#: upstream's tox.ini of the day the shipped upper-constraints.txt is from
UPSTREAM_TOX = DATA / 'openstack-2026-08-22' / 'tox.ini'


def tox_sections(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(path.read_text())
    return parser


def check_uc_pythons(parser: configparser.ConfigParser) -> list[str]:
    """The X.Y of every pyXY-check-uc env, ``py{311,312}`` factors expanded."""
    found = []
    for section in parser.sections():
        match = re.fullmatch(r'testenv:py(\{[0-9,]+\}|[0-9]+)-check-uc', section)
        if match:
            for digits in match.group(1).strip('{}').split(','):
                found.append(f'{digits[0]}.{digits[1:]}')
    return found


def test_the_list_is_upstreams() -> None:
    upstream = tox_sections(UPSTREAM_TOX)
    assert check_uc_pythons(upstream) == list(data.PYTHONS)
    generate = upstream['testenv:generate']['commands']
    assert re.findall(r'-p python(3\.[0-9]+)', generate) == list(data.PYTHONS)
    # the shipped file is upstream's of that day: byte for byte
    shipped = (ROOT / 'upper-constraints.txt').read_bytes()
    assert shipped == (DATA / 'openstack-2026-08-22' / 'upper-constraints.txt').read_bytes()


def test_the_shipped_constraints_name_no_other_python() -> None:
    named = set()
    for req in RequirementsFile.parse((ROOT / 'upper-constraints.txt').read_text()).requirements():
        named.update(
            re.findall(r"python_version\s*[<>=!]+\s*['\"]([0-9.]+)['\"]", req.marker_text)
        )
    assert named <= set(data.PYTHONS)


def test_our_tox_envs_follow_the_list() -> None:
    ours = tox_sections(ROOT / 'tox.ini')
    assert check_uc_pythons(ours) == list(data.PYTHONS)
    # each checks its own interpreter: no -p of its own
    check_uc = next(ours[s]['commands'] for s in ours.sections() if s.endswith('-check-uc'))
    assert re.findall(r'-p (\S+)', check_uc) == ['{env_python}']
    # generate gives no -p: the command's default is the list
    assert '-p' not in ours['testenv:generate']['commands'].split()


def test_the_docs_name_the_list() -> None:
    span = f'{data.PYTHONS[0]} to\n{data.PYTHONS[-1]}'
    for doc in ('doc/source/user/install.rst', 'doc/source/user/jobs.rst'):
        text = ' '.join((ROOT / doc).read_text().split())
        assert ' '.join(span.split()) in text, doc
        assert not re.search(r'-p 3\.10|3\.10 to', text), doc


@pytest.mark.parametrize('command', ['generate-constraints', 'check-conflicts'])
def test_the_help_names_the_default(run_app, command: str) -> None:
    done = run_app(command, '--help')
    assert ' '.join(data.PYTHONS) in ' '.join(done.stdout.split())


@pytest.fixture
def world(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(
        'UV_CACHE_DIR', str(tmp_path_factory.getbasetemp() / f'uv-cache-{__name__}')
    )
    return resolver_index.make_index(tmp_path_factory.mktemp('index'), resolver_index.WORLD)


def test_generate_without_p_resolves_for_the_list(run_app, world: Path, tmp_path: Path) -> None:
    reqs = resolver_index.write_requirements(tmp_path / 'global.txt', ['top'])
    result = run_app(
        'generate-constraints',
        '-r',
        str(reqs),
        '--find-links',
        str(world),
        '--no-index',
        '--order',
        'name',
    )
    assert result.code == 0, result.stderr
    for python in data.PYTHONS:
        assert f'Python {python}: ' in result.stderr
    assert 'Python 3.10' not in result.stderr
    lines = result.stdout.splitlines()
    # alpha 1.0 is what 3.10 would get: a regeneration adds no line for it
    assert "alpha===2.0;python_version<='3.12'" in lines
    assert "alpha===3.0;python_version>='3.13'" in lines
    assert not [line for line in lines if '3.10' in line]


def test_check_conflicts_without_p_checks_the_list(run_app, world: Path, tmp_path: Path) -> None:
    upper = tmp_path / 'upper-constraints.txt'
    # delta 1.10 needs Python 3.12: pinned for all, it fails for 3.11 only
    upper.write_text('delta===1.10\n')
    result = run_app(
        'check-conflicts', str(upper), '--find-links', str(world), '--no-index', '-f', 'json'
    )
    assert result.code == 1, result
    assert [row['Message'].split(':')[0] for row in result.json()] == ['Python 3.11']
