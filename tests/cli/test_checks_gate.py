"""The checks as the gate runs them (issue 13): style rules on master
only, -G with the reference's meaning, missing data files named, the global
list holding named requirements only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import AppResult

Run = Callable[..., AppResult]

GLOBAL = 'six!=1.11.0  # MIT\npecan!=1.4.0  # BSD\noslo.service  # Apache-2.0\n'
UPPER = 'six===1.16.0\npecan===1.5.1\noslo.service===4.5.1\n'


@pytest.fixture
def data(tmp_path: Path) -> Path:
    place = tmp_path / 'data'
    place.mkdir()
    (place / 'global-requirements.txt').write_text(GLOBAL)
    (place / 'upper-constraints.txt').write_text(UPPER)
    (place / 'denylist.txt').write_text('flake8\n')
    return place


@pytest.fixture
def root(tmp_path: Path) -> Path:
    place = tmp_path / 'project'
    place.mkdir()
    (place / 'pyproject.toml').write_text(
        '[project]\nname = "demo"\n'
        '[build-system]\nrequires = ["pbr"]\nbuild-backend = "pbr.build"\n'
    )
    (place / 'requirements.txt').write_text(
        'six>=1.10.0 # MIT\nsix>=1.10.0 # MIT\npecan>=1.4.0 # BSD\n'
    )
    return place


def checks(result: AppResult) -> list[str]:
    return [row['Check'] for row in result.json()]


def test_style_rules_on_master_only(run_app: Run, data: Path, root: Path) -> None:
    master = run_app('check-requirements', str(root), '--source', str(data), '-f', 'json')
    assert (master.code, checks(master)) == (1, ['duplicates'])
    stable = run_app(
        'check-requirements',
        str(root),
        '--source',
        str(data),
        '--branch',
        'stable/2025.1',
        '-f',
        'json',
    )
    assert (stable.code, checks(stable)) == (0, [])


def test_gr_check_as_the_reference_means_it(run_app: Run, data: Path, root: Path) -> None:
    (root / 'requirements.txt').write_text('six>=1.10.0\npecan>=1.4.0\noslo.service>=4.5.0\n')
    plain = run_app('check-constraints', str(root), '--source', str(data), '-f', 'json')
    assert (plain.code, plain.json()) == (0, [])
    gr = run_app('check-constraints', str(root), '-G', '--source', str(data), '-f', 'json')
    assert gr.code == 1
    assert [(r['Check'], r['Line'], r['Package'], r['Message']) for r in gr.json()] == [
        (
            'global-specifiers',
            2,
            'pecan',
            '>=1.4.0 names 1.4.0, which the global list excludes (!=1.4.0)',
        )
    ]


@pytest.mark.parametrize(
    'command, missing, name, checks_named',
    [
        (
            'validate-constraints',
            'upper-constraints.txt',
            'upper-constraints.txt',
            'constraint-format, constraint-matches-global, coverage',
        ),
        ('validate-constraints', 'denylist.txt', 'denylist.txt or blacklist.txt', 'coverage'),
        (
            'check-constraints',
            'denylist.txt',
            'denylist.txt or blacklist.txt',
            'in-global, upper-constraint',
        ),
        (
            'check-constraints',
            'upper-constraints.txt',
            'upper-constraints.txt',
            'upper-constraint',
        ),
        (
            'check-requirements',
            'denylist.txt',
            'denylist.txt or blacklist.txt',
            'exclusions, in-global, line-count, lower-bound, markers, spelling, upper-constraint',
        ),
    ],
)
def test_a_missing_data_file_is_an_error_naming_it(
    run_app: Run, data: Path, root: Path, command: str, missing: str, name: str, checks_named: str
) -> None:
    (data / missing).unlink()
    argv = [command, '--source', str(data)]
    if command != 'validate-constraints':
        argv.append(str(root))
    result = run_app(*argv)
    assert result.code == 1
    assert result.stderr == (f'{data}/{name}: no such file (needed by {checks_named})\n')


def test_the_job_s_own_data_is_enough(run_app: Run, data: Path, root: Path) -> None:
    """The reference's job reads the global list and the denylist (and
    backports.txt when there is one): without upper-constraints.txt, the
    check reading it is skipped, and says so; chosen by name, it is not."""
    (data / 'upper-constraints.txt').unlink()
    (data / 'backports.txt').write_text('importlib-metadata\n')
    (root / 'requirements.txt').write_text('six>=1.10.0\npecan>=1.4.0\n')
    argv = ('check-requirements', str(root), '--source', str(data), '-f', 'json')
    result = run_app(*argv)
    assert (result.code, result.json()) == (0, [])
    assert result.stderr == (
        f'check-requirements: upper-constraint skipped: {data}/'
        'upper-constraints.txt: no such file\n'
        'check-requirements: 0 errors, 0 warnings '
        '(11 checks run, 1 skipped: upper-constraint)\n'
    )
    # the other checks still run
    (root / 'requirements.txt').write_text('six>=1.10.0,!=1.12.0\n')
    failed = run_app(*argv)
    assert (failed.code, checks(failed)) == (1, ['exclusions'])
    chosen = run_app(*argv, '--select', 'in-global,upper-constraint')
    assert (chosen.code, chosen.stderr) == (
        1,
        f'{data}/upper-constraints.txt: no such file (needed by upper-constraint)\n',
    )
    (data / 'global-requirements.txt').unlink()
    missing = run_app(*argv)
    assert (missing.code, missing.stderr) == (1, f'{data}: no global-requirements.txt\n')


@pytest.mark.parametrize(
    'line, what',
    [
        ('-f http://tarballs.openstack.org/', 'a pip option line'),
        ('-e git+https://foo.com#egg=foo', 'an editable (-e) line'),
        (
            'http://tarballs.openstack.org/oslo.config/oslo.config-1.2.0a3.tar.gz#egg=oslo.config',
            'a URL line',
        ),
        ('-r other.txt', 'a pip option line'),
    ],
)
def test_the_global_list_holds_named_requirements_only(
    run_app: Run, data: Path, line: str, what: str
) -> None:
    with open(data / 'global-requirements.txt', 'a') as handle:
        handle.write(line + '\n')
    result = run_app(
        'validate-constraints', '--source', str(data), '--select', 'global-named', '-f', 'json'
    )
    assert result.code == 1
    assert [(r['Line'], r['Message']) for r in result.json()] == [
        (4, f'{what}, not a named requirement: {line}')
    ]
