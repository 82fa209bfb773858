"""The merge policy over the real data: every corpus line paired with every
global entry of its name, in each of the five dated data sets, both
policies.

For each pair: a second sync changes nothing; the entry (name and extras)
is the same; the text reads back as the requirement it claims; no synced
line holds a lower bound beside ``==``/``===``/``~=`` unless the global
line itself says so. Under the merge policy a project minimum that wins is
written as the project wrote it (``>=X`` stays ``>=X``, beside a global
``!=X``), with every global exclusion and cap above it; a project's Python
version marker stays when the global line has none; and the check plugins
accept every line the sync writes. Lines already in policy (the global
line's own text; a higher minimum with the global exclusions above it)
are left as they are.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging.version import InvalidVersion, Version

from openstack_requirements.errors import ParseError
from openstack_requirements.model import Line, parse_line
from openstack_requirements.model.versions import CAPS, lower_bound, normal_marker
from openstack_requirements.ops import sync
from openstack_requirements.ops.checks import project as contract
from openstack_requirements.ops.checks.context import Context, python3_only
from openstack_requirements.ops.project import read_project
from openstack_requirements.ops.sync import line as one_line
from openstack_requirements.ops.sync import policy as merge_policy
from openstack_requirements.ops.sync import source
from tests.conftest import CORPUS_LINES, DATA
from tests.helpers import PINS, contradictions

# corpus tests: every corpus line against every data set
pytestmark = pytest.mark.slow

DATA_SETS = sorted(p.name for p in DATA.iterdir())


@functools.cache
def corpus() -> list[Line]:
    """Every corpus line a sync edits (named, not a URL or editable)."""
    found = []
    for number, text in enumerate(CORPUS_LINES.read_text(encoding='utf-8').splitlines(), 1):
        try:
            line = parse_line(text, lineno=number)
        except ParseError:
            continue
        if source._syncable(line):
            found.append(line)
    return found


def pairs(global_list: sync.GlobalList) -> Iterator[tuple[Line, Line]]:
    for line in corpus():
        if line.key in global_list.excluded:
            continue
        for gline in global_list.lines.get(line.key or '', []):
            yield line, gline


def kept_marker(line: Line, gline: Line, alone: bool) -> str:
    """The marker a synced line holds: the global line's, or the project's
    Python version marker when the global line has none."""
    assert line.requirement is not None and gline.requirement is not None
    ours = normal_marker(line.requirement.marker_text)
    theirs = normal_marker(gline.requirement.marker_text)
    return ours if alone and not theirs and python3_only(ours) else theirs


def merge_holds(line: Line, gline: Line, synced: Line) -> None:
    """The project's winning minimum as it wrote it; every global exclusion
    and cap above the lower bound written."""
    mine, theirs, new = (x.requirement for x in (line, gline, synced))
    assert mine is not None and theirs is not None and new is not None
    if any(s.operator in PINS for s in theirs.specifier):
        return
    ours = lower_bound(mine.specifier)
    stated = lower_bound(s for s in theirs.specifier if s.operator in ('>=', '>'))
    written = lower_bound(new.specifier)
    capped = (
        ours is not None
        and ours.operator == '>='
        and any(
            s.operator in CAPS and not s.contains(ours.version, prereleases=True)
            for s in theirs.specifier
        )
    )
    if (
        ours is not None
        and not capped
        and (stated is None or merge_policy._stricter(ours, stated))
    ):
        assert str(written) == str(ours), (line.text, gline.text, synced.text)
    for spec in theirs.specifier:
        if spec.operator in ('>=', '>') or (
            written is not None and merge_policy._below(spec, written)
        ):
            continue
        assert spec in set(new.specifier), (line.text, gline.text, synced.text)


def read_back(line: Line) -> None:
    again = parse_line(line.text).requirement
    assert again is not None and line.requirement is not None
    assert again.key == line.requirement.key, line.text
    assert sync.entry_key(parse_line(line.text)) == sync.entry_key(line)
    assert merge_policy.equal_specifiers(
        again.specifier, line.requirement.specifier, sync.Policy.EXACT
    ), line.text
    assert normal_marker(again.marker_text) == normal_marker(line.requirement.marker_text), (
        line.text
    )
    assert again.extras == line.requirement.extras, line.text


COUNTS: dict[str, int] = {}


@pytest.mark.parametrize('policy', list(sync.Policy), ids=lambda p: p.value)
@pytest.mark.parametrize('data_name', DATA_SETS)
def test_every_corpus_line_with_every_global_entry(
    data_name: str, policy: sync.Policy, tmp_path: Path
) -> None:
    global_list = sync.load_global(DATA / data_name)
    checked = changed = 0
    read: set[str] = set()
    written: list[str] = []
    for line, gline in pairs(global_list):
        checked += 1
        # the entry's one line against the package's one global line
        alone = len(global_list.lines[gline.key or '']) == 1
        first = sync.sync_line(line, True, gline, policy, alone=alone)
        second = sync.sync_line(first.line, True, gline, policy, alone=alone)
        assert not second.changed and second.line is first.line, (
            line.text,
            gline.text,
            first.line.text,
            second.line.text,
        )
        assert sync.entry_key(first.line) == sync.entry_key(line)
        assert first.line.requirement is not None
        assert normal_marker(first.line.requirement.marker_text) == kept_marker(
            line, gline, alone
        ), (line.text, gline.text)
        if policy is sync.Policy.MERGE:
            merge_holds(line, gline, first.line)
        if not first.changed:
            assert first.line is line
            continue
        changed += 1
        written.append(first.line.text.split('#', 1)[0].rstrip() + '\n')
        assert first.line.comment == (line.comment or gline.comment)
        if line.comment:
            assert first.line.text.endswith(line.text[one_line._comment_start(line) :])
        if first.line.text not in read:
            read.add(first.line.text)
            read_back(first.line)
        req, greq = first.line.requirement, gline.requirement
        assert req is not None and greq is not None
        assert contradictions(list(req.specifier)) <= contradictions(list(greq.specifier)), (
            line.text,
            gline.text,
            first.line.text,
        )
    COUNTS[f'{data_name} {policy.value}'] = checked
    assert checked > 5000
    assert changed
    accepted_by_the_checks(DATA / data_name, written, tmp_path)


def accepted_by_the_checks(data: Path, written: list[str], tmp_path: Path) -> None:
    """The contract's line checks (and check-constraints -G) find nothing to
    say about any line the sync wrote."""
    project = tmp_path / 'project'
    project.mkdir()
    (project / 'requirements.txt').write_text(''.join(dict.fromkeys(written)))
    context = Context.from_source(data, project=read_project(project))
    for check in (contract.Exclusions(), contract.Markers(), contract.GlobalSpecifiers()):
        found = [(f.line, f.message) for f in check.check(context)]
        assert found == [], (check.name, found[:5])


def _admitted_minimums(gline: Line, upper: dict[str, str]) -> Iterator[str]:
    """Project lines in merge policy with ``gline``: a minimum at or above
    the global one (the upper-constraints version), the global exclusions
    and caps above it."""
    req = gline.requirement
    assert req is not None and req.name is not None
    specs = list(req.specifier)
    if any(s.operator in PINS for s in specs):
        return
    pin = upper.get(gline.key or '')
    try:
        version = Version(pin) if pin else None
    except InvalidVersion:
        return
    if version is None or not req.specifier.contains(version, prereleases=True):
        return
    rest = [
        str(s)
        for s in specs
        if s.operator not in ('>=', '>')
        and not (
            s.operator == '!=' and not s.version.endswith('.*') and Version(s.version) < version
        )
    ]
    marker = f';{req.marker_text}' if req.marker_text else ''
    yield f'{req.name}>={pin}{"," if rest else ""}{",".join(rest)}{marker}'


@pytest.mark.parametrize('data_name', DATA_SETS)
def test_lines_in_policy_are_untouched(data_name: str) -> None:
    global_list = sync.load_global(DATA / data_name)
    upper = {}
    for text in (DATA / data_name / 'upper-constraints.txt').read_text().splitlines():
        line = parse_line(text)
        if line.requirement and line.key and not line.requirement.marker_text:
            upper[line.key] = next(iter(line.requirement.specifier)).version
    checked = 0
    for key in global_list.lines:
        if key in global_list.excluded:
            continue
        for gline in global_list.lines[key]:
            body = gline.text[: one_line._comment_start(gline)] if gline.comment else gline.text
            texts = [(body, list(sync.Policy))] + [
                (text, [sync.Policy.MERGE]) for text in _admitted_minimums(gline, upper)
            ]
            for text, policies in texts:
                line = parse_line(text)
                for policy in policies:
                    checked += 1
                    done = sync.sync_line(line, True, gline, policy)
                    assert not done.changed and done.line is line, (
                        text,
                        gline.text,
                        done.line.text,
                    )
    assert checked > 300
