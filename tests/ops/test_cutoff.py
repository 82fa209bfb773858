"""--exclude-newer: its values, what it drops, the stated header line, and
the index reader's cut on a JSON index served on 127.0.0.1."""

from __future__ import annotations

import datetime

import pytest

from openstack_requirements.errors import RequirementsError
from openstack_requirements.ops.constraints import cutoff
from openstack_requirements.ops.constraints.metadata.index import Index
from tests import resolver_index

NOW = datetime.datetime(2026, 12, 3, 5, 0, 7, 654321, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ('value', 'stamp', 'duration'),
    [
        ('2026-11-01', '2026-11-01T00:00:00Z', None),
        ('2026-11-01T12:00:00Z', '2026-11-01T12:00:00Z', None),
        ('2026-11-01T12:00:00.999Z', '2026-11-01T12:00:00Z', None),
        ('2026-11-01T12:00:00', '2026-11-01T12:00:00Z', None),  # UTC unless said
        ('2026-11-01T14:00:00+02:00', '2026-11-01T12:00:00Z', None),
        ('7d', '2026-11-26T05:00:07Z', '7d'),
        ('12h', '2026-12-02T17:00:07Z', '12h'),
        ('2w', '2026-11-19T05:00:07Z', '2w'),
        ('0d', '2026-12-03T05:00:07Z', '0d'),
    ],
)
def test_values(value: str, stamp: str, duration: str | None) -> None:
    rule = cutoff.parse(value, now=NOW)
    assert (rule.stamp, rule.duration) == (stamp, duration)
    assert rule.cutoff.tzinfo is not None and rule.cutoff.microsecond == 0


@pytest.mark.parametrize(
    'value', ['', '7', '7 days', '-7d', 'P7D', 'yesterday', '2026-13-01', '1.5d']
)
def test_bad_values_are_one_line_naming_the_option(value: str) -> None:
    with pytest.raises(RequirementsError) as caught:
        cutoff.parse(value, now=NOW)
    message = str(caught.value)
    assert message.startswith(f'--exclude-newer {value}:') and '\n' not in message


@pytest.mark.parametrize('glob', ['', 'a b', 'oslo/*', "x'"])
def test_bad_exempt_globs(glob: str) -> None:
    with pytest.raises(RequirementsError, match='^--exclude-newer-exempt '):
        cutoff.parse('7d', [glob], now=NOW)


def test_drops_after_the_cutoff_and_without_an_upload_time() -> None:
    rule = cutoff.parse('2026-11-01T00:00:00Z')
    assert rule.drops('2026-11-01T00:00:00.000001Z')
    assert not rule.drops('2026-11-01T00:00:00Z')  # uploaded at the cut-off: kept
    assert not rule.drops('2026-10-31T23:59:59.123456Z')
    assert rule.drops(None)  # as uv: an index file without an upload time
    assert rule.drops('not a time')


def test_exempt_globs_match_canonical_names() -> None:
    rule = cutoff.parse('7d', ['oslo.*', 'Python-NovaClient'], now=NOW)
    assert rule.exempt == ('oslo-*', 'python-novaclient')
    assert rule.is_exempt('oslo.config') and rule.is_exempt('oslo_db')
    assert rule.is_exempt('python_novaclient')
    assert not rule.is_exempt('osprofiler') and not rule.is_exempt('python-glanceclient')
    assert rule.uv_arguments(['oslo.config', 'alpha', 'oslo_config', 'Oslo.Db']) == [
        '--exclude-newer',
        '2026-11-26T05:00:07Z',
        '--exclude-newer-package',
        'oslo-config=false',
        '--exclude-newer-package',
        'oslo-db=false',
    ]


def test_the_stated_line_is_current_and_once() -> None:
    rule = cutoff.parse('7d', ['oslo-*'], now=NOW)
    line = (
        '# --exclude-newer 2026-11-26T05:00:07Z (7d before the run)'
        " --exclude-newer-exempt 'oslo-*'"
    )
    assert rule.stated() == line
    header = '# WARNING: keep me\n#\n'
    first = cutoff.with_stated(header, rule)
    assert first == header + line + '\n'
    later = cutoff.parse('2026-12-01', now=NOW)
    second = cutoff.with_stated(first, later)
    assert second == header + '# --exclude-newer 2026-12-01T00:00:00Z\n'
    assert cutoff.with_stated(second, later) == second
    assert cutoff.with_stated(second, None) == header  # a run without it: no stale line
    assert cutoff.with_stated('# a\n\n', rule) == '# a\n' + line + '\n\n'
    assert cutoff.with_stated('', rule) == line + '\n'


def test_the_index_reader_cuts_its_pages(tmp_path) -> None:
    wheels = tmp_path / 'wheels'
    for version in ('1.0', '2.0', '3.0'):
        resolver_index.make_wheel(wheels, 'alpha', version)
        resolver_index.make_wheel(wheels, 'oslo.thing', version)
    times = {
        'alpha-1.0-py3-none-any.whl': '2026-10-01T00:00:00Z',
        'alpha-2.0-py3-none-any.whl': '2026-11-02T00:00:00.5Z',
        # alpha 3.0: no upload time
        'oslo_thing-1.0-py3-none-any.whl': '2026-10-01T00:00:00Z',
        'oslo_thing-2.0-py3-none-any.whl': '2026-11-02T00:00:00Z',
    }
    rule = cutoff.parse('2026-11-01', ['oslo-*'])
    with resolver_index.serve_simple_index(wheels, upload_times=times) as index:
        with Index(index.url, cutoff=rule) as reader:
            assert [f.version for f in reader.files('alpha')] == ['1.0']
            assert [f.version for f in reader.files('oslo.thing')] == ['1.0', '2.0', '3.0']
            assert reader.files('alpha')[0].upload_time == '2026-10-01T00:00:00Z'
        with Index(index.url) as reader:
            assert [f.version for f in reader.files('alpha')] == ['1.0', '2.0', '3.0']
        assert index.counts['/simple/alpha/'] == 2  # once per run


def test_find_links_files_are_not_cut(tmp_path) -> None:
    resolver_index.make_wheel(tmp_path, 'alpha', '1.0')
    with Index(None, [str(tmp_path)], cutoff=cutoff.parse('2000-01-01')) as reader:
        assert [f.version for f in reader.files('alpha')] == ['1.0']
