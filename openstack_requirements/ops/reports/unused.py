"""Global requirements that no listed project declares.

Reads the checkouts of the projects in ``projects.txt`` found under one
directory, every dependency source of each (requirements files,
``setup.cfg`` extras, ``pyproject.toml`` dependencies, extras and
groups, as update-requirements reads them), and names the packages of the
global list none of them declares. Nothing is cloned or fetched: a
project without a checkout is reported, since its absence can make a
package look unused.
"""

from __future__ import annotations

import dataclasses
import os

from openstack_requirements.errors import RequirementsError
from openstack_requirements.model import RequirementsFile
from openstack_requirements.ops.checks import lint
from openstack_requirements.ops.project import read_project
from openstack_requirements.ops.project.selection import Selection


@dataclasses.dataclass(frozen=True)
class UnusedPackage:
    name: str  # as written in the global list
    section: str
    line: int


@dataclasses.dataclass
class Report:
    unused: list[UnusedPackage]
    #: ``org/name`` of the listed projects without a checkout.
    missing: list[str]
    #: ``org/name`` and why, for checkouts that could not be read.
    unreadable: list[tuple[str, str]]
    #: How many checkouts were read.
    read: int


def declared(root: str | os.PathLike[str]) -> set[str]:
    """The canonical names a project tree declares anywhere."""
    project = read_project(root)
    return {
        line.key for source in project.sources for line in source.requirement_lines() if line.key
    }


def sections(global_reqs: RequirementsFile) -> dict[int, str]:
    """Line number -> the name of the section holding it."""
    where: dict[int, str] = {}
    for section in lint.split(global_reqs).sections:
        name = section.header[0].text.split(':', 1)[1].strip() if section.header else ''
        for entry in section.entries:
            where[entry.line.lineno] = name
    return where


def find_unused(global_reqs: RequirementsFile, selection: Selection) -> Report:
    """The packages of ``global_reqs`` no project of ``selection``
    declares."""
    found, missing = selection.found, selection.missing
    used: set[str] = set()
    unreadable: list[tuple[str, str]] = []
    for name, path in found:
        try:
            used |= declared(path)
        except RequirementsError as err:
            unreadable.append((name, str(err)))
    where = sections(global_reqs)
    unused = []
    seen = set()
    for line in global_reqs.requirement_lines():
        key = line.key
        if key is None or key in used or key in seen:
            continue
        seen.add(key)
        assert line.requirement is not None
        unused.append(
            UnusedPackage(line.requirement.name or key, where.get(line.lineno, ''), line.lineno)
        )
    return Report(unused, missing, unreadable, len(found) - len(unreadable))
