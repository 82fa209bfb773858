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
        "  Oslo-Config>=9.1.0:python_version>='3.10'  # Apache-2.0\n"
    )
    (demo / 'pyproject.toml').write_text(
        '[project]\nname = "demo"\ndependencies = ["Oslo.Config"]\n\n'
        '[dependency-groups]\nprofile = [\n  "oslo.config<11",\n]\n'
    )
    (tmp_path / 'projects.txt').write_text('openstack/nova\nopenstack/demo\nopenstack/absent\n')
    return root


def test_every_line_of_every_source(run_app, checkouts: Path, tmp_path: Path) -> None:
    result = run_app(
        'who-uses',
        'OSLO_CONFIG',
        '--root',
        str(checkouts),
        '--projects',
        str(tmp_path / 'projects.txt'),
        '--source',
        str(ROOT),
        '-f',
        'json',
    )
    assert result.code == 0, result
    assert [tuple(row.values()) for row in result.json()] == [
        ('openstack/nova', 'requirements.txt', 32, 'oslo.config', '>=9.3.0', '', '10.7.0'),
        ('openstack/demo', 'requirements.txt', 2, 'oslo_config', '>=9.0.0', '', '10.7.0'),
        ('openstack/demo', 'tools/requirements.txt', 2, 'oslo.config', '<12', '', '10.7.0'),
        (
            'openstack/demo',
            'setup.cfg [extras] trace',
            6,
            'Oslo-Config',
            '>=9.1.0',
            "python_version>='3.10'",
            '10.7.0',
        ),
        (
            'openstack/demo',
            'pyproject.toml [project.dependencies]',
            3,
            'Oslo.Config',
            '',
            '',
            '10.7.0',
        ),
        (
            'openstack/demo',
            'pyproject.toml [dependency-groups] profile',
            7,
            'oslo.config',
            '<11',
            '',
            '10.7.0',
        ),
    ]
    assert list(result.json()[0]) == [
        'Project',
        'File',
        'Line',
        'Package',
        'Specifier',
        'Markers',
        'Constraint',
    ]
    assert '1 projects of' in result.stderr  # openstack/absent
    assert '6 lines in 2 projects declare OSLO_CONFIG' in result.stderr


def test_project_dirs_and_the_default_projects_list(run_app, checkouts: Path) -> None:
    demo = checkouts / 'demo'
    alone = run_app('who-uses', 'pbr', str(demo), '--source', str(ROOT), '-f', 'value')
    assert alone.code == 0
    assert alone.stdout == f'{demo} requirements.txt 1 pbr >=6.1.1  7.0.3\n'
    # --root alone reads projects.txt of --source: only nova is listed there
    listed = run_app(
        'who-uses',
        'oslo.config',
        '--root',
        str(checkouts),
        '--source',
        str(ROOT),
        '-f',
        'value',
        '-c',
        'Project',
        '-c',
        'Line',
    )
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
    result = run_app(
        'who-uses',
        'pbr',
        str(bad),
        str(good),
        '--source',
        str(ROOT),
        '-f',
        'value',
        '-c',
        'Project',
    )
    assert result.code == 1
    assert result.stdout == f'{good}\n'
    assert f"{bad}/requirements.txt:1:6: expected a version after '>='" in result.stderr


def test_every_requirements_file_of_the_tree(run_app, tmp_path: Path) -> None:
    """trove (real, HEAD 2026-08-14) declares oslo.config in files the gate
    does not govern, down the tree; what is not the project's own is left
    out: .git, .tox, virtualenvs, node_modules."""
    trove = tmp_path / 'trove'
    shutil.copytree(TREES / 'trove-2026-08-14', trove)
    planted = 'oslo.config>=1.0\n'
    for place in (
        '.git/requirements.txt',
        '.tox/py3/requirements.txt',
        'venv/requirements.txt',
        'node_modules/x/requirements.txt',
        '.venv/lib/site/setup.cfg',
    ):
        (trove / place).parent.mkdir(parents=True, exist_ok=True)
        (trove / place).write_text(planted)
    (trove / 'venv' / 'pyvenv.cfg').write_text('home = /usr/bin\n')
    (trove / '.venv' / 'bin').mkdir(parents=True)
    (trove / '.venv' / 'bin' / 'activate').write_text('')
    # a nested package of its own: its setup.cfg and pyproject.toml count
    (trove / 'tools' / 'agent').mkdir(parents=True)
    (trove / 'tools' / 'agent' / 'setup.cfg').write_text(
        '[metadata]\nname = agent\n\n[extras]\nconf =\n  oslo.config>=9.0.0\n'
    )
    (trove / 'tools' / 'agent' / 'pyproject.toml').write_text(
        '[project]\nname = "agent"\ndependencies = ["Oslo.Config>=9.1"]\n'
    )
    result = run_app(
        'who-uses',
        'oslo_config',
        str(trove),
        '--source',
        str(ROOT),
        '-f',
        'value',
        '-c',
        'File',
        '-c',
        'Line',
        '-c',
        'Specifier',
    )
    assert result.code == 0, result
    assert result.stdout.splitlines() == [
        'requirements.txt 28 >=6.8.0',
        'backup/requirements.txt 1 !=4.3.0,!=4.4.0',
        'integration/scripts/files/requirements/fedora-requirements.txt 13 >=1.9.3',
        'integration/scripts/files/requirements/ubuntu-requirements.txt 13 >=1.4.0',
        'tools/agent/setup.cfg [extras] conf 6 >=9.0.0',
        'tools/agent/pyproject.toml [project.dependencies] 3 >=9.1',
    ]
    assert '6 lines in 1 projects declare oslo_config' in result.stderr


def test_a_file_that_does_not_read_leaves_the_others_listed(run_app, tmp_path: Path) -> None:
    root = tmp_path / 'demo'
    (root / 'docs').mkdir(parents=True)
    (root / 'requirements.txt').write_text('pbr>=6.1.1\n')
    (root / 'docs' / 'extra-requirements.txt').write_text('pbr>=\n')
    outside = tmp_path / 'elsewhere-requirements.txt'
    outside.write_text('pbr>=1\n')
    (root / 'linked-requirements.txt').symlink_to(outside)
    result = run_app(
        'who-uses', 'pbr', str(root), '--source', str(ROOT), '-f', 'value', '-c', 'File'
    )
    assert (result.code, result.stdout) == (1, 'requirements.txt\n')
    assert (
        f"{root}/docs/extra-requirements.txt:1:6: expected a version after '>='" in result.stderr
    )
    assert (
        f'{root}/linked-requirements.txt: a symlink to {outside}, outside '
        f'the project {root}; refused'
    ) in result.stderr
