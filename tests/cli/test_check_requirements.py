"""check-requirements and check-constraints, run through the real App."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DATA, TEST_DATA, TREES, nearest_data

COLUMNS = ['Check', 'Severity', 'File', 'Line', 'Package', 'Message']
NO_PYPROJECT = (
    'build-backend',
    'error',
    'pyproject.toml',
    None,
    '',
    'no pyproject.toml (required on master)',
)

#: What each corpus tree gives against its nearest-date data, by hand.
EXPECTED = {
    'nova-2016-01-01': [
        NO_PYPROJECT,
        # lower bounds became mandatory in 2018
        ('lower-bound', 'error', 'requirements.txt', 19, 'Paste', 'no lower bound'),
        # setuptools (requirements.txt:35) is exempt from pinning: the
        # 2016 data has no pin, and needs none
    ],
    'nova-2019-06-01': [NO_PYPROJECT],
    'nova-2022-06-01': [
        NO_PYPROJECT,
        (
            'in-global',
            'error',
            'requirements.txt',
            68,
            'dataclasses',
            'not in the global requirements (nor in the denylist)',
        ),
    ],
    'nova-2026-08-21': [],
    'oslo.messaging-2026-05-13': [],
}


@pytest.mark.parametrize('tree', sorted(EXPECTED))
def test_corpus_tree(run_app, tree: str) -> None:
    result = run_app(
        'check-requirements',
        str(TREES / tree),
        '--source',
        str(nearest_data(TREES / tree)),
        '-f',
        'json',
    )
    rows = [tuple(r[c] for c in COLUMNS) for r in result.json()]
    assert rows == EXPECTED[tree]
    errors = sum(1 for r in rows if r[1] == 'error')
    assert result.code == (1 if errors else 0)
    assert result.stderr.endswith(
        f'check-requirements: {errors} error{"" if errors == 1 else "s"}, '
        '0 warnings (12 checks run)\n'
    )


def test_corpus_tree_on_a_stable_branch(run_app) -> None:
    tree = TREES / 'nova-2019-06-01'
    result = run_app(
        'check-requirements',
        str(tree),
        '--branch',
        'stable/stein',
        '--source',
        str(nearest_data(tree)),
        '-f',
        'json',
    )
    assert (result.code, result.json()) == (0, [])


@pytest.mark.parametrize(
    'name, branch, expected',
    [
        # the job compares names as written on stable/2025.1 (since 2026-02)
        ('ceilometer-f1d638fa', 'stable/2025.1', [('spelling', 38, 'prometheus_client')]),
        ('ceilometer-f1d638fa', 'master', [('spelling', 38, 'prometheus_client')]),
        # and as pkg_resources did on the older branches
        ('ceilometer-f1d638fa', 'unmaintained/2024.1', []),
        # setuptools: never in the constraints, no error
        ('freezer-59cf1174', 'master', []),
    ],
)
def test_real_files_the_gate_judged(
    run_app, tmp_path: Path, name: str, branch: str, expected: list
) -> None:
    root = tmp_path / 'project'
    root.mkdir()
    (root / 'requirements.txt').write_bytes(
        (TEST_DATA / 'files' / f'{name}-requirements.txt').read_bytes()
    )
    (root / 'pyproject.toml').write_text(
        '[project]\nname = "p"\n[build-system]\nrequires = ["pbr"]\nbuild-backend = "pbr.build"\n'
    )
    result = run_app(
        'check-requirements',
        str(root),
        '--branch',
        branch,
        '--source',
        str(DATA / 'openstack-2026-08-22'),
        '-f',
        'json',
    )
    assert [(r['Check'], r['Line'], r['Package']) for r in result.json()] == expected
    assert result.code == (1 if expected else 0)


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path]:
    data = tmp_path / 'data'
    data.mkdir()
    (data / 'global-requirements.txt').write_text('PyYAML!=5.1  # MIT\nfoo  # MIT\n')
    (data / 'upper-constraints.txt').write_text('PyYAML===6.0\nfoo===1.0\n')
    (data / 'denylist.txt').write_text('flake8\n')
    root = tmp_path / 'project'
    root.mkdir()
    (root / 'pyproject.toml').write_text(
        '[project]\nname = "demo"\n'
        '[build-system]\nrequires = ["pbr"]\nbuild-backend = "pbr.build"\n'
    )
    (root / 'requirements.txt').write_text(
        '-r extra-requirements.txt\npyyaml>=5,!=5.1.0\nfoo>=2\nflake8\n'
    )
    return root, data


def test_findings_and_output_formats(run_app, project) -> None:
    root, data = project
    result = run_app('check-requirements', str(root), '--source', str(data), '-f', 'json')
    assert result.code == 1
    assert result.json() == [
        {
            'Check': 'pip-options',
            'Severity': 'info',
            'File': 'requirements.txt',
            'Line': 1,
            'Package': '',
            'Message': 'pip option --requirement extra-requirements.txt is not checked',
        },
        {
            'Check': 'spelling',
            'Severity': 'error',
            'File': 'requirements.txt',
            'Line': 2,
            'Package': 'pyyaml',
            'Message': 'could not find a global requirements entry to match '
            "package pyyaml: the global list spells it 'PyYAML'",
        },
        {
            'Check': 'upper-constraint',
            'Severity': 'error',
            'File': 'requirements.txt',
            'Line': 3,
            'Package': 'foo',
            'Message': '>=2 does not admit the upper constraint 1.0',
        },
    ]
    assert result.stderr == ('check-requirements: 2 errors, 0 warnings, 1 info (12 checks run)\n')
    csv = run_app('check-requirements', str(root), '--source', str(data), '-f', 'csv')
    assert csv.stdout.splitlines()[0] == '"Check","Severity","File","Line","Package","Message"'


def test_select_and_ignore(run_app, project) -> None:
    root, data = project
    args = ('check-requirements', str(root), '--source', str(data), '-f', 'value', '-c', 'Check')
    only = run_app(*args, '--select', 'spelling,pip-options')
    assert (only.code, only.stdout.split()) == (1, ['pip-options', 'spelling'])
    ignored = run_app(*args, '--ignore', 'upper-constraint', '--ignore', 'spelling')
    assert (ignored.code, ignored.stdout.split()) == (0, ['pip-options'])
    unknown = run_app(*args, '--select', 'nosuch')
    assert unknown.code == 1 and 'unknown check nosuch' in unknown.stderr


def test_list_checks(run_app) -> None:
    result = run_app('check-requirements', '--list-checks', '-f', 'json')
    assert result.code == 0
    rows = {r['Check']: r for r in result.json()}
    assert set(rows) == {
        'in-global',
        'direct-reference',
        'lower-bound',
        'exclusions',
        'markers',
        'line-count',
        'duplicates',
        'upper-constraint',
        'spelling',
        'pip-options',
        'build-backend',
        'data-lines',
        'global-specifiers',
        'distro-minimum',
    }
    assert rows['spelling'] == {
        'Check': 'spelling',
        'Scope': 'project',
        'Severity': 'error',
        'Enabled': True,
        'Description': 'names are spelt as in the global list (as the job '
        'compares them on the branch: as written, or as '
        'pkg_resources did)',
    }


def test_bad_project_is_one_line_error(run_app, tmp_path: Path) -> None:
    missing = run_app('check-requirements')
    assert (missing.code, missing.stderr) == (1, 'check-requirements: PROJECT_DIR is required\n')
    result = run_app('check-requirements', str(tmp_path / 'nope'))
    assert result.code == 1
    assert result.stderr.strip() == f'{tmp_path / "nope"}: no such project directory'


def test_check_constraints_classic(run_app, project) -> None:
    root, data = project
    (root / 'requirements.txt').write_text('foo>=2\nunknown>=1\nPyYAML>=5\n')
    result = run_app(
        'check-constraints',
        str(root),
        '-g',
        str(data / 'global-requirements.txt'),
        '-u',
        str(data / 'upper-constraints.txt'),
        '-b',
        str(data / 'denylist.txt'),
        '-f',
        'value',
        '-c',
        'Check',
        '-c',
        'Package',
    )
    assert result.code == 1
    assert result.stdout.splitlines() == ['in-global unknown', 'upper-constraint foo']
    # -G as the reference means it: every version a project specifier
    # names (but !=) must be admitted by the global specifiers
    (root / 'requirements.txt').write_text('PyYAML>=5,!=5.2\n')
    gr_check = run_app(
        'check-constraints', str(root), '--source', str(data), '-G', '-f', 'value', '-c', 'Check'
    )
    assert (gr_check.code, gr_check.stdout.split()) == (0, [])
    (root / 'requirements.txt').write_text('PyYAML>=5.1\n')
    assert run_app('check-constraints', str(root), '--source', str(data)).code == 0
    gr_check = run_app(
        'check-constraints',
        str(root),
        '--source',
        str(data),
        '-G',
        '-f',
        'value',
        '-c',
        'Check',
        '-c',
        'Message',
    )
    assert (gr_check.code, gr_check.stdout.splitlines()) == (
        1,
        ['global-specifiers >=5.1 names 5.1, which the global list excludes (!=5.1)'],
    )
    # a global line that does not parse is named, not taken for a missing one
    (data / 'global-requirements.txt').write_text('PyYAML!=5.1,<\n')
    broken = run_app(
        'check-constraints',
        str(root),
        '--source',
        str(data),
        '-f',
        'value',
        '-c',
        'Check',
        '-c',
        'File',
        '-c',
        'Line',
    )
    assert (broken.code, broken.stdout.splitlines()) == (
        1,
        ['data-lines global-requirements.txt 1'],
    )


@pytest.mark.parametrize('sep', ['\x0c', '\r', '\u2028'], ids=repr)
def test_a_package_behind_a_line_break_pip_knows_is_checked(run_app, project, sep) -> None:
    """pip splits on every break str.splitlines knows: so must the checks."""
    root, data = project
    (root / 'requirements.txt').write_bytes(
        f'PyYAML>=5\n# a comment{sep}evil-package>=1.0\n'.encode()
    )
    result = run_app(
        'check-requirements',
        str(root),
        '--source',
        str(data),
        '--select',
        'in-global',
        '-f',
        'json',
    )
    assert result.code == 1
    assert [(r['Check'], r['Line'], r['Package']) for r in result.json()] == [
        ('in-global', 3, 'evil-package')
    ]
