"""A whole run: every project of update-requirements synced, and written
through the one writer (all files or none)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from openstack_requirements.errors import RequirementsError
from openstack_requirements.model import Line
from openstack_requirements.ops.files import Change, Changeset
from openstack_requirements.ops.findings import Finding
from openstack_requirements.ops.project import (
    DependencyFile,
    Project,
    PyprojectToml,
    SetupCfg,
    Source,
    read_project,
)
from openstack_requirements.ops.sync.global_list import GlobalList
from openstack_requirements.ops.sync.line import Style, separator_of
from openstack_requirements.ops.sync.policy import Policy
from openstack_requirements.ops.sync.report import Row
from openstack_requirements.ops.sync.source import Place, sync_lines


@dataclasses.dataclass
class ProjectSync:
    """What syncing one project would do."""

    root: Path
    rows: list[Row] = dataclasses.field(default_factory=list)
    problems: list[Finding] = dataclasses.field(default_factory=list)
    changes: list[Change] = dataclasses.field(default_factory=list)


def file_style(dependency_file: DependencyFile, source: Source) -> Style:
    """How edited lines of ``source`` are written."""
    if isinstance(dependency_file, PyprojectToml):
        return Style(comments=False)
    if isinstance(dependency_file, SetupCfg):
        if source.section == 'options.extras_require':
            return Style(pbr=True)
        for src in dependency_file.sources:
            for line in src.requirement_lines():
                if line.requirement and line.requirement.marker_text:
                    return Style(marker_sep=separator_of(line, ':'), pbr=True)
        return Style(marker_sep=dependency_file.marker_sep, pbr=True)
    return Style()


def sync_project(
    project: Project, global_list: GlobalList, policy: Policy = Policy.MERGE, soft: bool = False
) -> ProjectSync:
    """What syncing ``project`` with ``global_list`` changes."""
    result = ProjectSync(project.root)
    for dependency_file in project.files:
        new: dict[str, list[Line]] = {}
        for source in dependency_file.sources:
            place = Place(_label(project, source), str(dependency_file.path), dependency_file.text)
            done = sync_lines(
                source.lines,
                global_list,
                policy,
                soft,
                place=place,
                style=file_style(dependency_file, source),
            )
            result.rows.extend(done.rows)
            result.problems.extend(done.problems)
            if done.lines != source.lines:
                new[source.label] = done.lines
        if new:
            text = dependency_file.render_checked(new)
            if text != dependency_file.text:
                result.changes.append(
                    Change(
                        str(dependency_file.path), dependency_file.text, text, str(project.root)
                    )
                )
    return result


def _label(project: Project, source: Source) -> str:
    return str(project.root / source.label)


@dataclasses.dataclass
class SyncRun:
    """Every project of one run."""

    projects: list[ProjectSync]
    #: Projects that could not be read, as their errors.
    errors: list[RequirementsError]

    @property
    def rows(self) -> list[Row]:
        return [row for p in self.projects for row in p.rows]

    @property
    def problems(self) -> list[Finding]:
        """Each once: a bad global line is met by every project using it."""
        every = (problem for p in self.projects for problem in p.problems)
        return list(dict.fromkeys(every))

    @property
    def failed(self) -> bool:
        return bool(self.errors or self.problems)

    @property
    def changeset(self) -> Changeset:
        return Changeset(c for p in self.projects for c in p.changes)


def plan(
    roots: Iterable[str | os.PathLike[str]],
    global_list: GlobalList,
    policy: Policy = Policy.MERGE,
    soft: bool = False,
    progress: Callable[[Path], None] | None = None,
    include: Sequence[str] = (),
) -> SyncRun:
    """Read and sync every project (its governed files, and those
    matching ``include``); write nothing."""
    projects: list[ProjectSync] = []
    errors: list[RequirementsError] = []
    for root in roots:
        try:
            project = read_project(root, include)
        except RequirementsError as err:
            errors.append(err)
            continue
        if progress is not None:
            for dependency_file in project.files:
                progress(dependency_file.path)
        projects.append(sync_project(project, global_list, policy, soft))
    return SyncRun(projects, errors)


def write(changeset: Changeset, suffix: str = '') -> list[str]:
    """Write every change through the one writer: all or none."""
    return changeset.write(suffix)
