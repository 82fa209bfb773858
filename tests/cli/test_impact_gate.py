"""impact runs the gate: the requirements-check job's checks of every
project a change touches, with the data before and after it. Real trees
(trove, nova, oslo.messaging of 2026; nova of 2022) and the dated data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import DATA, TEST_DATA, TREES
from tests.helpers import edit, git

EXCLUSIONS = 'exclusions: excludes versions the global list does not: !=2.19.1 (global: (none))'


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """trove, nova and oslo.messaging as they were in 2026."""
    place = tmp_path / 'src'
    for tree in ('trove-2026-08-14', 'nova-2026-08-21', 'oslo.messaging-2026-05-13'):
        shutil.copytree(TREES / tree, place / 'openstack' / tree.rsplit('-', 3)[0])
    (tmp_path / 'projects.txt').write_text(
        'openstack/trove\nopenstack/nova\nopenstack/oslo.messaging\n'
    )
    return place


def table(result) -> list[tuple]:
    """Every column but New, which the sync policy spells."""
    return [
        (r['Kind'], r['Package'], r['Project'], r['File'], r['Line'], r['Old'], r['Detail'])
        for r in result.json()
    ]


def impact(run_app, base: Path, proposed: Path, root: Path, *more: str):
    return run_app(
        'impact',
        '--no-index',
        '--base',
        str(base),
        '--source',
        str(proposed),
        '--projects',
        str(root.parent / 'projects.txt'),
        '--root',
        str(root),
        '-f',
        'json',
        *more,
    )


def test_the_2024_exclusion_clean_up(run_app, base: Path, proposed: Path, root: Path) -> None:
    """An exclusion dropped from the global list fails the job of every
    project still carrying it (as in 2024, when such a clean-up had to be
    reverted): trove carries oslo.serialization's !=2.19.1."""
    edit(
        proposed / 'global-requirements.txt',
        'oslo.serialization!=2.19.1  #',
        'oslo.serialization  #',
    )
    trove = root / 'openstack' / 'trove'
    # what check-requirements says on each version of the data
    assert run_app('check-requirements', '--source', str(base), str(trove)).code == 0
    after = run_app('check-requirements', '--source', str(proposed), str(trove), '-f', 'json')
    assert (
        after.code,
        [(f['Check'], f['Line']) for f in after.json() if f['Severity'] == 'error'],
    ) == (1, [('exclusions', 32)])

    result = impact(run_app, base, proposed, root)
    assert result.code == 1, result
    line = 'oslo.serialization!=2.19.1,>=2.18.0 # Apache-2.0'
    assert table(result) == [
        (
            'change',
            'oslo.serialization',
            '',
            'global-requirements.txt',
            375,
            'oslo.serialization!=2.19.1',
            'specifier changed',
        ),
        (
            'sync',
            'oslo.serialization',
            'openstack/trove',
            'requirements.txt',
            32,
            line,
            'specifiers',
        ),
        (
            'break',
            'oslo.serialization',
            'openstack/trove',
            'requirements.txt',
            32,
            line,
            EXCLUSIONS,
        ),
        (
            'uses',
            'oslo.serialization',
            'openstack/nova',
            'requirements.txt',
            37,
            'oslo.serialization>=4.2.0 # Apache-2.0',
            '',
        ),
        (
            'uses',
            'oslo.serialization',
            'openstack/oslo.messaging',
            'requirements.txt',
            12,
            'oslo.serialization>=2.18.0 # Apache-2.0',
            '',
        ),
    ]
    assert (
        '1 packages changed; 3 projects touched, 1 broken, 1 to sync (1 lines); 3 projects read'
    ) in result.stderr
    breaks = impact(run_app, base, proposed, root, '--kind', 'break')
    assert [(r['Project'], r['Line'], r['Old'], r['Detail']) for r in breaks.json()] == [
        ('openstack/trove', 32, line, EXCLUSIONS)
    ]

    # the revert: trove passes again, a fix; nothing breaks
    revert = impact(run_app, proposed, base, root)
    assert revert.code == 0, revert
    assert [r for r in table(revert) if r[0] == 'fix'] == [
        ('fix', 'oslo.serialization', 'openstack/trove', 'requirements.txt', 32, line, EXCLUSIONS)
    ]
    assert '0 broken, 1 fixed, ' in revert.stderr


def test_a_global_line_that_no_longer_parses(
    run_app, base: Path, proposed: Path, root: Path
) -> None:
    edit(
        proposed / 'global-requirements.txt',
        'oslo.serialization!=2.19.1  #',
        'oslo.serialization!=2.19.1,<  #',
    )
    result = impact(run_app, base, proposed, root, '--kind', 'break')
    assert result.code == 1
    assert [(r['Project'], r['File'], r['Line'], r['Detail']) for r in result.json()] == [
        (
            project,
            'global-requirements.txt',
            375,
            "data-lines: column 29: expected a version after '<': "
            f'oslo.serialization!=2.19.1,<  # Apache-2.0 (needed by {needed})',
        )
        for project, needed in (
            ('openstack/trove', 'requirements.txt:32'),
            ('openstack/nova', 'requirements.txt:37'),
            ('openstack/oslo.messaging', 'requirements.txt:12'),
        )
    ]


def test_a_backport_removed(run_app, base: Path, proposed: Path, tmp_path: Path) -> None:
    """The markers check tolerates any Python 3 marker on a backport's
    line: a line relying on it fails once the package is no longer one
    (the global line given a marker of its own, which the data lacks)."""
    for data in (base, proposed):
        edit(
            data / 'global-requirements.txt',
            'importlib-metadata  #',
            "importlib-metadata;python_version<'3.12'  #",
        )
    project = tmp_path / 'reader'
    project.mkdir()
    (project / 'requirements.txt').write_text(
        "importlib-metadata>=4.0;python_version<'3.10'  # Apache-2.0\n"
    )
    edit(proposed / 'backports.txt', 'importlib-metadata\n', '')
    args = (str(project), '--no-index', '-f', 'value', '-c', 'Kind', '-c', 'Detail')
    result = run_app('impact', '--base', str(base), '--source', str(proposed), *args)
    assert result.code == 1, result
    assert result.stdout.splitlines() == [
        'change backport removed',
        'break markers: markers \'python_version < "3.10"\' match no global '
        'entry (global: python_version < "3.12")',
    ]
    revert = run_app('impact', '--base', str(proposed), '--source', str(base), *args)
    assert revert.stdout.splitlines()[1].startswith('fix markers: ')


@pytest.mark.parametrize(
    'branch, rows',
    [
        ('master', [('fix', 'openstack/ceilometer'), ('break', 'openstack/other')]),
        ('stable/2025.1', [('fix', 'openstack/ceilometer'), ('break', 'openstack/other')]),
        # the series before 2025.1 compare names as pkg_resources did: alike
        ('stable/2024.1', []),
        ('unmaintained/2024.1', []),
    ],
)
def test_names_are_compared_as_the_branch_s_job_compares_them(
    run_app, base: Path, proposed: Path, tmp_path: Path, branch: str, rows: list[tuple[str, str]]
) -> None:
    """The global list respells prometheus-client as prometheus_client:
    ceilometer (stable/2025.1's file, spelling it so) now matches, a
    project spelling it as the global list did no longer does."""
    root = tmp_path / 'src' / 'openstack'
    for name in ('ceilometer', 'other'):
        (root / name).mkdir(parents=True)
    shutil.copyfile(
        TEST_DATA / 'files' / 'ceilometer-f1d638fa-requirements.txt',
        root / 'ceilometer' / 'requirements.txt',
    )
    (root / 'other' / 'requirements.txt').write_text('prometheus-client>=0.20.0  # Apache-2.0\n')
    (tmp_path / 'projects.txt').write_text('openstack/ceilometer\nopenstack/other\n')
    edit(proposed / 'global-requirements.txt', 'prometheus-client  #', 'prometheus_client  #')
    result = run_app(
        'impact',
        '--no-index',
        '--base',
        str(base),
        '--source',
        str(proposed),
        '--projects',
        str(tmp_path / 'projects.txt'),
        '--root',
        str(tmp_path / 'src'),
        '--branch',
        branch,
        '-f',
        'json',
    )
    assert result.json()[0]['Detail'] == 'spelling changed'
    assert [
        (r['Kind'], r['Project']) for r in result.json() if r['Kind'] in ('break', 'fix')
    ] == rows
    assert result.code == (1 if rows else 0)
    if rows:
        assert result.json()[-1]['Detail'].startswith(
            'spelling: could not find a global requirements entry to match '
            "package prometheus-client: the global list spells it 'prometheus_client'"
        )


def test_a_stable_branch_and_its_data(run_app, tmp_path: Path) -> None:
    """A requirements checkout whose stable/yoga holds the data of 2022
    (blacklist.txt, no backports): a review of a change there, with
    --branch, compares the work tree with where HEAD left the branch, and
    checks nova of 2022 by the stable rules."""
    origin = tmp_path / 'origin'
    shutil.copytree(DATA / 'openstack-2026-08-22', origin)
    git(origin, 'init', '-q', '-b', 'master')
    git(origin, 'add', '.')
    git(origin, 'commit', '-qm', 'master data')
    git(origin, 'checkout', '-q', '-b', 'stable/yoga')
    git(origin, 'rm', '-q', '-r', '.')
    for path in (DATA / 'openstack-2022-06-01').iterdir():
        shutil.copyfile(path, origin / path.name)
    git(origin, 'add', '.')
    git(origin, 'commit', '-qm', 'yoga data')
    git(origin, 'checkout', '-q', 'master')
    repo = tmp_path / 'requirements'
    git(tmp_path, 'clone', '-q', str(origin), str(repo))
    git(repo, 'checkout', '-q', '-b', 'review/dataclasses', 'origin/stable/yoga')
    with (repo / 'global-requirements.txt').open('a') as handle:
        handle.write("dataclasses;python_version=='3.6'  # Apache-2.0\n")
    src = tmp_path / 'src' / 'openstack'
    shutil.copytree(TREES / 'nova-2022-06-01', src / 'nova')
    args = (
        'impact',
        '--no-index',
        '--source',
        str(repo),
        '--root',
        str(tmp_path / 'src'),
        '--projects',
        str(repo / 'projects.txt'),
        '-f',
        'value',
        '-c',
        'Kind',
        '-c',
        'Project',
        '-c',
        'Line',
        '-c',
        'Detail',
    )
    result = run_app(*args, '--branch', 'stable/yoga')
    assert result.code == 0, result
    assert result.stdout.splitlines() == [
        'change  512 added',
        'fix openstack/nova 68 in-global: not in the global requirements (nor in the denylist)',
    ]
    assert result.stderr.startswith(f'origin/stable/yoga -> {repo}: 1 packages')
    # committed on the review branch, the branch gone on since: the same,
    # from where HEAD left the branch
    git(repo, 'commit', '-qam', 'Add dataclasses')
    left = git(repo, 'rev-parse', 'HEAD~1').strip()
    git(origin, 'checkout', '-q', 'stable/yoga')
    edit(origin / 'upper-constraints.txt', 'SQLAlchemy===1.4.36', 'SQLAlchemy===1.4.37')
    git(origin, 'commit', '-qam', 'Bump SQLAlchemy')
    git(repo, 'fetch', '-q')
    again = run_app(*args, '--branch', 'stable/yoga')
    assert (again.code, again.stdout) == (0, result.stdout)
    assert again.stderr.startswith(f'{left[:12]} (where HEAD left origin/stable/yoga) -> ')
    # without --branch, HEAD is the base: nothing changed since
    assert run_app(*args).stdout == ''
    missing = run_app(*args, '--branch', 'stable/zed')
    assert (missing.code, missing.stderr) == (
        1,
        f'{repo}: no branch stable/zed (nor origin/stable/zed)\n',
    )
