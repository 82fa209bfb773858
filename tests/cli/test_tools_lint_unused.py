"""lint and unused through the real App."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import DATA, ROOT, TREES

# OpenStack's list as published, with its two ordering problems
GLOBAL = DATA / 'openstack-2026-08-22' / 'global-requirements.txt'


def test_lint_lists_problems_and_exits_one(run_app, tmp_path: Path) -> None:
    result = run_app('lint', str(GLOBAL), '-f', 'json')
    assert result.code == 1
    assert [(row['Line'], row['Package'], row['Problem']) for row in result.json()] == [
        (31, 's3transfer', 'order'),
        (76, 'Hypercorn', 'order'),
    ]
    assert set(result.json()[0]) == {'File', 'Line', 'Package', 'Problem', 'Message'}
    tidy = tmp_path / 'global-requirements.txt'
    tidy.write_text('## section:a\n\nalpha  # MIT\nbeta  # MIT\n')
    clean = run_app('lint', '--source', str(tmp_path), '-f', 'json')
    assert (clean.code, clean.json()) == (0, [])


def test_lint_fix_rewrites_and_reports_what_is_left(run_app, tmp_path: Path) -> None:
    path = tmp_path / 'g-r.txt'
    path.write_text('## section:a\n\nbeta<2,>=1\n# about alpha\nalpha\nalpha\n')
    path.chmod(0o640)
    diff = run_app('lint', '--diff', str(path))
    assert diff.code == 0
    assert '+beta>=1,<2\n' in diff.stdout and '-beta<2,>=1\n' in diff.stdout
    result = run_app('lint', '--fix', str(path), '-f', 'json')
    assert result.code == 1  # the duplicate alpha needs a person
    assert [row['Problem'] for row in result.json()] == ['duplicate']
    assert path.read_text() == ('## section:a\n\n# about alpha\nalpha\nalpha\nbeta>=1,<2\n')
    assert path.stat().st_mode & 0o777 == 0o640
    assert f'{path}: rewritten, 2 problems fixed' in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ['g-r.txt']


def test_lint_fix_of_a_bad_file_writes_nothing(run_app, tmp_path: Path) -> None:
    path = tmp_path / 'g-r.txt'
    path.write_text('b\na>=\n')
    result = run_app('lint', '--fix', str(path))
    assert result.code == 1
    assert result.stderr.startswith(f"{path}:2:4: expected a version after '>='")
    assert path.read_text() == 'b\na>=\n'


def test_unused_lists_packages_and_missing_projects(run_app, tmp_path: Path) -> None:
    root = tmp_path / 'src'
    shutil.copytree(TREES / 'oslo.messaging-2026-05-13', root / 'openstack' / 'oslo.messaging')
    projects = tmp_path / 'projects.txt'
    projects.write_text('openstack/oslo.messaging\nopenstack/nova\n')
    result = run_app(
        'unused',
        '--root',
        str(root),
        '--projects',
        str(projects),
        '--source',
        str(GLOBAL.parent),
        '-f',
        'json',
    )
    assert result.code == 1
    rows = result.json()
    kinds = {row['Kind'] for row in rows}
    assert kinds == {'unused package', 'missing project'}
    names = {row['Name'] for row in rows if row['Kind'] == 'unused package'}
    assert 'kombu' not in names and 'Django' in names
    assert {
        'Kind': 'missing project',
        'Name': 'openstack/nova',
        'Detail': f'no checkout under {root}',
    } in rows
    django = next(row for row in rows if row['Name'] == 'Django')
    assert django['Detail'] == 'global-requirements.txt:50 section general'
    assert '1 projects read, 1 missing' in result.stderr


def test_unused_needs_a_root_that_exists(run_app, tmp_path: Path) -> None:
    assert run_app('unused').code == 2
    result = run_app('unused', '--root', str(tmp_path / 'nope'), '--source', str(ROOT))
    assert result.code == 1
    assert 'nope' in result.stderr and 'Traceback' not in result.stderr
