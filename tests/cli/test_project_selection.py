"""One project selection: every command that reads projects takes them the
same way (PROJECT_DIR..., --projects FILE, --root DIR repeated, the
checkouts beside the list's by default)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import DATA, TREES

DATA_2026 = DATA / 'openstack-2026-08-22'


@pytest.fixture
def zuul(tmp_path: Path) -> Path:
    """Checkouts as Zuul lays them out (src/HOST/ORG/NAME): the data in
    openstack/requirements listing nova (checked out) and a project
    without a checkout."""
    host = tmp_path / 'src' / 'opendev.org'
    data = host / 'openstack' / 'requirements'
    data.mkdir(parents=True)
    for name in ('global-requirements.txt', 'upper-constraints.txt', 'denylist.txt'):
        shutil.copyfile(DATA_2026 / name, data / name)
    (data / 'projects.txt').write_text('openstack/nova\nopenstack/gone\n')
    shutil.copytree(TREES / 'nova-2026-08-21', host / 'openstack' / 'nova')
    return data


def test_a_list_alone_finds_the_checkouts_beside_it(run_app, zuul: Path) -> None:
    listed = str(zuul / 'projects.txt')
    nova = zuul.parent / 'nova'
    where = f'{zuul.parents[1]} or {zuul.parent}'  # src/opendev.org(/openstack)
    uses = run_app(
        'who-uses',
        'oslo.config',
        '--projects',
        listed,
        '--source',
        str(zuul),
        '-f',
        'value',
        '-c',
        'Project',
        '-c',
        'Line',
    )
    assert uses.code == 0, uses
    assert uses.stdout == 'openstack/nova 32\n'
    assert f'1 projects of {listed} have no checkout under {where}' in uses.stderr
    update = run_app(
        'update-requirements', '--projects', listed, '--source', str(zuul), '--check', '-f', 'json'
    )
    assert {
        'File': 'openstack/gone',
        'Package': '',
        'Old': '',
        'New': '',
        'Reason': 'project not found',
    } in update.json()
    assert f'{listed}: openstack/gone: not found under {where}' in update.stderr
    assert all(row['File'].startswith(str(nova)) for row in update.json()[1:])
    valid = run_app('validate-projects', listed, '--all', '-f', 'json')
    assert [(r['Project'], r['Status']) for r in valid.json()] == [
        ('openstack/nova', 'no check-requirements'),
        ('openstack/gone', 'not found'),
    ]
    assert valid.json()[1]['Message'] == f'no checkout under {where}'


def test_roots_repeated_the_first_holding_a_checkout_wins(
    run_app, zuul: Path, tmp_path: Path
) -> None:
    listed = str(zuul / 'projects.txt')
    other = tmp_path / 'other'
    (other / 'gone').mkdir(parents=True)
    (other / 'gone' / 'requirements.txt').write_text('oslo.config>=1.0\n')
    args = [
        '--projects',
        listed,
        '--root',
        str(other),
        '--root',
        str(zuul.parents[1]),
        '--source',
        str(zuul),
    ]
    uses = run_app('who-uses', 'oslo.config', *args, '-f', 'value', '-c', 'Project')
    assert uses.code == 0, uses
    assert uses.stdout == 'openstack/nova\nopenstack/gone\n'
    unused = run_app(
        'unused', '--projects', listed, '--root', str(other), '--source', str(zuul), '-f', 'json'
    )
    assert {
        'Kind': 'missing project',
        'Name': 'openstack/nova',
        'Detail': f'no checkout under {other}',
    } in unused.json()


def test_no_project_is_one_error_everywhere(run_app, zuul: Path) -> None:
    for argv in (('who-uses', 'pbr'), ('update-requirements',), ('impact', '--base', str(zuul))):
        result = run_app(*argv, '--source', str(zuul))
        assert result.code == 1, argv
        assert result.stderr == (
            'no project given: name a PROJECT_DIR, or a projects '
            'list with --projects FILE or --root DIR\n'
        ), argv
