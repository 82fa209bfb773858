"""The install sets of a project: what a user installs together.

A project's own dependencies (``requirements.txt``, its legacy names, and
``[project] dependencies``) are installed with every other source: the
test requirements, the docs requirements, each extra, each dependency
group, each file ``--include`` adds. Requirements only narrow what can be
installed, so a minimum that cannot be installed in a set cannot be in a
larger one; the sets checked are therefore the largest: the project's own
dependencies with each other source (alone when there is none).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from openstack_requirements.errors import FileError
from openstack_requirements.model import Line
from openstack_requirements.model.versions import lower_bound, marker_environment
from openstack_requirements.ops.project import DependencyFile, Project, Source
from openstack_requirements.ops.project.pyproject import load_toml

#: The whole requirements files that are the project's own dependencies.
BASE_FILES = (
    'requirements.txt',
    'tools/pip-requires',
    'requirements-py3.txt',
)
#: The sections of ``pyproject.toml`` and ``setup.cfg`` that are.
BASE_SECTIONS = ('project.dependencies', 'options.install_requires')


@dataclasses.dataclass(frozen=True, eq=False)
class Entry:
    """One requirement line of a project, as the checks read it."""

    file: DependencyFile
    source: Source
    line: Line
    key: str
    #: The requirement's specifier (all its items).
    specifier: SpecifierSet
    #: The version its lower bound states or implies (None: no minimum).
    minimum: Version | None

    @property
    def name(self) -> str:
        requirement = self.line.requirement
        assert requirement is not None and requirement.name is not None
        return requirement.name

    @property
    def place(self) -> tuple[str, int]:
        return self.source.label, self.line.lineno

    def text(self) -> str:
        """The requirement as a resolver reads it (markers ``;``, no
        options such as ``--hash``)."""
        requirement = self.line.requirement
        assert requirement is not None
        return requirement.replace(options=()).render(';')

    def active(self, python: str) -> bool:
        """Whether its marker holds on CPython ``python`` on Linux."""
        requirement = self.line.requirement
        assert requirement is not None
        marker = requirement.marker
        if marker is None:
            return True
        try:
            return bool(marker.evaluate(marker_environment(python)))
        except Exception:  # an odd marker: let the resolver judge it
            return True


@dataclasses.dataclass(frozen=True, eq=False)
class InstallSet:
    """Sources installed together, and their requirement entries."""

    label: str
    entries: tuple[Entry, ...]


def entries_of(dependency_file: DependencyFile, source: Source) -> list[Entry]:
    """The requirements of ``source`` a resolver can be given: named, not
    a URL, not editable."""
    found = []
    for line in source.requirement_lines():
        requirement = line.requirement
        if (
            requirement is None
            or requirement.name is None
            or requirement.url
            or requirement.editable
        ):
            continue
        try:
            specifier = SpecifierSet(str(requirement.specifier))
        except InvalidSpecifier:
            continue
        bound = lower_bound(specifier)
        minimum = None
        if bound is not None:
            try:
                minimum = Version(bound.version)
            except InvalidVersion:
                minimum = None
        found.append(
            Entry(dependency_file, source, line, requirement.key or '', specifier, minimum)
        )
    return found


def is_base(source: Source) -> bool:
    if source.section is None:
        return source.label in BASE_FILES
    return source.section in BASE_SECTIONS


def install_sets(project: Project) -> list[InstallSet]:
    """The largest install sets of ``project`` (see the module)."""
    base: list[Entry] = []
    base_labels: list[str] = []
    others: list[tuple[str, list[Entry]]] = []
    for dependency_file in project.files:
        for source in dependency_file.sources:
            entries = entries_of(dependency_file, source)
            if is_base(source):
                base.extend(entries)
                base_labels.append(source.label)
            else:
                others.append((source.label, entries))
    head = ' + '.join(base_labels)
    if not others:
        return [InstallSet(head or '(none)', tuple(base))]
    return [
        InstallSet(f'{head} + {label}' if head else label, tuple(base + entries))
        for label, entries in others
    ]


def union(sets: Sequence[InstallSet]) -> InstallSet:
    """Every entry of ``sets``, each once."""
    seen: dict[int, Entry] = {}
    for install_set in sets:
        for entry in install_set.entries:
            seen.setdefault(id(entry), entry)
    return InstallSet('(all together)', tuple(seen.values()))


def supported(project: Project, pythons: Sequence[str]) -> list[str]:
    """The Pythons of ``pythons`` the project admits: its
    ``requires-python`` in pyproject.toml, else ``python_requires`` in
    setup.cfg (``[metadata]``, as pbr reads it, or ``[options]``); all
    when it declares none."""
    declared, path = _requires_python(project)
    if declared is None:
        return list(pythons)
    try:
        allowed = SpecifierSet(declared)
    except InvalidSpecifier:
        raise FileError(f'{path}: requires-python {declared!r} is not a specifier') from None
    return [p for p in pythons if allowed.contains(f'{p}.0', prereleases=True)]


def _requires_python(project: Project) -> tuple[str | None, Path]:
    import configparser

    from openstack_requirements.ops.files import read_text

    path = project.root / 'pyproject.toml'
    if path.is_file():
        table = load_toml(read_text(path), path).get('project')
        declared = table.get('requires-python') if isinstance(table, dict) else None
        if isinstance(declared, str):
            return declared, path
    path = project.root / 'setup.cfg'
    if path.is_file():
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        try:
            parser.read_string(read_text(path), str(path))
        except configparser.Error:
            return None, path  # the project's own reading says what is wrong
        for section in ('metadata', 'options'):
            value = parser.get(section, 'python_requires', fallback=None)
            if value and value.strip():
                return value.strip(), path
    return None, path
