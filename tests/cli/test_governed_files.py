"""Which files a project's sync and checks read: those the gate governs,
and others only when named (--include, or the project's own
``[tool.openstack-requirements] include``), the same for
update-requirements, check-requirements and check-constraints."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import AppResult

Run = Callable[..., AppResult]


@pytest.fixture
def source(tmp_path: Path) -> Path:
    place = tmp_path / 'data'
    place.mkdir()
    (place / 'global-requirements.txt').write_text(
        'pbr!=2.1.0  # Apache-2.0\nsphinx!=2.1.0  # BSD\n'
    )
    (place / 'upper-constraints.txt').write_text('pbr===6.1.1\nsphinx===8.0.0\n')
    (place / 'denylist.txt').write_text('')
    return place


def neutron_like(root: Path) -> Path:
    """The issue's repro: tools/requirements.txt and
    driver-requirements.txt are not governed by the gate."""
    (root / 'tools').mkdir(parents=True)
    (root / 'doc').mkdir()
    (root / 'api-ref').mkdir()
    (root / 'requirements.txt').write_text('pbr>=2.0.0 # Apache-2.0\n')
    (root / 'doc' / 'requirements.txt').write_text('sphinx>=2.0.0 # BSD\n')
    (root / 'tools' / 'requirements.txt').write_text('click>=7.0\n')
    (root / 'api-ref' / 'requirements.txt').write_text('sphinx>=1.0\n')
    (root / 'driver-requirements.txt').write_text(
        '# not managed by requirements tools\nstorpool>=4.0.0\n'
    )
    return root


CHECKS = [
    ('check-requirements', ['--select', 'in-global']),
    ('check-constraints', []),
]


@pytest.mark.parametrize('command, options', CHECKS)
def test_checks_read_only_the_governed_files(
    run_app: Run, source: Path, tmp_path: Path, command: str, options: list[str]
) -> None:
    root = neutron_like(tmp_path / 'neutron')
    result = run_app(command, str(root), '--source', str(source), *options, '-f', 'json')
    assert (result.code, result.json()) == (0, [])
    named = run_app(
        command,
        str(root),
        '--source',
        str(source),
        *options,
        '--include',
        'tools/*.txt',
        '--include',
        'driver-requirements.txt',
        '-f',
        'json',
    )
    assert named.code == 1
    assert sorted(
        (r['File'], r['Package']) for r in named.json() if r['Check'] == 'in-global'
    ) == [('driver-requirements.txt', 'storpool'), ('tools/requirements.txt', 'click')]


def test_update_reads_only_the_governed_files(run_app: Run, source: Path, tmp_path: Path) -> None:
    root = neutron_like(tmp_path / 'neutron')
    # hard mode: click (tools/) would be an unknown package
    result = run_app('update-requirements', '--source', str(source), str(root), '-f', 'json')
    assert result.code == 0, result
    assert sorted(r['File'].split('neutron/')[1] for r in result.json()) == [
        'doc/requirements.txt',
        'requirements.txt',
    ]
    assert (root / 'api-ref' / 'requirements.txt').read_text() == ('sphinx>=1.0\n')
    named = run_app(
        'update-requirements',
        '--source',
        str(source),
        '--include',
        'api-ref/requirements.txt',
        '--check',
        str(root),
        '-f',
        'json',
    )
    assert named.code == 1
    assert [r['File'].split('neutron/')[1] for r in named.json()] == ['api-ref/requirements.txt']


def test_the_project_names_its_own_files(run_app: Run, source: Path, tmp_path: Path) -> None:
    root = neutron_like(tmp_path / 'neutron')
    (root / 'pyproject.toml').write_text(
        '[project]\nname = "neutron"\n\n[tool.openstack-requirements]\n'
        'include = ["tools/requirements.txt"]\n'
    )
    for command, options in CHECKS:
        result = run_app(command, str(root), '--source', str(source), *options, '-f', 'json')
        assert [(r['File'], r['Package']) for r in result.json()] == [
            ('tools/requirements.txt', 'click')
        ], command
    update = run_app('update-requirements', '--source', str(source), str(root))
    assert update.code == 1
    assert "tools/requirements.txt:1:1: 'click' is not in" in update.stderr


@pytest.mark.parametrize('pattern', ['../other/requirements.txt', '/etc/requirements.txt'])
def test_an_include_outside_the_project_is_refused(
    run_app: Run, source: Path, tmp_path: Path, pattern: str
) -> None:
    root = neutron_like(tmp_path / 'neutron')
    result = run_app(
        'update-requirements', '--source', str(source), '--include', pattern, str(root)
    )
    assert result.code == 1
    assert f"include pattern '{pattern}': not a path inside the project" in (result.stderr)


@pytest.mark.parametrize(
    'cfg, message',
    [
        (
            '[metadata]\nname = x\n\n[extras]\na =\n  pbr\n\n[extras]\nb =\n  sphinx\n',
            'setup.cfg:8:1: invalid INI: section [extras] appears twice',
        ),
        (
            '[extras]\na =\n  pbr\nA = sphinx\n',
            "setup.cfg:4:1: invalid INI: key 'a' appears twice in section [extras]",
        ),
    ],
)
def test_setup_cfg_duplicates_are_errors(
    run_app: Run, source: Path, tmp_path: Path, cfg: str, message: str
) -> None:
    root = tmp_path / 'demo'
    root.mkdir()
    (root / 'requirements.txt').write_text('pbr>=1.0\n')
    (root / 'setup.cfg').write_text(cfg)
    result = run_app('update-requirements', '--source', str(source), str(root))
    assert result.code == 1
    assert f'{root}/{message}' in result.stderr
    assert (root / 'requirements.txt').read_text() == 'pbr>=1.0\n'
    assert (root / 'setup.cfg').read_text() == cfg
    checked = run_app('check-requirements', str(root), '--source', str(source))
    assert checked.code == 1
    assert f'{root}/{message}' in checked.stderr
