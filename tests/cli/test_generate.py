"""generate-constraints through the real App, with real uv on a local index."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from openstack_requirements.ops.constraints.generate import shipped_header
from tests import resolver_index
from tests.helpers import interpreter

# resolver tests: nearly every one runs uv or pip
pytestmark = pytest.mark.slow


@pytest.fixture
def gen(run_app, world, tmp_path, tmp_path_factory, monkeypatch):
    monkeypatch.setenv(
        'UV_CACHE_DIR', str(tmp_path_factory.getbasetemp() / f'uv-cache-{__name__}')
    )
    reqs = resolver_index.write_requirements(tmp_path / 'global.txt', ['top'])

    def run(*args: str, requirements: Path = reqs):
        return run_app(
            'generate-constraints',
            '-r',
            str(requirements),
            '--find-links',
            str(world),
            '--no-index',
            *args,
        )

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
        'top===1.0\n'
    )
    for line in result.stdout[len(HEADER) :].splitlines():
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
        'top===1.0\n'
    )
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
    lines = mapped.stdout[len(HEADER) :].splitlines()
    keys = [hashlib.sha1(line.split('=')[0].encode()).hexdigest() for line in lines]
    assert keys == sorted(keys) and lines != sorted(lines)
    assert lines.index("delta===1.9;python_version<='3.10'") + 1 == lines.index(
        "delta===1.10;python_version>='3.12'"
    )


def test_output_keeps_header_and_diff(gen, tmp_path) -> None:
    out = tmp_path / 'upper-constraints.txt'
    out.write_text('# WARNING: keep me\n#\nalpha===0.5\nold===1\n')
    result = gen(
        '-p', '3.11', '-p', '3.12', '--output', str(out), '--compare', str(out), '-f', 'json'
    )
    assert result.code == 0, result.stderr
    assert out.read_text().startswith('# WARNING: keep me\n#\n')
    assert 'alpha===2.0\n' in out.read_text()
    rows = {(r['Package'], r['Change']): r for r in result.json()}
    assert rows[('alpha', 'upgraded')] == {
        'Package': 'alpha',
        'Python': '3.11 3.12',
        'Change': 'upgraded',
        'Old': '0.5',
        'New': '2.0',
    }
    assert rows[('old', 'removed')]['Python'] == '3.11 3.12'
    assert rows[('gamma', 'added')]['Python'] == '3.11'


def test_diff_and_check_against_output(gen, tmp_path) -> None:
    out = tmp_path / 'upper-constraints.txt'
    before = '# WARNING: keep me\n#\nalpha===0.5\n'
    out.write_text(before)
    diff = gen('-p', '3.12', '--output', str(out), '--diff')
    assert diff.code == 0, diff.stderr
    assert '-alpha===0.5\n' in diff.stdout and '+alpha===2.0\n' in diff.stdout
    assert out.read_text() == before  # --diff writes nothing
    check = gen('-p', '3.12', '--output', str(out), '--check')
    assert check.code == 1 and check.stdout == '' and out.read_text() == before
    written = gen('-p', '3.12', '--output', str(out))
    assert written.code == 0 and out.read_text() != before
    again = gen('-p', '3.12', '--output', str(out), '--diff', '--check')
    assert again.code == 0 and again.stdout == ''  # nothing left to change
    alone = gen('-p', '3.12', '--check')
    assert alone.code == 1 and 'give --output FILE' in alone.stderr


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


@pytest.mark.parametrize(
    'args, message',
    [
        (['-p', 'python9.9'], 'python9.9: no such Python interpreter\n'),
        (
            ['-p', '3.11', '--version-map', '3.11'],
            '--version-map 3.11: expected SRC:DST, two Python versions such as 3.12:3.13\n',
        ),
        (['-p', '3.11', '-p', '3.11'], '-p 3.11: Python 3.11 is already given (-p 3.11)\n'),
        (['-p', '3.11', '--resolver', 'poetry'], "unknown resolver 'poetry' (known: pip, uv)\n"),
    ],
)
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
    wheels = resolver_index.make_index(
        tmp_path / 'wheels',
        [
            ('builder', '1.0', None, ('setuptools', 'Wheel')),
            ('setuptools', '80.0', None, ()),
            ('wheel', '0.45', None, ()),
        ],
    )
    reqs = resolver_index.write_requirements(tmp_path / 'r.txt', ['builder'])
    base = (
        'generate-constraints',
        '-r',
        str(reqs),
        '-p',
        '3.12',
        '--find-links',
        str(wheels),
        '--no-index',
        '--order',
        'name',
    )
    assert run_app(*base).stdout == HEADER + 'builder===1.0\n'
    assert run_app(*base, '--pin-installers').stdout == HEADER + (
        'builder===1.0\nsetuptools===80.0\nwheel===0.45\n'
    )


def _served_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ran: Path) -> Path:
    """WORLD, plus sdist-only releases whose build fails (touching
    ``ran``): ``Sys_Dep`` (asked for; its PKG-INFO lists dependencies)
    and ``hidden`` (pulled in by ``needs-hidden``, declared only in its
    egg-info), and a wheel whose metadata name is ``Under_Score``."""
    for name in list(os.environ):
        if name.lower().endswith('_proxy'):
            monkeypatch.delenv(name)
    wheels = resolver_index.make_index(tmp_path / 'wheels', resolver_index.WORLD)
    resolver_index.make_sdist(wheels, 'Sys_Dep', '1.0', ran=ran)
    resolver_index.make_sdist(
        wheels,
        'Sys_Dep',
        '2.0',
        ran=ran,
        requires_python='>=3.10',
        requires=['alpha<3', 'eps<2; python_version >= "3.12"', 'beta'],
    )
    resolver_index.make_sdist(
        wheels, 'hidden', '1.0', ['gamma'], ran=ran, metadata_version='1.2', egg_info=True
    )
    resolver_index.make_wheel(wheels, 'needs-hidden', '1.0', requires=['hidden'])
    resolver_index.make_wheel(wheels, 'Under_Score', '1.0')
    return wheels


SERVED_EXPECTED = (
    "alpha===1.0;python_version<='3.10'\n"
    "alpha===2.0;python_version>='3.11'\n"
    'beta===1.0\n'
    "delta===1.9;python_version<='3.11'\n"
    "delta===1.10;python_version>='3.12'\n"
    'Deny.Me===1.0\n'
    "eps===1.0;python_version>='3.11'\n"
    "eps===2.0;python_version<='3.10'\n"
    'gamma===1.0\n'
    'hidden===1.0\n'
    'needs-hidden===1.0\n'
    'Sys_Dep===2.0\n'
    'top===1.0\n'
    'Under_Score===1.0\n'
)


def test_sdists_resolved_from_their_metadata_never_built(run_app, tmp_path, monkeypatch) -> None:
    """Four Pythons over HTTP: the sdist-only releases are resolved from
    the dependencies their PKG-INFO or egg-info declares (Sys_Dep read
    ahead from the index page, hidden when uv asks for it), their setup.py
    never runs, and every name is spelt as its metadata spells it."""
    ran = tmp_path / 'setup-py-ran'
    wheels = _served_world(tmp_path, monkeypatch, ran)
    monkeypatch.setenv('UV_CACHE_DIR', str(tmp_path / 'cache'))
    reqs = resolver_index.write_requirements(
        tmp_path / 'global.txt', ['top', 'sys-dep', 'under-score', 'needs-hidden']
    )
    with resolver_index.serve_simple_index(wheels) as index:
        result = run_app(
            'generate-constraints',
            '-r',
            str(reqs),
            *FOUR,
            '--index-url',
            index.url,
            '--order',
            'name',
        )
        assert result.code == 0, result.stderr
        assert result.stdout == HEADER + SERVED_EXPECTED
        assert not ran.exists()
        assert '  Sys_Dep==2.0 (PKG-INFO)\n' in result.stderr
        assert '  hidden==1.0 (egg-info requires.txt)\n' in result.stderr
        # warm: the same, reading the pages again but no sdist; pages
        # unchanged, the recorded resolutions are reused, and what they
        # were resolved from said again
        warm = ('-r', str(reqs), *FOUR, '--index-url', index.url, '--order', 'name')
        again = run_app('generate-constraints', *warm, '--no-reuse')
        assert again.stdout == result.stdout
        assert 'the metadata of 0 sdists read' in again.stderr
        reused = run_app('generate-constraints', *warm)
        assert reused.stdout == result.stdout
        assert 'reusing the resolutions recorded' in reused.stderr
        assert '  Sys_Dep==2.0 (PKG-INFO)\n' in reused.stderr
        assert '  hidden==1.0 (egg-info requires.txt)\n' in reused.stderr
        # uv backtracks to an sdist-only release nothing read ahead
        # (old-sdist 1.0: the newest ones were read, and pinner's <2 was met
        # after the input's bare name): learnt when uv wants to build it;
        # with --allow-build, built (here it cannot: no setuptools)
        for version in ('1.0', '2.0', '3.0', '4.0', '5.0'):
            resolver_index.make_sdist(wheels, 'old-sdist', version, ['beta'], ran=ran)
        resolver_index.make_wheel(wheels, 'pinner', '1.0', requires=['old-sdist<2'])
        index.publish()
        older = resolver_index.write_requirements(tmp_path / 'older.txt', ['old-sdist', 'pinner'])
        learnt, built = [], []
        for extra, into in (((), learnt), (('--allow-build',), built)):
            monkeypatch.setenv('UV_CACHE_DIR', str(tmp_path / f'cold{len(extra)}'))
            into.append(
                run_app(
                    'generate-constraints',
                    *('-r', str(older), '-p', '3.12', '--index-url', index.url),
                    *extra,
                )
            )
    learnt, built = learnt[0], built[0]
    assert learnt.code == 0, learnt.stderr
    assert 'old-sdist===1.0\n' in learnt.stdout
    assert '  old-sdist==1.0 (PKG-INFO)\n' in learnt.stderr
    assert built.code == 1
    assert 'build `old-sdist==1.0`' in built.stderr
    assert 'setuptools' in built.stderr


def test_interpreter_path_and_two_way_version_map(gen) -> None:
    found = interpreter('3.11') or sys.executable
    version = '.'.join(map(str, sys.version_info[:2])) if found == sys.executable else '3.11'
    by_path = gen('-p', found, '--order', 'name')
    assert by_path.code == 0, by_path.stderr
    assert f'Python {version}: ' in by_path.stderr
    # the reference's two-way map: only the entry whose source is resolved
    two_way = ['--version-map', '3.11:3.12', '--version-map', '3.12:3.11']
    mapped = gen('-p', '3.10', '-p', '3.12', *two_way, '--order', 'name')
    assert mapped.code == 0, mapped.stderr
    assert "alpha===2.0;python_version>='3.11'\n" in mapped.stdout  # 3.11 as 3.12
    assert "gamma===1.0;python_version<='3.10'\n" in mapped.stdout


def test_uv_ignores_the_callers_environment(gen, tmp_path, monkeypatch) -> None:
    """A broken .venv in the working directory, VIRTUAL_ENV and uv
    settings of the caller's: no effect, no warning."""
    (tmp_path / '.venv' / 'bin').mkdir(parents=True)
    (tmp_path / '.venv' / 'pyvenv.cfg').write_text('home = /nonexistent\n')
    (tmp_path / 'uv.toml').write_text('index-url = "http://example.invalid/simple"\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv('VIRTUAL_ENV', str(tmp_path / '.venv'))
    monkeypatch.setenv('UV_INDEX_URL', 'http://example.invalid/simple')
    monkeypatch.setenv('UV_PYTHON', '/nonexistent/python')
    result = gen('-p', '3.12', '--order', 'name')
    assert result.code == 0, result.stderr
    assert 'alpha===2.0\n' in result.stdout
    assert 'warning' not in result.stderr.lower()
