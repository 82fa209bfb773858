"""The gate, in impact: the requirements-check job on each project a
change touches, with the data before and after the change.

The job's checks (the plugins ``check-requirements`` runs, as
:mod:`~openstack_requirements.ops.checks.job` loads and weighs
them: an ``upper-constraint`` error is advice there) run with the rules of
the change's branch (strict or not, the spelling rule, pyproject.toml on
master), once against each version of the data, on the project's files as
they are. An error found with the proposed data and not with the base is
a *break*; one found with the base and not with the proposed data, a
*fix*. A finding is the same on both sides when its check, file, line (on
a project file; a data file's lines may move) and package are: one whose
message alone changed was failing already.

Only what the change can alter is judged: the lines of the packages it
touches, by the checks reading a data file. Every check of the job judges
a line by the data of its own package (its global entries, pins, denylist
and backports membership), so the findings on the other lines are the
same on both sides; and a check that reads no data file (its ``needs``
says which it reads: duplicates, build-backend...) finds the same on both.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from openstack_requirements.errors import FileError
from openstack_requirements.ops import data
from openstack_requirements.ops.checks import base as checks_base
from openstack_requirements.ops.checks import job as requirements_check
from openstack_requirements.ops.checks.context import Context, DataFile
from openstack_requirements.ops.project import DependencyFile, Project
from openstack_requirements.ops.reports.impact_rows import Kind

if TYPE_CHECKING:
    from openstack_requirements.model import Line
    from openstack_requirements.ops.checks.base import Check, Finding
    from openstack_requirements.ops.reports.impact_data import Snapshot


@dataclasses.dataclass(frozen=True)
class Verdict:
    """A check a project newly fails (:attr:`Kind.BREAK`) or newly passes
    (:attr:`Kind.FIX`)."""

    kind: Kind
    project: str
    #: The finding, as the side where the check fails has it.
    finding: Finding
    #: The project line the finding is on, if it is on one.
    line: Line | None = None

    @property
    def detail(self) -> str:
        return f'{self.finding.check}: {self.finding.message}'


def context(snapshot: Snapshot, branch: str) -> Context:
    """The checks' inputs for one version of the data, on ``branch``."""

    def read(name: str, text: str | None) -> DataFile | None:
        return None if text is None else DataFile(Path(name), text)

    return Context(
        global_reqs=DataFile(Path(data.GLOBAL), snapshot.global_text),
        upper=read(data.UPPER, snapshot.upper_text),
        denylist=read(snapshot.excluded_name, snapshot.excluded_text),
        backports=read(data.BACKPORTS, snapshot.backports_text),
        branch=branch,
        place=snapshot.place,
    )


class Gate:
    """The job's checks, ready to run against two versions of the data."""

    def __init__(
        self,
        base: Snapshot,
        proposed: Snapshot,
        branch: str,
        checks: Sequence[Check] | None = None,
    ) -> None:
        chosen = [
            c
            for c in (checks if checks is not None else requirements_check.project_checks())
            if c.needs
        ]
        self.branch = branch
        self.sides = [self._side(s, branch, chosen) for s in (base, proposed)]

    @staticmethod
    def _side(snapshot: Snapshot, branch: str, chosen: list[Check]) -> tuple[Context, list[Check]]:
        ctx = context(snapshot, branch)
        try:
            runnable, _ = checks_base.runnable(
                chosen, ctx, optional=requirements_check.OPTIONAL_DATA
            )
        except FileError as err:
            if snapshot.place is not None:
                raise
            raise FileError(f'{snapshot.label}: {err}') from None
        return ctx, runnable

    def judge(self, name: str, project: Project, lines: Collection[Line]) -> list[Verdict]:
        """What the change does to the checks of ``project`` (listed as
        ``name``), judged on its ``lines`` (those of the packages the
        change touches)."""
        view = restricted(project, lines)
        if view is None:
            return []
        places = {(s.label, line.lineno): line for s in view.sources for line in s.lines}
        (base_ctx, base_checks), (new_ctx, new_checks) = self.sides
        before = _errors(base_checks, dataclasses.replace(base_ctx, project=view), places)
        after = _errors(new_checks, dataclasses.replace(new_ctx, project=view), places)
        verdicts = []
        for kind, found, other in ((Kind.BREAK, after, before), (Kind.FIX, before, after)):
            for identity, finding in found.items():
                if identity not in other:
                    verdicts.append(
                        Verdict(kind, name, finding, places.get((finding.file, finding.line or 0)))
                    )
        return verdicts


def _errors(
    checks: Sequence[Check], ctx: Context, lines: Mapping[tuple[str, int], Line]
) -> dict[tuple[object, ...], Finding]:
    """The errors of the job's checks, by identity (see the module)."""
    found: dict[tuple[object, ...], Finding] = {}
    for finding in requirements_check.job_findings(checks, ctx):
        if finding.severity != checks_base.ERROR:
            continue
        on_project = (finding.file, finding.line or 0) in lines
        identity = (
            finding.check,
            finding.file,
            finding.line if on_project else None,
            finding.package,
        )
        found.setdefault(identity, finding)
    return found


def restricted(project: Project, lines: Collection[Line]) -> Project | None:
    """``project`` with only the requirement lines among ``lines`` (these
    very objects; ``None`` when it has none of them)."""
    wanted = {id(line) for line in lines}
    files = []
    for file in project.files:
        sources = []
        for source in file.sources:
            kept = [line for line in source.lines if id(line) in wanted]
            if kept:
                sources.append(dataclasses.replace(source, lines=kept))
        if sources:
            files.append(DependencyFile(file.path, file.text, sources))
    return Project(project.root, files) if files else None
