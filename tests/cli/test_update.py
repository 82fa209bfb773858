"""update-requirements through the real App: modes, reports, faults."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from openstack_requirements.ops import sync
from tests.conftest import AppResult

Run = Callable[..., AppResult]

GLOBAL = """\
pbr>=2.0  # Apache-2.0
oslo.config>=5.2.0,!=5.3.0  # Apache-2.0
sphinx!=2.1.0  # BSD
"""
COLUMNS = ['File', 'Package', 'Old', 'New', 'Reason']


@pytest.fixture
def source(tmp_path: Path) -> Path:
    place = tmp_path / 'source'
    place.mkdir()
    (place / 'global-requirements.txt').write_text(GLOBAL)
    (place / 'denylist.txt').write_text('hacking\n')
    return place


def make_project(root: Path) -> Path:
    root.mkdir(parents=True)
    (root / 'requirements.txt').write_text(
        '# keep me\npbr>=1.0\noslo.config>=6.0  # mine\nhacking<1\n'
    )
    (root / 'doc').mkdir()
    (root / 'doc' / 'requirements.txt').write_text('sphinx>=2.0\n')
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / 'demo')


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob('*')) if p.is_file()
    }


def update(run_app: Run, source: Path, *argv: str) -> AppResult:
    return run_app('update-requirements', '--source', str(source), '-f', 'json', *argv)


def test_sync_writes_and_reports(run_app: Run, source: Path, project: Path) -> None:
    result = update(run_app, source, str(project))
    assert result.code == 0, result
    # merge: oslo.config keeps its higher minimum, and !=5.3.0 is below it
    assert result.json() == [
        dict(zip(COLUMNS, row, strict=True))
        for row in [
            (
                f'{project}/requirements.txt',
                'pbr',
                'pbr>=1.0',
                'pbr>=2.0  # Apache-2.0',
                'specifiers',
            ),
            (
                f'{project}/doc/requirements.txt',
                'sphinx',
                'sphinx>=2.0',
                'sphinx>=2.0,!=2.1.0  # BSD',
                'specifiers',
            ),
        ]
    ]
    assert (project / 'requirements.txt').read_text() == (
        '# keep me\npbr>=2.0  # Apache-2.0\noslo.config>=6.0  # mine\nhacking<1\n'
    )
    assert (project / 'doc' / 'requirements.txt').read_text() == ('sphinx>=2.0,!=2.1.0  # BSD\n')
    again = update(run_app, source, '--check', str(project))
    assert (again.code, again.json()) == (0, [])


def test_report_rows(run_app: Run, source: Path, project: Path) -> None:
    rows = update(run_app, source, '--exact', str(project)).json()
    assert [(r['Package'], r['Old'], r['New'], r['Reason']) for r in rows] == [
        ('pbr', 'pbr>=1.0', 'pbr>=2.0  # Apache-2.0', 'specifiers'),
        (
            'oslo.config',
            'oslo.config>=6.0  # mine',
            'oslo.config>=5.2.0,!=5.3.0  # mine',
            'specifiers',
        ),
        ('sphinx', 'sphinx>=2.0', 'sphinx!=2.1.0  # BSD', 'specifiers'),
    ]
    assert {r['File'] for r in rows} == {
        f'{project}/requirements.txt',
        f'{project}/doc/requirements.txt',
    }


def test_diff_writes_nothing(run_app: Run, source: Path, project: Path) -> None:
    before = snapshot(project)
    result = update(run_app, source, '--diff', str(project))
    assert result.code == 0
    assert f'--- {project}/requirements.txt\n' in result.stdout
    assert '-pbr>=1.0\n+pbr>=2.0  # Apache-2.0\n' in result.stdout
    assert '+sphinx>=2.0,!=2.1.0  # BSD\n' in result.stdout
    assert snapshot(project) == before


def test_check_exits_1_on_a_pending_change(run_app: Run, source: Path, project: Path) -> None:
    before = snapshot(project)
    result = update(run_app, source, '--check', str(project))
    assert result.code == 1
    assert len(result.json()) == 2
    assert snapshot(project) == before


def test_a_refused_sync_prints_no_diff(run_app: Run, source: Path, project: Path) -> None:
    """Nothing would be written: --diff prints no diff (no table either),
    the refusal goes to stderr and the exit status is 1, as without --diff;
    --check keeps its table."""
    with open(project / 'requirements.txt', 'a') as handle:
        handle.write('left-pad>=1\n')
    before = snapshot(project)
    refusal = (
        f"{project}/requirements.txt:5:1: 'left-pad' is not in "
        'global-requirements.txt or denylist.txt\nnothing was written\n'
    )
    for flags in (['--diff'], ['--diff', '--check']):
        result = update(run_app, source, *flags, str(project))
        assert (result.code, result.stdout, result.stderr) == (1, '', refusal), flags
    checked = update(run_app, source, '--check', str(project))
    assert (checked.code, checked.stderr) == (1, refusal)
    assert ('left-pad', sync.UNKNOWN) in [(r['Package'], r['Reason']) for r in checked.json()]
    plain = update(run_app, source, str(project))
    assert (plain.code, plain.stderr) == (1, refusal)
    assert snapshot(project) == before


def test_output_suffix_leaves_originals(run_app: Run, source: Path, project: Path) -> None:
    before = snapshot(project)
    assert update(run_app, source, '-o', 'global', str(project)).code == 0
    after = snapshot(project)
    assert {k: v for k, v in after.items() if k in before} == before
    assert set(after) - set(before) == {'requirements.txt.global', 'doc/requirements.txt.global'}
    assert after['doc/requirements.txt.global'] == (b'sphinx>=2.0,!=2.1.0  # BSD\n')


def test_verbose_names_each_file(run_app: Run, source: Path, project: Path) -> None:
    result = run_app('update-requirements', '-v', '--source', str(source), '--check', str(project))
    assert f'Syncing {project}/requirements.txt' in result.stderr
    assert f'Syncing {project}/doc/requirements.txt' in result.stderr


def test_unknown_package_fails_and_writes_nothing(
    run_app: Run, source: Path, project: Path, tmp_path: Path
) -> None:
    other = make_project(tmp_path / 'other')
    with open(project / 'requirements.txt', 'a') as handle:
        handle.write('left-pad>=1\n')
    before, other_before = snapshot(project), snapshot(other)
    result = update(run_app, source, str(other), str(project))
    assert result.code == 1
    assert (
        f"{project}/requirements.txt:5:1: 'left-pad' is not in "
        'global-requirements.txt or denylist.txt'
    ) in result.stderr
    assert 'nothing was written' in result.stderr
    assert [r['Package'] for r in result.json() if r['Reason'] == sync.UNKNOWN] == ['left-pad']
    assert (snapshot(project), snapshot(other)) == (before, other_before)
    soft = update(run_app, source, '--soft-update', str(project))
    assert soft.code == 0
    assert (project / 'requirements.txt').read_text().endswith('hacking<1\nleft-pad>=1\n')


def test_a_malformed_global_line_fails_once_and_writes_nothing(
    run_app: Run, source: Path, project: Path, tmp_path: Path
) -> None:
    other = make_project(tmp_path / 'other')
    (source / 'global-requirements.txt').write_text(
        GLOBAL.replace('sphinx!=2.1.0', 'sphinx!=2.1.0,<')
    )
    before, other_before = snapshot(project), snapshot(other)
    for soft in ((), ('--soft-update',)):
        result = update(run_app, source, *soft, str(other), str(project))
        assert result.code == 1
        assert result.stderr.splitlines() == [
            f"{source}/global-requirements.txt:3:16: expected a version after '<'",
            'nothing was written',
        ], result.stderr
        assert (snapshot(project), snapshot(other)) == (before, other_before)


def test_projects_list_under_root(run_app: Run, source: Path, tmp_path: Path) -> None:
    root = tmp_path / 'src'
    make_project(root / 'openstack' / 'nova')
    make_project(root / 'oslo.config')
    listed = tmp_path / 'projects.txt'
    listed.write_text('openstack/nova\n# a comment\nopenstack/oslo.config\nopenstack/missing\n')
    result = update(run_app, source, '--projects', str(listed), '--root', str(root))
    assert result.code == 0, result
    rows = result.json()
    assert rows[0] == dict(
        zip(COLUMNS, ['openstack/missing', '', '', '', 'project not found'], strict=True)
    )
    assert {r['File'].split('/src/')[1].rsplit('/', 1)[0] for r in rows[1:]} == {
        'openstack/nova',
        'oslo.config',
        'openstack/nova/doc',
        'oslo.config/doc',
    }
    assert 'openstack/missing: not found' in result.stderr


@pytest.mark.parametrize(
    'make, message',
    [
        (lambda p: None, 'no such project directory'),
        (lambda p: p.mkdir(), 'no dependency files'),
    ],
)
def test_bad_project_dirs(
    run_app: Run, source: Path, tmp_path: Path, make: Callable[[Path], None], message: str
) -> None:
    make(tmp_path / 'p')
    result = update(run_app, source, str(tmp_path / 'p'))
    assert result.code == 1
    assert f'{tmp_path / "p"}: {message}' in result.stderr


def test_no_project_at_all(run_app: Run, source: Path) -> None:
    result = update(run_app, source)
    assert result.code == 1
    assert 'no project given' in result.stderr


# -- faults: a clear error, exit 1, no file changed --------------------------


def test_read_only_file(run_app: Run, source: Path, project: Path) -> None:
    target = project / 'doc' / 'requirements.txt'
    target.chmod(0o444)
    before = snapshot(project)
    result = update(run_app, source, str(project))
    target.chmod(0o644)
    assert result.code == 1
    # requirements.txt, which comes first and is writable, is untouched too;
    # the mode bits are checked by us, so this holds for root as well
    assert result.stderr == f'{target}: read-only file; nothing was written\n'
    assert snapshot(project) == before


def test_file_vanishing_mid_run(
    run_app: Run, source: Path, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = project / 'doc' / 'requirements.txt'
    real_plan = sync.plan

    def plan_then_vanish(*args: object, **kwargs: object) -> sync.SyncRun:
        run = real_plan(*args, **kwargs)  # type: ignore[arg-type]
        os.unlink(target)
        return run

    monkeypatch.setattr(sync, 'plan', plan_then_vanish)
    before = snapshot(project)
    result = update(run_app, source, str(project))
    assert result.code == 1
    assert result.stderr == (
        f'{target}: vanished while it was being updated; nothing was written\n'
    )
    del before['doc/requirements.txt']
    assert snapshot(project) == before


@pytest.mark.parametrize(
    'name, text, expected',
    [
        (
            'pyproject.toml',
            '[project]\ndependencies = [\n  "pbr" "x",\n]\n',
            'pyproject.toml:3:9: invalid TOML',
        ),
        (
            'setup.cfg',
            '[metadata]\nname = demo\n[extras\ntest =\n  pbr\n',
            'setup.cfg:3:1: invalid INI: expected "key = value" or "[section]"\n    [extras\n',
        ),
        (
            'setup.cfg',
            'name = demo\n',
            'setup.cfg:1:1: invalid INI: expected a [section] header first\n',
        ),
        (
            'test-requirements.txt',
            'pbr\nfoo>=1.0,=2\n',
            "test-requirements.txt:2:10: unknown operator '=' (did you mean "
            "'=='?)\n    foo>=1.0,=2\n             ^\n",
        ),
    ],
)
def test_malformed_files(
    run_app: Run, source: Path, project: Path, name: str, text: str, expected: str
) -> None:
    (project / name).write_text(text)
    before = snapshot(project)
    result = update(run_app, source, str(project))
    assert result.code == 1
    assert result.stderr.startswith(f'{project}/{expected}'), result.stderr
    assert result.stderr.endswith('nothing was written\n')
    assert snapshot(project) == before


def test_hacking_is_synced_only_with_H(run_app: Run, tmp_path: Path) -> None:
    # the 2015 global list carried hacking (with no denylist beside it,
    # the update of that era left it alone unless given -H)
    source = tmp_path / 'source'
    source.mkdir()
    (source / 'global-requirements.txt').write_text('hacking>=0.10.2,<0.11\npbr>=1.6\n')
    root = tmp_path / 'demo'
    root.mkdir()
    (root / 'test-requirements.txt').write_text('hacking<0.10,>=0.9.2\npbr\n')
    plain = update(run_app, source, '--check', str(root))
    assert [r['Package'] for r in plain.json()] == ['pbr']
    asked = update(run_app, source, '-H', str(root))
    assert asked.code == 0, asked
    assert [r['Package'] for r in asked.json()] == ['hacking', 'pbr']
    assert (root / 'test-requirements.txt').read_text() == ('hacking>=0.10.2,<0.11\npbr>=1.6\n')
    unknown = tmp_path / 'other'
    unknown.mkdir()
    (unknown / 'global-requirements.txt').write_text('pbr>=1.6\n')
    # not in the global list: left alone without -H, unknown with it
    assert update(run_app, unknown, '--check', str(root)).code == 0
    assert update(run_app, unknown, '--hacking', '--check', str(root)).code == 1


# -- issue 13's repros, through the command ----------------------------------

REPRO_GLOBAL = """\
python-ldap==2.3.13  # PSF
oslo.service!=4.5.0  # Apache-2.0
pecan!=1.4.0  # BSD
sphinx>=2.0.0,!=2.1.0  # BSD
"""


def test_repros_of_issue_13(run_app: Run, tmp_path: Path) -> None:
    source = tmp_path / 'source'
    source.mkdir()
    (source / 'global-requirements.txt').write_text(REPRO_GLOBAL)
    (source / 'denylist.txt').write_text('')
    root = tmp_path / 'cinder'
    root.mkdir()
    (root / 'requirements.txt').write_text(
        'python-ldap==2.3.13 # PSF\n'
        'oslo.service>=4.5.0 # Apache-2.0\n'
        'oslo.service[threading]>=4.5.0 # Apache-2.0\n'
        'pecan>=1.4.0 # BSD\n'
    )
    (root / 'test-requirements.txt').write_text('sphinx>=1.0 # BSD\n')
    first = update(run_app, source, str(root))
    assert first.code == 0, first
    assert (root / 'requirements.txt').read_text() == (
        'python-ldap==2.3.13 # PSF\n'
        'oslo.service>=4.5.0,!=4.5.0 # Apache-2.0\n'
        'oslo.service[threading]>=4.5.0,!=4.5.0 # Apache-2.0\n'
        'pecan>=1.4.0,!=1.4.0 # BSD\n'
    )
    assert (root / 'test-requirements.txt').read_text() == ('sphinx>=2.0.0,!=2.1.0 # BSD\n')
    assert [
        (r['Package'], r['Reason']) for r in first.json() if r['Reason'] == sync.EXCLUDED_MINIMUM
    ] == [
        ('oslo.service', sync.EXCLUDED_MINIMUM),
        ('oslo.service', sync.EXCLUDED_MINIMUM),
        ('pecan', sync.EXCLUDED_MINIMUM),
    ]
    again = update(run_app, source, '--check', str(root))
    assert (again.code, again.json()) == (0, [])


def test_real_neutron_requirements_with_the_2026_list(run_app: Run, tmp_path: Path) -> None:
    from tests.conftest import DATA, TEST_DATA

    root = tmp_path / 'neutron'
    root.mkdir()
    original = (TEST_DATA / 'files' / 'neutron-0058f765-requirements.txt').read_text()
    (root / 'requirements.txt').write_text(original)
    data = DATA / 'openstack-2026-08-22'
    first = update(run_app, data, str(root))
    assert first.code == 0, first
    synced = (root / 'requirements.txt').read_text()
    rows = [(r['Package'], r['Old'], r['New'], r['Reason']) for r in first.json()]
    # the repro (issue 21): the project's >= kept beside the global exclusion
    # (1.4.0's post-releases stay admitted), advice on a row of its own, the
    # comment as it was
    assert ('pecan', '>=1.4.0', '>=1.4.0', sync.EXCLUDED_MINIMUM) in rows
    assert 'pecan>=1.4.0,!=1.4.0 # BSD\n' in synced
    assert 'eventlet>=0.36.1 # MIT\n' in synced  # every exclusion below it
    # every changed line keeps its own comment and the one space before it
    for row in first.json():
        if row['Reason'] == 'specifiers':
            assert row['New'].endswith(' # ' + row['Old'].split(' # ')[1])
    assert len(synced.splitlines()) == len(original.splitlines())
    again = update(run_app, data, '--check', str(root))
    assert (again.code, again.json()) == (0, [])
    gr = run_app('check-constraints', str(root), '-G', '--source', str(data), '-f', 'json')
    assert [
        r['Package'] for r in gr.json() if r['Check'] == 'global-specifiers'
    ] == []  # synced: >=1.4.0,!=1.4.0
    (root / 'requirements.txt').write_text(original)
    gr = run_app('check-constraints', str(root), '-G', '--source', str(data), '-f', 'json')
    assert [r['Package'] for r in gr.json() if r['Check'] == 'global-specifiers'] == ['pecan']


def test_the_projects_own_decisions_stay_and_the_checks_accept_them(
    run_app: Run, tmp_path: Path
) -> None:
    """Issue 21: swift's greenlet>=0.4.14 stays >= beside the exclusion;
    a Python version marker the global line lacks stays; check-requirements,
    the gate job's checks and check-constraints -G accept what was written."""
    from tests.conftest import DATA

    data = DATA / 'openstack-2026-08-22'
    root = tmp_path / 'swift'
    root.mkdir()
    (root / 'requirements.txt').write_text(
        'greenlet>=0.4.14  # MIT\n'
        'requests>=2.25.0;python_version>="3.12"  # Apache-2.0\n'
        "importlib-metadata>=1.7.0;python_version<'3.8'  # Apache-2.0\n"
    )
    first = update(run_app, data, str(root))
    assert first.code == 0, first
    assert (root / 'requirements.txt').read_text() == (
        'greenlet>=0.4.14,!=0.4.14  # MIT\n'
        'requests>=2.25.0;python_version>="3.12"  # Apache-2.0\n'
        "importlib-metadata>=1.7.0;python_version<'3.8'  # Apache-2.0\n"
    )
    assert [(r['Package'], r['Old'], r['New'], r['Reason']) for r in first.json()] == [
        ('greenlet', 'greenlet>=0.4.14  # MIT', 'greenlet>=0.4.14,!=0.4.14  # MIT', 'specifiers'),
        ('greenlet', '>=0.4.14', '>=0.4.14', sync.EXCLUDED_MINIMUM),
    ]
    for argv in (['check-requirements', '--branch', 'stable/2026.1'], ['check-constraints', '-G']):
        checked = run_app(*argv, str(root), '--source', str(data), '-f', 'json')
        assert [
            (r['Check'], r['Package']) for r in checked.json() if r['File'] == 'requirements.txt'
        ] == [], checked
    again = update(run_app, data, '--check', str(root))
    assert (again.code, again.json()) == (0, [])
