"""validate-projects on real Zuul configuration, in each layout Zuul reads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ZUUL

PROJECT_CONFIG = ZUUL / 'project-config-projects.yaml'
NOVA = (ZUUL / 'openstack' / 'nova' / '.zuul.yaml').read_text()
MESSAGING = (ZUUL / 'openstack' / 'oslo.messaging' / '.zuul.yaml').read_text()


def split(text: str) -> tuple[str, str]:
    """A real .zuul.yaml cut in two: its jobs, and its project stanza."""
    at = text.index('\n- project:\n')
    return text[: at + 1], text[at + 1 :]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """nova as it is (.zuul.yaml, under ORG/NAME); oslo.messaging's config
    as a zuul.d/ directory (under NAME); glance with nova's config minus
    the check-requirements template, as a .zuul.d/ directory (with
    oslo.messaging's jobs beside it)."""
    root = tmp_path / 'src'
    (root / 'openstack' / 'nova').mkdir(parents=True)
    shutil.copyfile(
        ZUUL / 'openstack' / 'nova' / '.zuul.yaml', root / 'openstack' / 'nova' / '.zuul.yaml'
    )
    jobs, project = split(MESSAGING)
    (root / 'oslo.messaging' / 'zuul.d').mkdir(parents=True)
    (root / 'oslo.messaging' / 'zuul.d' / 'jobs.yaml').write_text(jobs)
    (root / 'oslo.messaging' / 'zuul.d' / 'project.yaml').write_text(project)
    # (nova's project stanza uses anchors of its jobs: one file)
    assert NOVA.count('      - check-requirements\n') == 1
    glance = root / 'openstack' / 'glance' / '.zuul.d'
    glance.mkdir(parents=True)
    (glance / 'jobs.yaml').write_text(jobs)
    (glance / 'project.yaml').write_text(NOVA.replace('      - check-requirements\n', ''))
    return root


@pytest.fixture
def projects(tmp_path: Path) -> Path:
    path = tmp_path / 'projects.txt'
    path.write_text(
        '# exempt\nopenstack/hacking\nopenstack/nova\n\n'
        'openstack/oslo.messaging\nopenstack/glance\n'
    )
    return path


def test_finds_the_project_without_the_template(run_app, root: Path, projects: Path) -> None:
    result = run_app(
        'validate-projects',
        str(projects),
        '--root',
        str(root),
        '--project-config',
        str(PROJECT_CONFIG),
        '-f',
        'json',
    )
    assert result.code == 1
    assert result.json() == [
        {
            'Project': 'openstack/glance',
            'Status': 'no check-requirements',
            'Config': f'{PROJECT_CONFIG}, {root}/openstack/glance/.zuul.d/jobs.yaml, '
            f'{root}/openstack/glance/.zuul.d/project.yaml',
            'Message': 'no check-requirements template and no requirements-check '
            'job in its check pipeline',
        }
    ]
    assert result.stderr == (
        'validate-projects: 4 projects, 2 run the check, 1 exempt, '
        '1 without it, 0 not found, 0 unreadable\n'
    )
    every = run_app('validate-projects', str(projects), '--root', str(root), '--all', '-f', 'json')
    assert [(r['Project'], r['Status']) for r in every.json()] == [
        ('openstack/hacking', 'exempt'),
        ('openstack/nova', 'ok'),
        ('openstack/oslo.messaging', 'ok'),
        ('openstack/glance', 'no check-requirements'),
    ]
    assert every.json()[2]['Config'] == (
        f'{root}/oslo.messaging/zuul.d/jobs.yaml, {root}/oslo.messaging/zuul.d/project.yaml'
    )


def test_passes_when_every_project_runs_it(run_app, root: Path, projects: Path) -> None:
    projects.write_text('openstack/nova\nopenstack/oslo.messaging\nopenstack/requirements\n')
    result = run_app('validate-projects', str(projects), '--root', str(root), '-f', 'json')
    assert (result.code, result.json()) == (0, [])


def test_a_project_without_checkout_is_not_found(run_app, root: Path, projects: Path) -> None:
    # cinder has a stanza in project-config (without the template: its
    # Zuul configuration is in its own repository, which is not here)
    projects.write_text('openstack/cinder\nopenstack/requestsexceptions\n')
    result = run_app(
        'validate-projects',
        str(projects),
        '--root',
        str(root),
        '--project-config',
        str(PROJECT_CONFIG),
        '-f',
        'json',
    )
    assert result.code == 1
    assert [(r['Project'], r['Status'], r['Message']) for r in result.json()] == [
        (
            'openstack/cinder',
            'not found',
            f'no checkout under {root} (project-config does not run check-requirements for it)',
        ),
        ('openstack/requestsexceptions', 'not found', f'no checkout under {root}'),
    ]


def test_project_config_alone_can_pass_a_project(run_app, tmp_path: Path) -> None:
    # x/valet runs the template from project-config's own stanza
    projects = tmp_path / 'projects.txt'
    projects.write_text('x/valet\n')
    result = run_app(
        'validate-projects',
        str(projects),
        '--root',
        str(tmp_path),
        '--project-config',
        str(PROJECT_CONFIG),
        '-f',
        'json',
    )
    assert (result.code, result.json()) == (0, [])
    # a project-config checkout is read from its zuul.d/projects.yaml
    checkout = tmp_path / 'project-config' / 'zuul.d'
    checkout.mkdir(parents=True)
    shutil.copyfile(PROJECT_CONFIG, checkout / 'projects.yaml')
    again = run_app(
        'validate-projects',
        str(projects),
        '--root',
        str(tmp_path),
        '--project-config',
        str(checkout.parent),
    )
    assert again.code == 0


def test_zuul_reads_the_first_layout_only(run_app, tmp_path: Path) -> None:
    # zuul.yaml comes before .zuul.yaml: the template in the second is unseen
    checkout = tmp_path / 'nova'
    checkout.mkdir()
    (checkout / 'zuul.yaml').write_text(split(NOVA)[0])
    (checkout / '.zuul.yaml').write_text(NOVA)
    projects = tmp_path / 'projects.txt'
    projects.write_text('openstack/nova\n')
    result = run_app('validate-projects', str(projects), '--root', str(tmp_path), '-f', 'json')
    assert result.code == 1
    assert result.json()[0]['Config'] == str(checkout / 'zuul.yaml')
    (checkout / 'zuul.yaml').unlink()
    assert run_app('validate-projects', str(projects), '--root', str(tmp_path)).code == 0
    (checkout / '.zuul.yaml').unlink()
    result = run_app('validate-projects', str(projects), '--root', str(tmp_path), '-f', 'json')
    assert result.json()[0]['Message'] == (
        f'no Zuul configuration in {checkout} (zuul.yaml, zuul.d, .zuul.yaml, .zuul.d)'
    )


@pytest.mark.parametrize(
    'stanza, runs',
    [
        ('- project:\n    check:\n      jobs:\n        - requirements-check\n', True),
        (
            '- project:\n    check:\n      jobs:\n        - requirements-check:\n'
            '            voting: false\n',
            True,
        ),
        ('- project:\n    gate:\n      jobs:\n        - requirements-check\n', False),
        ('- project:\n    name: openstack/other\n    templates: [check-requirements]\n', False),
        ('- project:\n    name: openstack/demo\n    templates: [check-requirements]\n', True),
        # Zuul's own tags read as plain values
        (
            '- secret:\n    name: s\n    data:\n      key: !encrypted/pkcs1-oaep\n'
            '        - abc\n- project:\n    templates: [check-requirements]\n',
            True,
        ),
    ],
)
def test_stanzas(run_app, tmp_path: Path, stanza: str, runs: bool) -> None:
    (tmp_path / 'demo').mkdir()
    (tmp_path / 'demo' / '.zuul.yaml').write_text(stanza)
    projects = tmp_path / 'projects.txt'
    projects.write_text('openstack/demo\n')
    result = run_app(
        'validate-projects', str(projects), '--root', str(tmp_path), '--all', '-f', 'json'
    )
    assert result.code == (0 if runs else 1), result
    assert [(r['Project'], r['Status']) for r in result.json()] == [
        ('openstack/demo', 'ok' if runs else 'no check-requirements')
    ]


def test_broken_yaml_is_reported_with_its_place(run_app, tmp_path: Path) -> None:
    (tmp_path / 'demo').mkdir()
    path = tmp_path / 'demo' / '.zuul.yaml'
    path.write_text('- project:\n    templates: [check-requirements\n')
    projects = tmp_path / 'projects.txt'
    projects.write_text('openstack/demo\n')
    result = run_app('validate-projects', str(projects), '--root', str(tmp_path), '-f', 'json')
    assert result.code == 1
    [row] = result.json()
    assert row['Status'] == 'unreadable'
    assert row['Message'].startswith(f'{path}:3:1: ')
    assert 'Traceback' not in result.stderr
