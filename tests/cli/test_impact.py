"""impact through the real App: the shipped data as base, changes a
reviewer sees, real corpus trees and built ones as projects."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import TREES
from tests.helpers import edit, git


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """nova and oslo.messaging (real trees), and a built project with a
    cap, in setup.cfg extras and pyproject dependency groups too."""
    place = tmp_path / 'src'
    shutil.copytree(TREES / 'nova-2026-08-21', place / 'openstack' / 'nova')
    shutil.copytree(TREES / 'oslo.messaging-2026-05-13', place / 'openstack' / 'oslo.messaging')
    capped = place / 'openstack' / 'capped'
    capped.mkdir()
    (capped / 'requirements.txt').write_text(
        'pbr>=6.1.1  # Apache-2.0\nSQLAlchemy>=1.4.0,<2.1  # MIT\n'
    )
    (capped / 'setup.cfg').write_text(
        '[metadata]\nname = capped\n\n[extras]\namqp =\n  kombu>=5.0  # BSD\n'
    )
    (capped / 'pyproject.toml').write_text(
        '[project]\nname = "capped"\n\n[dependency-groups]\nconfig = ["oslo_config>=10.0.0"]\n'
    )
    (tmp_path / 'projects.txt').write_text(
        'openstack/nova\nopenstack/oslo.messaging\nopenstack/capped\nopenstack/absent\n'
    )
    return place


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


def table(result) -> list[tuple]:
    """Every column but New, which the sync policy spells."""
    return [
        (r['Kind'], r['Package'], r['Project'], r['File'], r['Line'], r['Old'], r['Detail'])
        for r in result.json()
    ]


def news(result) -> dict[tuple[str, int], str]:
    return {
        (r['Project'], r['Line']): r['New']
        for r in result.json()
        if r['Kind'] != 'change' and r['New']
    }


def test_raise_a_minimum(run_app, base: Path, proposed: Path, root: Path) -> None:
    edit(
        proposed / 'global-requirements.txt',
        'oslo.config!=4.3.0,!=4.4.0  #',
        'oslo.config>=9.5.0,!=4.3.0,!=4.4.0  #',
    )
    result = impact(run_app, base, proposed, root)
    assert result.code == 0, result
    assert table(result) == [
        (
            'change',
            'oslo.config',
            '',
            'global-requirements.txt',
            361,
            'oslo.config!=4.3.0,!=4.4.0',
            'specifier changed',
        ),
        (
            'sync',
            'oslo.config',
            'openstack/nova',
            'requirements.txt',
            32,
            'oslo.config>=9.3.0 # Apache-2.0',
            'specifiers',
        ),
        (
            'sync',
            'oslo.config',
            'openstack/oslo.messaging',
            'requirements.txt',
            8,
            'oslo.config>=5.2.0 # Apache-2.0',
            'specifiers',
        ),
        (
            'uses',
            'oslo_config',
            'openstack/capped',
            'pyproject.toml [dependency-groups] config',
            5,
            'oslo_config>=10.0.0',
            '',
        ),
    ]
    assert result.json()[0]['New'] == 'oslo.config>=9.5.0,!=4.3.0,!=4.4.0'
    for new in news(result).values():
        assert new.startswith('oslo.config>=9.5.0')
    # as update-requirements --exact would: the global specifiers as they are
    exact = impact(run_app, base, proposed, root, '--exact')
    assert [(r['Kind'], r['Project'], r['New']) for r in exact.json()[1:]] == [
        ('sync', 'openstack/nova', 'oslo.config>=9.5.0,!=4.3.0,!=4.4.0 # Apache-2.0'),
        ('sync', 'openstack/oslo.messaging', 'oslo.config>=9.5.0,!=4.3.0,!=4.4.0 # Apache-2.0'),
        ('sync', 'openstack/capped', 'oslo.config>=9.5.0,!=4.3.0,!=4.4.0'),
    ]
    assert list(result.json()[0]) == [
        'Kind',
        'Package',
        'Project',
        'File',
        'Line',
        'Old',
        'New',
        'Detail',
    ]
    assert (
        f'{base} -> {proposed}: 1 packages changed; 3 projects touched, '
        '0 broken, 2 to sync (2 lines); 3 projects read, 1 listed '
        'without a checkout'
    ) in result.stderr


def test_exclude_the_pinned_version(run_app, base: Path, proposed: Path, root: Path) -> None:
    edit(proposed / 'global-requirements.txt', 'kombu!=4.0.2  #', 'kombu!=4.0.2,!=5.6.2  #')
    result = impact(run_app, base, proposed, root)
    assert result.code == 1
    assert table(result) == [
        (
            'change',
            'kombu',
            '',
            'global-requirements.txt',
            93,
            'kombu!=4.0.2',
            'specifier changed',
        ),
        (
            'break',
            'kombu',
            'openstack/oslo.messaging',
            'requirements.txt',
            28,
            'kombu>=4.6.8 # BSD',
            'once synced, >=4.6.8,!=5.6.2 excludes the upper constraint 5.6.2',
        ),
        (
            'break',
            'kombu',
            'openstack/capped',
            'setup.cfg [extras] amqp',
            6,
            'kombu>=5.0  # BSD',
            'once synced, >=5.0,!=5.6.2 excludes the upper constraint 5.6.2',
        ),
    ]
    assert all('!=5.6.2' in new for new in news(result).values())
    assert len(news(result)) == 2
    assert '2 projects touched, 2 broken, 2 to sync (2 lines)' in result.stderr


def test_bump_a_constraint_beyond_a_cap(run_app, base: Path, proposed: Path, root: Path) -> None:
    edit(proposed / 'upper-constraints.txt', 'SQLAlchemy===2.0.52', 'SQLAlchemy===2.1.0')
    result = impact(run_app, base, proposed, root)
    assert result.code == 1
    assert [tuple(r.values()) for r in result.json()] == [
        (
            'change',
            'SQLAlchemy',
            '',
            'upper-constraints.txt',
            150,
            '2.0.52',
            '2.1.0',
            'constraint bumped',
        ),
        (
            'uses',
            'SQLAlchemy',
            'openstack/nova',
            'requirements.txt',
            6,
            'SQLAlchemy>=1.4.13 # MIT',
            '',
            '',
        ),
        (
            'break',
            'SQLAlchemy',
            'openstack/capped',
            'requirements.txt',
            2,
            'SQLAlchemy>=1.4.0,<2.1  # MIT',
            '',
            '>=1.4.0,<2.1 excludes the proposed upper constraint 2.1.0',
        ),
    ]
    only = impact(run_app, base, proposed, root, '--kind', 'break', '--kind', 'sync')
    assert (only.code, table(only)) == (1, table(result)[2:])
    # a bump the cap admits breaks nothing
    edit(proposed / 'upper-constraints.txt', 'SQLAlchemy===2.1.0', 'SQLAlchemy===2.0.53')
    assert impact(run_app, base, proposed, root).code == 0


def test_denylist_a_package_in_use(run_app, base: Path, proposed: Path, root: Path) -> None:
    edit(proposed / 'global-requirements.txt', 'fixtures  # Apache-2.0/BSD\n', '')
    edit(proposed / 'upper-constraints.txt', 'fixtures===4.3.2\n', '')
    with (proposed / 'denylist.txt').open('a') as handle:
        handle.write('fixtures\n')
    result = impact(run_app, base, proposed, root)
    assert result.code == 0, result
    uses = [
        ('uses', 'fixtures', project, name, line, 'fixtures>=3.0.0 # Apache-2.0/BSD', '')
        for project, name, line in [
            ('openstack/nova', 'test-requirements.txt', 4),
            ('openstack/oslo.messaging', 'test-requirements.txt', 1),
            ('openstack/oslo.messaging', 'doc/requirements.txt', 6),
        ]
    ]
    assert table(result) == [
        ('change', 'fixtures', '', 'denylist.txt', 99, '', 'newly denylisted'),
        ('change', 'fixtures', '', 'global-requirements.txt', 231, 'fixtures', 'removed'),
        ('change', 'fixtures', '', 'upper-constraints.txt', 64, '4.3.2', 'constraint removed'),
        *uses,
    ]
    # removed from the global list without going to the denylist: each
    # line fails the job's in-global check (the gate's rows say it, for
    # lines nothing else happens to)
    shutil.copyfile(base / 'denylist.txt', proposed / 'denylist.txt')
    removed = impact(run_app, base, proposed, root)
    assert removed.code == 1
    assert table(removed)[2:] == [
        ('break', *row[1:6], 'in-global: not in the global requirements (nor in the denylist)')
        for row in uses
    ]
    assert '2 projects touched, 2 broken, 0 to sync' in removed.stderr


def test_no_change(run_app, base: Path, proposed: Path, root: Path) -> None:
    result = impact(run_app, base, proposed, root)
    assert (result.code, result.json()) == (0, [])
    assert '0 packages changed; 0 projects touched' in result.stderr


def test_base_is_a_git_revision(run_app, base: Path, root: Path, tmp_path: Path) -> None:
    repo = tmp_path / 'requirements'
    shutil.copytree(base, repo / 'data')
    git(repo, 'init', '-q')
    git(repo, 'add', '.')
    git(repo, 'commit', '-qm', 'data')
    edit(repo / 'data' / 'upper-constraints.txt', 'SQLAlchemy===2.0.52', 'SQLAlchemy===2.1.0')
    projects = [
        '--projects',
        str(tmp_path / 'projects.txt'),
        '--root',
        str(root),
        '-f',
        'value',
        '-c',
        'Kind',
        '-c',
        'Project',
        '--no-index',
    ]
    # default: HEAD of the checkout holding --source, against its work tree
    result = run_app('impact', '--source', str(repo / 'data'), *projects)
    assert result.code == 1
    assert result.stdout.split('\n')[:3] == [
        'change ',
        'uses openstack/nova',
        'break openstack/capped',
    ]
    assert result.stderr.startswith(f'HEAD -> {repo / "data"}: 1 packages')
    git(repo, 'commit', '-qam', 'bump')
    assert run_app('impact', '--source', str(repo / 'data'), *projects).stdout == ''
    again = run_app('impact', '--source', str(repo / 'data'), '--base', 'HEAD~1', *projects)
    assert again.stdout == result.stdout and again.code == 1
    bad = run_app('impact', '--source', str(repo / 'data'), '--base', 'nope', *projects)
    assert bad.code == 1
    assert bad.stderr == (f"{repo / 'data'}: 'nope' is neither a directory nor a git revision\n")
    outside = run_app('impact', '--source', str(base), *projects)
    assert outside.code == 1 and 'not a git repository' in outside.stderr


def test_syncs_are_what_update_requirements_writes_because_of_the_change(
    run_app, base: Path, proposed: Path, root: Path, tmp_path: Path
) -> None:
    """Sync each project with the base data and with the proposed data
    (copies): the lines only the second writes are the impact's New
    cells, no more (a sync pending before the change is not one)."""
    edit(
        proposed / 'global-requirements.txt',
        'oslo.config!=4.3.0,!=4.4.0  #',
        'oslo.config>=9.5.0,!=4.3.0,!=4.4.0  #',
    )
    edit(proposed / 'global-requirements.txt', 'kombu!=4.0.2  #', 'kombu!=4.0.2,!=5.6.2  #')
    edit(proposed / 'global-requirements.txt', 'WebOb  # MIT', 'WebOb>=1.8.0  # MIT')
    (root / 'openstack' / 'capped' / 'test-requirements.txt').write_text(
        'WebOb>=1.7.1\nstestr>=2.0.0,<3  # Apache-2.0\n'
    )  # stestr: pending
    result = impact(run_app, base, proposed, root)
    expected: dict[tuple[str, str], set[str]] = {}
    for row in result.json():
        if row['Kind'] != 'change' and row['New']:
            expected.setdefault((row['Project'], row['File']), set()).add(row['New'])
    written: dict[tuple[str, str], set[str]] = {}
    copies = {}
    for label, data in (('before', base), ('after', proposed)):
        copies[label] = tmp_path / label
        shutil.copytree(root, copies[label])
        done = run_app(
            'update-requirements',
            '--soft-update',
            '--source',
            str(data),
            '--projects',
            str(tmp_path / 'projects.txt'),
            '--root',
            str(copies[label]),
        )
        assert done.code == 0, done
    for path in sorted(copies['after'].rglob('*.txt')):
        relative = path.relative_to(copies['after'])
        before = set((copies['before'] / relative).read_text().splitlines())
        new = set(path.read_text().splitlines()) - before
        if new:
            project = '/'.join(relative.parts[:2])
            written[(project, '/'.join(relative.parts[2:]))] = new
    assert written == {k: v for k, v in expected.items() if k[1].endswith('.txt')}
    assert set(expected) == {
        ('openstack/nova', 'requirements.txt'),
        ('openstack/oslo.messaging', 'requirements.txt'),
        ('openstack/capped', 'test-requirements.txt'),
        ('openstack/capped', 'setup.cfg [extras] amqp'),
    }


def test_project_dirs_and_include(run_app, base: Path, proposed: Path, tmp_path: Path) -> None:
    edit(proposed / 'upper-constraints.txt', 'SQLAlchemy===2.0.52', 'SQLAlchemy===2.1.0')
    project = tmp_path / 'driver'
    project.mkdir()
    (project / 'requirements.txt').write_text('pbr>=6.1.1\n')
    (project / 'driver-requirements.txt').write_text('sqlalchemy<2.1\n')
    args = (
        'impact',
        '--no-index',
        '--base',
        str(base),
        '--source',
        str(proposed),
        str(project),
        '-f',
        'value',
        '-c',
        'Kind',
        '-c',
        'Project',
        '-c',
        'File',
    )
    governed = run_app(*args)
    assert (governed.code, governed.stdout) == (0, 'change  upper-constraints.txt\n')
    included = run_app(*args, '--include', 'driver-requirements.txt')
    assert included.code == 1
    assert included.stdout.splitlines()[1] == f'break {project} driver-requirements.txt'


def test_a_marker_variant_split(run_app, base: Path, proposed: Path, root: Path) -> None:
    """The global line becomes two marker variants: each project line is
    synced to the first, and the second is added after it."""
    edit(
        proposed / 'global-requirements.txt',
        'oslo.service!=1.28.1,!=4.5.0  # Apache-2.0\n',
        "oslo.service!=1.28.1;python_version<'3.12'  # Apache-2.0\n"
        "oslo.service!=1.28.1,!=4.5.0;python_version>='3.12'  # Apache-2.0\n",
    )
    result = impact(run_app, base, proposed, root)
    assert result.code == 0, result
    assert [
        (r['Kind'], r['Project'], r['Line'], r['Old'], r['Detail']) for r in result.json()
    ] == [
        ('change', '', 376, 'oslo.service!=1.28.1,!=4.5.0', 'specifier and markers changed'),
        ('sync', 'openstack/nova', 46, 'oslo.service[threading]>=4.5.0 # Apache-2.0', 'markers'),
        ('sync', 'openstack/nova', 46, '', 'added marker variant'),
        (
            'sync',
            'openstack/oslo.messaging',
            13,
            'oslo.service>=1.24.0 # Apache-2.0',
            'specifiers, markers',
        ),
        ('sync', 'openstack/oslo.messaging', 13, '', 'added marker variant'),
    ]
    news = [r['New'] for r in result.json()[1:]]
    assert [new.split(';')[1].split(' ')[0] for new in news] == [
        "python_version<'3.12'",
        "python_version>='3.12'",
    ] * 2


def test_kind_choices_are_the_row_kinds() -> None:
    """--kind offers every Kind (the cli leaves ops unimported at start)."""
    from openstack_requirements.cli.app import RequirementsApp
    from openstack_requirements.cli.impact import Impact
    from openstack_requirements.ops.reports.impact_rows import Kind

    parser = Impact(RequirementsApp(), None, cmd_name='impact').get_parser('impact')
    [kind] = [a for a in parser._actions if '--kind' in a.option_strings]
    assert list(kind.choices) == [k.value for k in Kind]
