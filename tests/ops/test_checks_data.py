"""Checks of the governance data, the review guidelines, and the runner."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from openstack_requirements.ops.checks import base, data, guidelines
from openstack_requirements.ops.checks.context import Context


@pytest.fixture
def context(tmp_path: Path):
    def make(global_reqs: str = '', upper: str = '', denylist: str = '') -> Context:
        (tmp_path / 'global-requirements.txt').write_text(global_reqs)
        (tmp_path / 'upper-constraints.txt').write_text(upper)
        (tmp_path / 'denylist.txt').write_text(denylist)
        return Context.from_source(tmp_path)

    return make


def run(check: base.Check, context: Context) -> list[tuple[str, int | None, str, str]]:
    return [(f.file, f.line, f.package, f.message) for f in check.check(context)]


def test_constraint_format(context) -> None:
    # a comment header made the 2017 and 2021 reference fail
    ctx = context(
        upper="# generated\n\nfoo===1.2.5\nbar==2.1\nbaz>=1\nqux===1;python_version=='3.10'\n"
    )
    assert run(data.ConstraintFormat(), ctx) == [
        ('upper-constraints.txt', 4, 'bar', 'not an exact === pin: bar==2.1'),
        ('upper-constraints.txt', 5, 'baz', 'not an exact === pin: baz>=1'),
    ]


@pytest.mark.parametrize(
    'global_line, pin, ok',
    [
        ('foo>=1.2', 'foo===1.2.5', True),
        ('oslo.concurrency>=2.3.0', 'oslo.concurrency===2.2.0', False),
        ('foo>=1.2,<2.0', 'foo===2.0.1', False),
        ('foo!=2.0', 'foo===2.0.0', False),  # the same version, spelt longer
        ('PyYAML!=6.0', 'pyyaml===6.0', False),  # names compared canonically
        ('foo', 'foo===2.0rc1', True),  # pre-releases are pins too
        ('other>=1', 'foo===1', True),  # transitive dependency
    ],
)
def test_constraint_matches_global(context, global_line: str, pin: str, ok: bool) -> None:
    ctx = context(global_reqs=global_line + '\n', upper=pin + '\n')
    assert (run(data.ConstraintMatchesGlobal(), ctx) == []) is ok


def test_constraint_matches_the_entry_for_its_markers(context) -> None:
    ctx = context(
        global_reqs="foo<2;python_version=='3.10'\nfoo;python_version=='3.11'\n",
        upper="foo===1.5;python_version=='3.10'\nfoo===2.5;python_version=='3.11'\n"
        "foo===2.5;python_version=='3.10'\n",
    )
    assert run(data.ConstraintMatchesGlobal(), ctx) == [
        ('upper-constraints.txt', 3, 'foo', '2.5 does not satisfy the global list: <2')
    ]


def test_no_global_lower_bounds(context) -> None:
    ctx = context(
        global_reqs="cffi!=1.1.2\nother>=1,!=1.1.0\nthird>1\nother>=2;python_version=='3.10'\n"
    )
    assert [m for *_, m in run(data.NoGlobalLowerBounds(), ctx)] == [
        'lower bound >=1 in the global list',
        'lower bound >1 in the global list',
        'lower bound >=2 in the global list',
    ]


def test_global_canonical_shows_the_diff(context) -> None:
    ctx = context(
        global_reqs='## section:general\n\nfoo<2,>=1 # MIT\nbar  # BSD\n'
        "baz; python_version == '3.10'  # MIT\n"
    )
    assert run(data.GlobalCanonical(), ctx) == [
        ('global-requirements.txt', 3, 'foo', '-foo<2,>=1 # MIT\n+foo>=1,<2  # MIT'),
        (
            'global-requirements.txt',
            5,
            'baz',
            "-baz; python_version == '3.10'  # MIT\n+baz;python_version == '3.10'  # MIT",
        ),
    ]


def test_coverage(context) -> None:
    ctx = context(
        global_reqs='foo\nbar\nBaz\npip\nflake8\n',
        upper='foo===1\nbaz===2\nhacking===1\n',
        denylist='flake8\nhacking\n',
    )
    assert run(data.Coverage(), ctx) == [
        (
            'global-requirements.txt',
            2,
            'bar',
            'in the global list but neither in upper-constraints.txt nor in denylist.txt',
        ),
        ('upper-constraints.txt', 3, 'hacking', 'both pinned and in denylist.txt'),
    ]


def test_parse_reports_bad_lines_and_others_go_on(context) -> None:
    ctx = context(global_reqs="foo;python_version=='3.10\nbar!!1\nbaz\n", upper='baz===1\n')
    findings = run(data.Parse(), ctx)
    assert [(f, line) for f, line, *_ in findings] == [
        ('global-requirements.txt', 1),
        ('global-requirements.txt', 2),
    ]
    assert run(data.Coverage(), ctx) == []


def test_duplicate_lines(context) -> None:
    ctx = context(
        global_reqs="foo\nFoo!=1\nbar;python_version=='3.10'\nbar;python_version=='3.11'\n",
        upper='foo===1\nbar===1\nbar===1\n',
        denylist='x\nX\n',
    )
    assert run(data.DuplicateLines(), ctx) == [
        ('global-requirements.txt', 2, 'foo', 'listed more than once with the same markers'),
        ('upper-constraints.txt', 3, 'bar', 'listed more than once with the same markers'),
        ('denylist.txt', 2, 'x', 'listed more than once with the same markers'),
    ]


def test_no_caps_and_bare_names(context) -> None:
    ctx = context(global_reqs='boto3<1.36  # Apache-2.0\nfoo!=1  # MIT\nbar>=1  # MIT\n')
    assert run(guidelines.NoCaps(), ctx) == [
        ('global-requirements.txt', 1, 'boto3', 'version cap <1.36')
    ]
    assert run(guidelines.NoBareNames(), ctx) == [
        ('global-requirements.txt', 1, 'boto3', 'bare name: no minimum version'),
        ('global-requirements.txt', 2, 'foo', 'bare name: no minimum version'),
    ]
    assert guidelines.NoBareNames.default is False


def test_licence_comment(context) -> None:
    ctx = context(global_reqs='foo  # MIT\nbar\nbaz  #\n')
    assert [p for *_, p, _ in run(guidelines.LicenceComment(), ctx)] == ['bar', 'baz']


@pytest.mark.parametrize(
    'comment, verdict',
    [
        ('# Apache-2.0', 'accepted'),
        ('# Apache 2.0 License', 'accepted'),
        ('# BSD License (3 clause)', 'accepted'),
        ('# MIT License', 'accepted'),
        ('# license: MIT', 'accepted'),
        ('# PSF', 'accepted'),
        ('# LGPLv2.1+', 'accepted'),
        ('# LGPL/ZPL', 'accepted'),
        ('# Apache-2.0 (+ dual licensed GPL2)', 'accepted'),
        ('# GNU GPL v2', 'refused'),
        ('# GPLv3+', 'refused'),
        ('# AGPL-3.0', 'refused'),
        ('# MPL-2.0', 'review'),
        ('# ISC License', 'review'),
        ('# PIL License', 'review'),
    ],
)
def test_licence_verdict(comment: str, verdict: str) -> None:
    assert guidelines.licence_verdict(comment) == verdict


def test_licence_policy(context) -> None:
    ctx = context(global_reqs='a  # MIT\nb  # GPLv2\nc  # MPL\nd\n')
    findings = list(guidelines.LicencePolicy().check(ctx))
    assert [(f.package, f.severity, f.message) for f in findings] == [
        ('b', 'error', 'licence refused: GPLv2'),
        ('c', 'warning', 'licence needs review: MPL'),
    ]


class Crashing(base.Check):
    name = 'crashing'
    description = 'always raises'

    def check(self, context: Context) -> Iterable[base.Finding]:
        yield self.finding('x', 1, 'p', 'first')
        raise KeyError('boom')


def test_a_crash_is_an_error_finding(context) -> None:
    findings = base.run([Crashing()], context())
    assert findings == [
        base.Finding('crashing', 'error', 'x', 1, 'p', 'first'),
        base.Finding('crashing', 'error', '', None, '', "check crashed: KeyError: 'boom'"),
    ]


def test_selection() -> None:
    every = base.available(['data', 'project'])
    names = [c.name for c in every]
    assert names == sorted(names) and 'no-bare-names' in names
    default = [c.name for c in base.select(every)]
    assert 'no-bare-names' not in default and 'in-global' in default
    assert [c.name for c in base.select(every, ['no-bare-names', 'coverage'])] == [
        'coverage',
        'no-bare-names',
    ]
    assert 'coverage' not in [c.name for c in base.select(every, (), ['coverage'])]
    with pytest.raises(base.SelectionError, match='unknown check nosuch'):
        base.select(every, ['nosuch'])


def test_every_plugin_is_well_formed() -> None:
    for check in base.available(['data', 'project', 'resolver']):
        assert check.name and '\n' not in check.description
        assert check.scope in ('data', 'project', 'resolver')
        assert check.severity in base.SEVERITIES
