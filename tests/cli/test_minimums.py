"""The minimums command: real argv, real uv, a local index on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import resolver_index as ri
from tests.ops.test_minimums import YANKED, _local, build  # noqa: F401 - _local: autouse

pytestmark = pytest.mark.slow

COLUMNS = ['Project', 'File', 'Line', 'Package', 'Kind', 'Pythons', 'Minimum', 'Lowest', 'Reason']


@pytest.fixture(scope='module')
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    place = tmp_path_factory.mktemp('minimums-cli-index')
    with ri.serve_simple_index(build(place), requires_python=True, yanked=YANKED) as index:
        yield index.url


def tree(tmp_path: Path, name: str, requirements: str, **files: str) -> Path:
    root = tmp_path / name
    root.mkdir(parents=True)
    (root / 'requirements.txt').write_text(requirements)
    for path, text in files.items():
        (root / path.replace('__', '/').replace('_', '-').replace('-txt', '.txt')).write_text(text)
    return root


def test_rows_as_json_and_exit_1(run_app, url, tmp_path) -> None:
    root = tree(tmp_path, 'proj', 'app>=1.0\ndep>=1.0  # BSD\n')
    result = run_app('minimums', str(root), '--index-url', url, '-p', '3.12', '-f', 'json')
    assert result.code == 1, result.stderr
    assert result.json() == [
        dict(
            zip(
                COLUMNS,
                [
                    str(root),
                    'requirements.txt',
                    2,
                    'dep',
                    'false-minimum',
                    '3.12',
                    '1.0',
                    '2.0',
                    'mid 1.0 requires dep>=2',
                ],
                strict=True,
            )
        )
    ]


def test_true_minimums_exit_0(run_app, url, tmp_path) -> None:
    root = tree(tmp_path, 'proj', 'fine>=1.0\napp>=1.0\ndep>=2.0\n')
    result = run_app('minimums', str(root), '--index-url', url, '-p', '3.11', '-f', 'json')
    assert (result.code, result.json()) == (0, [])


def test_diff_check_and_fix(run_app, url, tmp_path) -> None:
    text = 'app>=1.0\ndep >= 1.0 ; python_version>="3.8"  # BSD\nfine>=1.0\n'
    root = tree(tmp_path, 'proj', text, test_requirements_txt='sd>=1.0 # Apache\n')
    argv = ('minimums', str(root), '--index-url', url, '-p', '3.11', '-p', '3.12')
    diff = run_app(*argv, '--diff')
    assert diff.code == 0
    assert '-dep >= 1.0 ; python_version>="3.8"  # BSD\n' in diff.stdout
    assert '+dep >= 2.1 ; python_version>="3.8"  # BSD\n' in diff.stdout
    assert (root / 'requirements.txt').read_text() == text
    assert run_app(*argv, '--check', '-f', 'value').code == 1
    assert run_app(*argv, '--fix', '-f', 'value').code == 1
    assert (root / 'requirements.txt').read_text() == text.replace('>= 1.0', '>= 2.1')
    assert (root / 'test-requirements.txt').read_text() == 'sd>=1.0 # Apache\n'
    again = run_app(*argv, '--check', '-f', 'json')
    assert (again.code, again.json()) == (0, [])


def test_fix_refuses_diff(run_app, tmp_path, capsys) -> None:
    root = tree(tmp_path, 'proj', 'fine>=1.0\n')
    result = run_app('minimums', str(root), '--fix', '--diff')
    assert result.code == 2
    assert '--diff cannot be used with --fix' in capsys.readouterr().err


def test_summary_over_a_projects_list(run_app, url, tmp_path) -> None:
    tree(tmp_path / 'src', 'one', 'app>=1.0\ndep>=1.0\n')
    tree(tmp_path / 'src', 'two', 'dep>=1.5\nfine>=2.0\n')
    listing = tmp_path / 'projects.txt'
    listing.write_text('openstack/one\nopenstack/two\nopenstack/three\n')
    result = run_app(
        'minimums',
        '--projects',
        str(listing),
        '--root',
        str(tmp_path / 'src'),
        '--index-url',
        url,
        '-p',
        '3.12',
        '--summary',
        '-f',
        'json',
    )
    assert result.code == 1
    assert result.json() == [
        {'Package': 'app', 'Minimum': '1.0', 'Projects': 'openstack/one'},
        {'Package': 'dep', 'Minimum': '2.0', 'Projects': 'openstack/one'},
        {'Package': 'fine', 'Minimum': '2.0', 'Projects': 'openstack/two'},
    ]
    assert 'openstack/three: not found under' in result.stderr


def test_no_project_is_an_error(run_app) -> None:
    result = run_app('minimums')
    assert result.code == 1
    assert 'no project given' in result.stderr


def test_a_second_run_reuses_every_resolution_while_the_pages_are_unchanged(
    run_app, url, tmp_path, monkeypatch
) -> None:
    """The same project twice with one uv cache: the same rows, the second
    time from the resolutions the first recorded (every page they read is
    served unchanged); ``--no-reuse`` resolves them all again."""
    monkeypatch.setenv('UV_CACHE_DIR', str(tmp_path / 'cache'))
    root = tree(tmp_path, 'proj', 'app>=1.0\ndep>=1.0  # BSD\n')
    argv = ('minimums', str(root), '--index-url', url, '-p', '3.11', '-p', '3.12', '-v')
    runs = [run_app(*argv, '-f', 'json') for _ in range(2)]
    runs.append(run_app(*argv, '-f', 'json', '--no-reuse'))
    assert [r.code for r in runs] == [1, 1, 1]
    assert runs[0].json() == runs[1].json() == runs[2].json() != []
    counts = [
        next(line for line in r.stderr.splitlines() if ' resolutions (' in line) for r in runs
    ]
    made = int(counts[0].split()[0])
    assert made > 2
    assert counts[0].startswith(f'{made} resolutions (0 reused) in ')
    assert counts[1].startswith(f'{made} resolutions ({made} reused) in ')
    assert counts[2].startswith(f'{made} resolutions (0 reused) in ')
    assert 'reusing the resolutions recorded' in runs[1].stderr
