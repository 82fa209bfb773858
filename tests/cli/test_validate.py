"""validate-constraints over the shipped and historical data."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT

DATA_2026 = DATA / 'openstack-2026-08-22'

#: The 2026 data has no errors; these are its warnings (real, worth a look).
WARNINGS_2026 = [
    ('licence-policy', 52, 'dnspython', 'licence needs review: http://www.dnspython.org/LICENSE'),
    ('licence-policy', 118, 'pexpect', 'licence needs review: ISC License'),
    ('licence-policy', 120, 'Pillow', 'licence needs review: PIL License'),
    ('licence-policy', 156, 'requests-kerberos', 'licence needs review: ISC'),
    (
        'licence-policy',
        209,
        'XStatic-mdi',
        'licence needs review: SIL OPEN FONT LICENSE Version 1.1',
    ),
    ('licence-policy', 236, 'ldappool', 'licence needs review: MPL'),
    ('licence-policy', 255, 'pytest-html', 'licence needs review: MPL-2.0'),
    (
        'licence-policy',
        291,
        'docutils',
        'licence needs review: OSI-Approved Open Source, Public Domain',
    ),
    ('no-caps', 28, 'boto3', 'version cap <1.36'),
    ('no-caps', 29, 'botocore', 'version cap <1.36'),
    ('no-caps', 31, 's3transfer', 'version cap <0.11'),
    ('no-caps', 50, 'Django', 'version cap <6'),
]


def rows(result) -> list[tuple[str, int, str, str]]:
    return [(r['Check'], r['Line'], r['Package'], r['Message']) for r in result.json()]


def test_2026_data_has_no_errors(run_app) -> None:
    result = run_app(
        'validate-constraints',
        str(DATA_2026 / 'global-requirements.txt'),
        str(DATA_2026 / 'upper-constraints.txt'),
        str(DATA_2026 / 'denylist.txt'),
        '-f',
        'json',
    )
    assert result.code == 0
    assert rows(result) == WARNINGS_2026
    assert {r['Severity'] for r in result.json()} == {'warning'}
    assert result.stderr == 'validate-constraints: 0 errors, 12 warnings (11 checks run)\n'


def test_shipped_data_is_the_default(
    run_app, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # no data here: the checkout's copy is used
    result = run_app('validate-constraints', '-f', 'json')
    assert result.code == 0
    # the shipped list is the 2026 one with lint's two fixes: the same
    # warnings, some a few lines away
    moved = {
        'dnspython': 50,
        'pexpect': 116,
        'Pillow': 118,
        'requests-kerberos': 154,
        'Django': 48,
        's3transfer': 161,
    }
    expected = [
        (check, moved.get(name, line), name, message)
        for check, line, name, message in WARNINGS_2026
    ]
    assert sorted(rows(result)) == sorted(expected)
    assert (ROOT / 'blacklist.txt').is_file()
    assert (ROOT / 'denylist.txt').read_text() == (ROOT / 'blacklist.txt').read_text()


@pytest.mark.parametrize(
    'date, errors',
    [
        # pysaml2's !=4.0.5rc1 written after !=4.0.5: canonical with the old
        # LooseVersion ordering, not with PEP 440's; two lines lack a licence
        (
            '2019-06-01',
            [
                ('global-canonical', 254, 'pysaml2'),
                ('licence-comment', 505, 'grpcio'),
                ('licence-comment', 510, 'openstack-release-test'),
            ],
        ),
        (
            '2022-06-01',
            [
                ('global-canonical', 244, 'pysaml2'),
                ('licence-comment', 496, 'grpcio'),
                ('licence-comment', 501, 'openstack-release-test'),
            ],
        ),
    ],
)
def test_historical_data(run_app, date: str, errors: list) -> None:
    result = run_app(
        'validate-constraints', '--source', str(DATA / f'openstack-{date}'), '-f', 'json'
    )
    assert result.code == 1
    assert [
        (r['Check'], r['Line'], r['Package']) for r in result.json() if r['Severity'] == 'error'
    ] == errors


@pytest.mark.parametrize('date', ['2015-09-11', '2016-01-01'])
def test_2015_era_data_with_its_own_policy(run_app, date: str) -> None:
    """The 2015 list carries minimums and few licence comments; with the
    later policies deselected, its constraints and coverage hold."""
    source = str(DATA / f'openstack-{date}')
    default = run_app('validate-constraints', '--source', source, '-f', 'value', '-c', 'Check')
    assert default.code == 1
    assert set(default.stdout.split()) >= {'no-global-lower-bounds', 'licence-comment'}
    era = run_app(
        'validate-constraints',
        '--source',
        source,
        '-f',
        'json',
        '--ignore',
        'no-global-lower-bounds,global-canonical,licence-comment',
    )
    # pylint (GNU GPL v2) was in the 2015 list: the licence policy refuses it
    assert [
        (r['Check'], r['Package'], r['Message']) for r in era.json() if r['Severity'] == 'error'
    ] == [('licence-policy', 'pylint', 'licence refused: GNU GPL v2')]
    only = run_app(
        'validate-constraints',
        '--source',
        source,
        '-f',
        'json',
        '--select',
        'constraint-format,constraint-matches-global,coverage,parse,duplicate-lines,no-bare-names',
    )
    assert only.code == 0
    assert {r['Check'] for r in only.json()} == {'no-bare-names'}


def test_problems_are_found(run_app, tmp_path: Path) -> None:
    (tmp_path / 'global-requirements.txt').write_text(
        'foo>=1  # MIT\nbar!=2  # GPLv3\nbaz  # BSD\nqux;python_version=="3.10  # MIT\n'
    )
    (tmp_path / 'upper-constraints.txt').write_text(
        '# header\nfoo===0.9\nbar===2.0.0\nflake8==1\n'
    )
    (tmp_path / 'blacklist.txt').write_text('flake8\n')
    result = run_app('validate-constraints', '--source', str(tmp_path), '-f', 'json')
    assert result.code == 1
    assert [(r['Check'], r['File'], r['Line'], r['Package']) for r in result.json()] == [
        ('constraint-format', 'upper-constraints.txt', 4, 'flake8'),
        ('constraint-matches-global', 'upper-constraints.txt', 2, 'foo'),
        ('constraint-matches-global', 'upper-constraints.txt', 3, 'bar'),
        ('coverage', 'global-requirements.txt', 3, 'baz'),
        ('coverage', 'upper-constraints.txt', 4, 'flake8'),
        ('licence-policy', 'global-requirements.txt', 2, 'bar'),
        ('no-global-lower-bounds', 'global-requirements.txt', 1, 'foo'),
        ('parse', 'global-requirements.txt', 4, ''),
    ]


def test_list_checks(run_app) -> None:
    result = run_app(
        'validate-constraints', '--list-checks', '-f', 'value', '-c', 'Check', '-c', 'Enabled'
    )
    assert result.stdout.splitlines() == [
        'constraint-format True',
        'constraint-matches-global True',
        'coverage True',
        'distro-minimum False',
        'duplicate-lines True',
        'global-canonical True',
        'global-named True',
        'licence-comment True',
        'licence-policy True',
        'no-bare-names False',
        'no-caps True',
        'no-global-lower-bounds True',
        'parse True',
    ]
