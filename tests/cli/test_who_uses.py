"""who-uses through the real App, on corpus trees and a built one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, TREES


@pytest.fixture
def checkouts(tmp_path: Path) -> Path:
    """nova (real), and a project declaring oslo.config in every kind of
    source, spelt four ways, in a file the sync does not govern too."""
    root = tmp_path / 'src'
    shutil.copytree(TREES / 'nova-2026-08-21', root / 'openstack' / 'nova')
    demo = root / 'demo'
    demo.mkdir()
    (demo / 'requirements.txt').write_text('pbr>=6.1.1\noslo_config>=9.0.0\n')
    (demo / 'tools').mkdir()
    (demo / 'tools' / 'requirements.txt').write_text('# not governed\noslo.config<12\n')
    (demo / 'setup.cfg').write_text(
        '[metadata]\nname = demo\n\n[extras]\ntrace =\n'
        "  Oslo-Config>=9.1.0:python_version>='3.10'  # Apache-2.0\n")
    (demo / 'pyproject.toml').write_text(
        '[project]\nname = "demo"\ndependencies = ["Oslo.Config"]\n\n'
        '[dependency-groups]\nprofile = [\n  "oslo.config<11",\n]\n')
    (tmp_path / 'projects.txt').write_text(
        'openstack/nova\nopenstack/demo\nopenstack/absent\n')
    return root


def test_every_line_of_every_source(run_app, checkouts: Path,
                                    tmp_path: Path) -> None:
    result = run_app('who-uses', 'OSLO_CONFIG', '--root', str(checkouts),
                     '--projects', str(tmp_path / 'projects.txt'),
                     '--source', str(ROOT), '-f', 'json')
    assert result.code == 0, result
    assert [tuple(row.values()) for row in result.json()] == [
        ('openstack/nova', 'requirements.txt', 32, 'oslo.config', '>=9.3.0',
         '', '10.7.0'),
        ('openstack/demo', 'requirements.txt', 2, 'oslo_config', '>=9.0.0',
         '', '10.7.0'),
        ('openstack/demo', 'tools/requirements.txt', 2, 'oslo.config', '<12',
         '', '10.7.0'),
        ('openstack/demo', 'setup.cfg [extras] trace', 6, 'Oslo-Config',
         '>=9.1.0', "python_version>='3.10'", '10.7.0'),
        ('openstack/demo', 'pyproject.toml [project.dependencies]', 3, 'Oslo.Config', '',
         '', '10.7.0'),
        ('openstack/demo', 'pyproject.toml [dependency-groups] profile', 7,
         'oslo.config', '<11', '', '10.7.0'),
    ]
    assert list(result.json()[0]) == ['Project', 'File', 'Line', 'Package',
                                      'Specifier', 'Markers', 'Constraint']
    assert '1 projects of' in result.stderr  # openstack/absent
    assert '6 lines in 2 projects declare OSLO_CONFIG' in result.stderr


def test_project_dirs_and_the_default_projects_list(run_app, checkouts: Path) -> None:
    demo = checkouts / 'demo'
    alone = run_app('who-uses', 'pbr', str(demo), '--source', str(ROOT),
                    '-f', 'value')
    assert alone.code == 0
    assert alone.stdout == f'{demo} requirements.txt 1 pbr >=6.1.1  7.0.3\n'
    # --root alone reads projects.txt of --source: only nova is listed there
    listed = run_app('who-uses', 'oslo.config', '--root', str(checkouts),
                     '--source', str(ROOT), '-f', 'value', '-c', 'Project',
                     '-c', 'Line')
    assert listed.stdout == 'openstack/nova 32\n'


def test_no_project_and_unreadable_project(run_app, tmp_path: Path) -> None:
    none = run_app('who-uses', 'pbr', '--source', str(ROOT))
    assert none.code == 1 and 'no project given' in none.stderr
    bad = tmp_path / 'bad'
    bad.mkdir()
    (bad / 'requirements.txt').write_text('pbr>=\n')
    good = tmp_path / 'good'
    good.mkdir()
    (good / 'requirements.txt').write_text('pbr\n')
    result = run_app('who-uses', 'pbr', str(bad), str(good), '--source',
                     str(ROOT), '-f', 'value', '-c', 'Project')
    assert result.code == 1
    assert result.stdout == f'{good}\n'
    assert f"{bad}/requirements.txt:1:6: expected a version after '>='" in result.stderr
