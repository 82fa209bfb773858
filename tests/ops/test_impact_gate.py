"""The gate's verdicts are the difference between two whole runs of the
job: real trees, each with the data of its date, under changes touching
many packages at once, both ways, on a master and an older stable rule."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from openstack_requirements.ops.checks import base as checks
from openstack_requirements.ops.checks import job as requirements_check
from openstack_requirements.ops.checks.context import Context
from openstack_requirements.ops.project import read_project
from openstack_requirements.ops.reports import impact
from openstack_requirements.ops.reports.impact_rows import Kind
from tests.conftest import TREES, nearest_data

PAIRS = [
    'nova-2016-01-01',
    'nova-2019-06-01',
    'nova-2022-06-01',
    'nova-2026-08-21',
    'oslo.messaging-2026-05-13',
    'trove-2026-08-14',
]
_NAME = re.compile(r'^([A-Za-z0-9][A-Za-z0-9._-]*)')


def _every(step: int, edit: Callable[[str], str]) -> Callable[[str], str]:
    """An edit of every ``step``-th requirement line of a global list."""

    def apply(text: str) -> str:
        lines = text.splitlines(keepends=True)
        named = [i for i, line in enumerate(lines) if _NAME.match(line)]
        for index in named[::step]:
            lines[index] = edit(lines[index])
        return ''.join(lines)

    return apply


def _respell(line: str) -> str:
    name = _NAME.match(line).group(1)  # type: ignore[union-attr]
    other = name.replace('-', '_') if '-' in name else name.upper()
    return other + line[len(name) :]


def _break(line: str) -> str:
    body, sep, comment = line.partition('  #')
    return body.rstrip('\n').split(';')[0] + ',<' + (sep + comment if sep else '\n')


def _marker(line: str) -> str:
    body, sep, comment = line.partition('  #')
    if ';' in body:
        return line
    return body.rstrip('\n') + ";python_version>='3.12'" + (sep + comment if sep else '\n')


EDITS = [
    _every(1, lambda line: re.sub(r',?!=[^,;\s#]+', '', line)),  # no exclusion
    _every(10, lambda line: ''),  # removed
    _every(7, _respell),
    _every(13, _break),
    _every(9, _marker),
]


def _propose(base: Path, place: Path) -> None:
    """``base`` with every edit, and every 11th package denylisted."""
    shutil.copytree(base, place)
    path = place / 'global-requirements.txt'
    text = path.read_text()
    for edit in EDITS:
        text = edit(text)
    names = [m.group(1) for m in map(_NAME.match, text.splitlines()) if m]
    denylist = next(p for p in place.iterdir() if p.name in ('denylist.txt', 'blacklist.txt'))
    with denylist.open('a') as handle:
        handle.writelines(f'{name}\n' for name in names[3::11])
    path.write_text(text)


def _job_errors(data: Path, tree: Path, branch: str) -> dict[tuple, str]:
    """The job's errors on the whole tree: a finding on a project line is
    itself there; one on a data file, whatever its line."""
    context = Context.from_source(data, project=read_project(tree), branch=branch)
    chosen, _ = checks.runnable(
        requirements_check.project_checks(), context, optional=requirements_check.OPTIONAL_DATA
    )
    labels = {s.label for s in context.sources()}
    return {
        (
            f.check,
            f.file,
            f.line if f.file in labels else None,
            f.package,
        ): f'{f.check}: {f.message}'
        for f in requirements_check.job_findings(chosen, context)
        if f.severity == checks.ERROR
    }


@pytest.mark.slow
@pytest.mark.parametrize('branch', ['master', 'stable/2024.1'])
@pytest.mark.parametrize('tree', PAIRS)
def test_verdicts_are_the_difference_of_two_runs_of_the_job(
    tmp_path: Path, tree: str, branch: str
) -> None:
    data = tmp_path / 'base'
    shutil.copytree(nearest_data(TREES / tree), data)
    _propose(data, tmp_path / 'proposed')
    names = {c.name for c in requirements_check.project_checks()}
    for before, after in ((data, tmp_path / 'proposed'), (tmp_path / 'proposed', data)):
        old = _job_errors(before, TREES / tree, branch)
        new = _job_errors(after, TREES / tree, branch)
        expected = sorted(
            [(Kind.BREAK, key[1], key[3], detail) for key, detail in new.items() if key not in old]
            + [(Kind.FIX, key[1], key[3], detail) for key, detail in old.items() if key not in new]
        )
        report = impact.impact(
            impact.Snapshot.from_directory(before),
            impact.Snapshot.from_directory(after),
            [(tree, TREES / tree)],
            branch=branch,
        )
        found = sorted(
            (r.kind, r.file, r.package, r.detail)
            for r in report.rows
            if r.kind in (Kind.BREAK, Kind.FIX) and r.detail.split(':')[0] in names
        )
        assert found == expected
        assert any(kind is Kind.BREAK for kind, *_ in found) or before != data
