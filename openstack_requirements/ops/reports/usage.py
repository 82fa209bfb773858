"""Which project lines declare a package: who-uses, and the index impact
reads.

Projects are those of the one project selection
(:mod:`~openstack_requirements.ops.project.selection`).
Every dependency source of each is read as update-requirements reads it
(requirements files, ``setup.cfg`` extras, ``pyproject.toml``
dependencies, optional dependencies and dependency groups): the files it
governs (impact), or every such file of the tree (who-uses,
:mod:`~openstack_requirements.ops.project.walk`). Lines are matched by canonical
name, so ``oslo.config``, ``oslo_config`` and ``Oslo-Config`` are one
package.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from packaging.utils import canonicalize_name

from openstack_requirements.errors import RequirementsError
from openstack_requirements.model import Line, render_specifier
from openstack_requirements.model.versions import normal_marker
from openstack_requirements.ops.project import Project, read_project
from openstack_requirements.ops.project.walk import read_tree


@dataclasses.dataclass(frozen=True)
class Use:
    """One line of one project declaring a package."""

    #: ``org/name`` from projects.txt, or the directory as given.
    project: str
    #: The source's label: ``requirements.txt``, ``setup.cfg [extras] test``.
    source: str
    line: Line

    @property
    def key(self) -> str:
        assert self.line.key is not None
        return self.line.key


@dataclasses.dataclass
class Declarations:
    """Every project read, and their lines by canonical name."""

    projects: dict[str, Project]
    #: Canonical name -> the lines declaring it, in project order.
    uses: dict[str, list[Use]]
    #: ``(name, error)`` of the projects that could not be read (and, when
    #: every file of the tree is read, of each file that could not).
    unreadable: list[tuple[str, RequirementsError]]

    def of(self, key: str) -> list[Use]:
        return self.uses.get(key, [])


def declarations(
    found: Iterable[tuple[str, Path]], include: Sequence[str] = (), *, every_file: bool = False
) -> Declarations:
    """Read every project (the governed files, and those matching
    ``include``; or, with ``every_file``, every dependency file of its
    tree, a file that does not read left out); index its requirement
    lines by name."""
    projects: dict[str, Project] = {}
    uses: dict[str, list[Use]] = {}
    unreadable: list[tuple[str, RequirementsError]] = []
    for name, path in found:
        try:
            if every_file:
                project, errors = read_tree(path)
                unreadable.extend((name, err) for err in errors)
            else:
                project = read_project(path, include)
        except RequirementsError as err:
            unreadable.append((name, err))
            continue
        projects[name] = project
        for source in project.sources:
            for line in source.requirement_lines():
                key = line.key
                if key:
                    uses.setdefault(key, []).append(Use(name, source.label, line))
    return Declarations(projects, uses, unreadable)


# -- constraints --------------------------------------------------------------


def applicable_pins(line: Line, pins: Iterable[Line]) -> list[Line]:
    """The constraint lines that apply where ``line`` does: a pin whose
    markers differ from the line's (both having some) is for other
    platforms or Pythons."""
    local = normal_marker(line.requirement.marker_text if line.requirement else '')
    chosen = []
    for pin in pins:
        assert pin.requirement is not None
        remote = normal_marker(pin.requirement.marker_text)
        if local and remote and local != remote:
            continue
        chosen.append(pin)
    return chosen


def pinned_versions(pins: Iterable[Line]) -> list[str]:
    """The versions the constraint lines pin."""
    return [
        spec.version
        for pin in pins
        if pin.requirement is not None
        for spec in pin.requirement.specifier
    ]


def admits(line: Line, versions: Iterable[str]) -> bool:
    """Whether ``line``'s specifiers admit every version in ``versions``."""
    req = line.requirement
    if req is None or req.url:
        return True
    return all(req.specifier.contains(v, prereleases=True) for v in versions)


def describe_pins(pins: list[Line]) -> str:
    """``2.32.3``, or each version with its markers when there are
    several lines."""
    parts = []
    for pin in pins:
        assert pin.requirement is not None
        versions = ','.join(pinned_versions([pin]))
        marker = pin.requirement.marker_text
        parts.append(f'{versions};{marker}' if marker and len(pins) > 1 else versions)
    return ' '.join(parts)


# -- who-uses -------------------------------------------------------------------

WHO_USES_COLUMNS = ('Project', 'File', 'Line', 'Package', 'Specifier', 'Markers', 'Constraint')


def who_uses(
    name: str, found: Iterable[tuple[str, Path]], upper: Mapping[str, list[Line]]
) -> tuple[list[tuple[str | int, ...]], Declarations]:
    """One row per project line declaring ``name``, with the constraint
    that applies to it; every dependency file of each tree is read, as
    upstream's grep-all looks, governed or not."""
    key = canonicalize_name(name)
    index = declarations(found, every_file=True)
    rows: list[tuple[str | int, ...]] = []
    pins = upper.get(key, [])
    for use in index.of(key):
        req = use.line.requirement
        assert req is not None
        specifier = req.url or render_specifier(req.specifier)
        rows.append(
            (
                use.project,
                use.source,
                use.line.lineno,
                req.name or key,
                specifier,
                req.marker_text,
                describe_pins(applicable_pins(use.line, pins)),
            )
        )
    return rows, index
