"""what-broke through the real App, against an index on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.indexserver import Index, document, stamp


@pytest.fixture
def source(tmp_path: Path) -> Path:
    (tmp_path / 'global-requirements.txt').write_text(
        '## section:general\n\nalpha>=1.0  # MIT\nBeta_Pkg!=2.0  # BSD\ngamma  # MIT\n'
    )
    (tmp_path / 'upper-constraints.txt').write_text(
        'alpha===1.0\n'
        'beta-pkg===2.1\n'
        "delta===0.5;python_version<'3.12'\n"
        "delta===0.6;python_version>='3.12'\n"
    )
    return tmp_path


def test_lists_recent_releases_with_their_pins(run_app, index: Index, source: Path) -> None:
    index.add('alpha', document(v1_0=[40], v1_1=[2]))
    index.add('beta-pkg', document(v2_1=[20], v2_2=[5]))
    index.add('gamma', document(v3=[300]))
    index.add('delta', document(v0_6=[60], v0_7=[1]))
    result = run_app('what-broke', '--source', str(source), '--index-url', index.url, '-f', 'json')
    assert result.code == 0, result
    assert result.json() == [
        {
            'Package': 'delta',
            'Version': '0.7',
            'Released': stamp(1)[:19] + 'Z',
            'Pinned': '0.5, 0.6',
        },
        {'Package': 'alpha', 'Version': '1.1', 'Released': stamp(2)[:19] + 'Z', 'Pinned': '1.0'},
        {
            'Package': 'beta-pkg',
            'Version': '2.2',
            'Released': stamp(5)[:19] + 'Z',
            'Pinned': '2.1',
        },
    ]
    assert 'Looking for releases since' in result.stderr
    assert '4 packages checked, 3 releases found, 0 lookups failed' in result.stderr
    # --since narrows the window
    narrow = run_app(
        'what-broke',
        '--source',
        str(source),
        '--since',
        '1.5',
        '--index-url',
        index.url,
        '-f',
        'value',
        '-c',
        'Package',
    )
    assert (narrow.code, narrow.stdout) == (0, 'delta\n')


def test_failed_lookups_are_named_and_exit_one(run_app, index: Index, source: Path) -> None:
    index.add('alpha', document(v1_1=[2]))
    index.slow('beta-pkg')
    index.raw('gamma', 200, b'{"releases": ')
    # delta: not on the index at all
    result = run_app(
        'what-broke',
        '--source',
        str(source),
        '--timeout',
        '0.3',
        '--index-url',
        index.url,
        '-f',
        'json',
    )
    assert result.code == 1
    assert [row['Package'] for row in result.json()] == ['alpha']
    lines = result.stderr.splitlines()
    # each failed lookup: one line naming the package and the URL asked
    assert f'beta-pkg: {index.url}/beta-pkg/json: no answer within 0.3 s' in lines
    assert f'delta: {index.url}/delta/json: not found on the index (HTTP 404)' in lines
    assert any(
        line.startswith(f'gamma: {index.url}/gamma/json: the answer is not valid JSON')
        for line in lines
    )
    assert 'Traceback' not in result.stderr


def test_bad_arguments_and_files_are_one_line_errors(run_app, source: Path) -> None:
    missing = run_app(
        'what-broke', '--constraints', str(source / 'nope.txt'), '--source', str(source)
    )
    assert missing.code == 1
    assert missing.stderr.strip().endswith(f'{source / "nope.txt"}: no such file')
    bad_url = run_app('what-broke', '--source', str(source), '--index-url', 'pypi.org/pypi')
    assert (bad_url.code, bad_url.stderr.splitlines()[-1]) == (
        1,
        'pypi.org/pypi: not an http or https URL of a package index',
    )
    assert run_app('what-broke', '--since', '0').code == 2
    assert run_app('what-broke', '--timeout', 'soon').code == 2


def test_hostile_answers_do_not_stop_the_run(run_app, index: Index, source: Path) -> None:
    index.add('alpha', document(v1_1=[2]))
    index.raw('beta-pkg', 200, b'[' * 100_000 + b']' * 100_000)
    late = document(v3=[1])
    late['releases']['3'][0]['upload_time_iso_8601'] = '9999-12-31T23:59:59-05:00'
    index.add('gamma', late)
    index.drip('delta')
    result = run_app(
        'what-broke',
        '--source',
        str(source),
        '--timeout',
        '2',
        '--index-url',
        index.url,
        '-f',
        'value',
        '-c',
        'Package',
    )
    assert (result.code, result.stdout) == (1, 'alpha\n')
    assert f'beta-pkg: {index.url}/beta-pkg/json: the answer is nested too deeply' in result.stderr
    assert (
        f'gamma: {index.url}/gamma/json: unexpected JSON document: release 3: bad upload time'
    ) in result.stderr
    assert f'delta: {index.url}/delta/json: no whole answer within 2 s' in result.stderr
    assert '4 packages checked, 1 releases found, 3 lookups failed' in result.stderr


def test_a_number_too_long_to_read_names_the_package_and_url(
    run_app, index: Index, source: Path
) -> None:
    """A 5,000-digit number in one answer: one line for that package, the
    others still looked up and listed."""
    index.add('alpha', document(v1_1=[2]))
    index.raw('beta-pkg', 200, b'{"releases": {}, "last_serial": ' + b'9' * 5000 + b'}')
    index.add('gamma', document(v3=[1]))
    index.add('delta', document(v0_7=[3]))
    result = run_app(
        'what-broke',
        '--source',
        str(source),
        '--index-url',
        index.url,
        '-f',
        'value',
        '-c',
        'Package',
    )
    assert (result.code, result.stdout) == (1, 'gamma\nalpha\ndelta\n')
    failed = [line for line in result.stderr.splitlines() if 'beta-pkg' in line]
    assert failed == [
        f'beta-pkg: {index.url}/beta-pkg/json: the answer holds a number too long to read'
    ]
    assert 'Exceeds the limit' not in result.stderr
    assert '4 packages checked, 3 releases found, 1 lookups failed' in result.stderr
