"""what-broke's lookups against a JSON index served on 127.0.0.1."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from openstack_requirements.model import RequirementsFile
from openstack_requirements.ops.reports import whatbroke
from tests.indexserver import NOW, Index, document, stamp


def test_releases_in_the_window_newest_first(index: Index) -> None:
    index.add('alpha', document(v1_0=[100], v1_1=[3, 2.5], v2_0b1=[1]))
    index.add('beta', document(v0_9=[30], v1_0=[0.5]))
    index.add('gamma', document(v5=[400]))
    since = NOW - datetime.timedelta(days=14)
    report = whatbroke.what_broke(
        ['alpha', 'Beta', 'gamma'], since=since, index_url=index.url, timeout=5
    )
    assert [(r.package, r.version) for r in report.releases] == [('beta', '1.0'), ('alpha', '1.1')]
    # a release's date is that of its first file
    assert report.releases[1].released.isoformat()[:16] == stamp(3)[:16]
    assert (report.failures, report.checked) == ([], 3)
    with_pre = whatbroke.what_broke(
        ['alpha'], since=since, index_url=index.url, timeout=5, pre=True
    )
    assert [r.version for r in with_pre.releases] == ['2.0b1', '1.1']


def test_yanked_and_empty_releases_are_left_out(index: Index) -> None:
    doc = document(v1=[2], v2=[(1, True)])
    doc['releases']['3.0'] = []
    index.add('delta', doc)
    report = whatbroke.what_broke(
        ['delta'], since=NOW - datetime.timedelta(days=7), index_url=index.url, timeout=5
    )
    assert [r.version for r in report.releases] == ['1']


def test_each_failure_is_reported_and_the_rest_still_answered(index: Index) -> None:
    index.add('good', document(v1=[1]))
    index.slow('slow')
    index.raw('broken', 200, b'{"releases": {"1.0": [')
    index.raw('html', 200, b'<html>not json</html>')
    index.add('shapeless', {'releases': ['1.0']})
    index.raw('error', 503, b'busy')
    report = whatbroke.what_broke(
        ['good', 'missing', 'slow', 'broken', 'html', 'shapeless', 'error'],
        since=NOW - datetime.timedelta(days=14),
        index_url=index.url,
        timeout=0.3,
        jobs=4,
    )
    assert [(r.package, r.version) for r in report.releases] == [('good', '1')]
    reasons = {f.package: f.reason for f in report.failures}
    assert reasons['missing'] == 'not found on the index (HTTP 404)'
    assert reasons['slow'] == 'no answer within 0.3 s'
    assert reasons['broken'].startswith('the answer is not valid JSON')
    assert reasons['html'].startswith('the answer is not valid JSON')
    assert reasons['shapeless'] == (
        'unexpected JSON document: no "releases" mapping in the document'
    )
    assert reasons['error'] == 'HTTP 503 Service Unavailable'
    assert sorted(reasons) == [f.package for f in report.failures]


def test_unreachable_index_is_a_failure_not_a_crash() -> None:
    report = whatbroke.what_broke(['x'], since=NOW, index_url='http://127.0.0.1:9/pypi', timeout=1)
    assert report.failures[0].reason.startswith('cannot reach the index')


@pytest.mark.parametrize(
    ('base', 'url'),
    [
        ('https://pypi.org/pypi', 'https://pypi.org/pypi/oslo.config/json'),
        ('https://pypi.org/pypi/', 'https://pypi.org/pypi/oslo.config/json'),
        ('https://mirror.example/simple/', 'https://mirror.example/pypi/oslo.config/json'),
    ],
)
def test_json_url(base: str, url: str) -> None:
    assert whatbroke.json_url(base, 'oslo.config') == url


def test_names_and_pins_from_the_shipped_files() -> None:
    root = Path(__file__).resolve().parents[2]
    upper = RequirementsFile.parse((root / 'upper-constraints.txt').read_text())
    global_reqs = RequirementsFile.parse((root / 'global-requirements.txt').read_text())
    names = whatbroke.package_names(global_reqs, upper)
    assert len(names) == len(set(names))
    assert {'oslo-config', 'pbr', 'babel'} <= set(names)
    pinned = whatbroke.pins(upper)
    line = next(r for r in upper.requirements() if r.key == 'oslo-config')
    assert pinned['oslo-config'] == str(next(iter(line.specifier)).version)
    assert set(pinned) <= set(names)


def test_hostile_answers_each_a_failed_lookup(index: Index) -> None:
    """A hostile index on 127.0.0.1: every bad answer is that package's
    failed lookup, bounded in time and size; the others are still listed."""
    index.add('good', document(v1=[1]))
    index.raw('nested', 200, b'[' * 200_000 + b']' * 200_000)
    index.raw(
        'deep-releases', 200, b'{"releases": {"1.0": [' + b'[' * 100_000 + b']' * 100_000 + b']}}'
    )
    late = document(v1=[1])
    late['releases']['1'][0]['upload_time_iso_8601'] = '9999-12-31T23:59:59-05:00'
    index.add('year-9999', late)
    index.drip('drip')
    index.flood('huge', 3_000_000, announced=True)
    index.flood('huge-unannounced', 3_000_000, announced=False)
    report = whatbroke.what_broke(
        ['good', 'nested', 'deep-releases', 'year-9999', 'drip', 'huge', 'huge-unannounced'],
        since=NOW - datetime.timedelta(days=14),
        index_url=index.url,
        timeout=2,
        jobs=7,
        max_bytes=1_000_000,
    )
    assert [(r.package, r.version) for r in report.releases] == [('good', '1')]
    reasons = {f.package: f.reason for f in report.failures}
    assert reasons == {
        'nested': 'the answer is nested too deeply',
        'deep-releases': 'the answer is nested too deeply',
        'year-9999': 'unexpected JSON document: release 1: bad upload time '
        "'9999-12-31T23:59:59-05:00'",
        'drip': 'no whole answer within 2 s',
        'huge': 'the answer is too large (3,000,000 bytes, at most 1,000,000 read)',
        'huge-unannounced': 'the answer is too large (more than 1,000,000 bytes)',
    }


def test_numbers_too_long_to_convert_each_a_failed_lookup(index: Index) -> None:
    """Python converts at most 4300 digits to an int: an answer holding a
    5,000-digit number (in the JSON, in a version, in the Content-Length)
    is that package's failed lookup, or a version that is no number, never
    Python's own error ending the run."""
    digits = '7' * 5000
    index.add('good', document(v1=[1]))
    index.raw('long-number', 200, b'{"releases": {"1.0": [{"size": ' + digits.encode() + b'}]}}')
    index.add('long-version', {'releases': {digits: [{'upload_time_iso_8601': stamp(2)}]}})
    index.raw('long-length', 200, b'{}', length=digits)
    names = ['good', 'long-number', 'long-version', 'long-length']
    report = whatbroke.what_broke(
        names,
        since=NOW - datetime.timedelta(days=14),
        index_url=index.url,
        timeout=5,
        jobs=4,
        max_bytes=1_000_000,
    )
    assert sorted((r.package, len(r.version)) for r in report.releases) == [
        ('good', 1),
        ('long-version', 5000),
    ]
    assert {f.package: (f.url, f.reason) for f in report.failures} == {
        'long-number': (
            f'{index.url}/long-number/json',
            'the answer holds a number too long to read',
        ),
        'long-length': (
            f'{index.url}/long-length/json',
            'the answer is too large (a 5000-digit number of bytes, at most 1,000,000 read)',
        ),
    }
    assert str(report.failures[0]) == (
        f'long-length: {index.url}/long-length/json: the answer is too large '
        '(a 5000-digit number of bytes, at most 1,000,000 read)'
    )


def test_far_future_upload_time_in_utc_is_listed(index: Index) -> None:
    doc = document(v1=[1])
    doc['releases']['1'][0]['upload_time_iso_8601'] = '9999-12-31T23:59:59Z'
    index.add('future', doc)
    report = whatbroke.what_broke(
        ['future'], since=NOW - datetime.timedelta(days=14), index_url=index.url, timeout=5
    )
    assert [(r.package, r.released.year) for r in report.releases] == [('future', 9999)]
