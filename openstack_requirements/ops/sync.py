"""Sync a project's declared dependencies with the global requirements.

Only requirement lines of packages in the global list are edited; every
other line (comments, blank lines, pip options, ``-e`` and URL lines,
excluded and unknown packages) is kept byte for byte, and a line that
already agrees with the global list is not touched.

Two policies decide what a synced line says:

* ``merge`` (the default): markers, exclusions and caps come from the
  global line; the lower bound is the stricter of the project's and the
  global one's, so a project keeps a minimum it chose (an exclusion below
  that minimum excludes nothing and is left out);
* ``exact``: the global specifiers replace the project's.

Either way the project's extras, spelling and comment are kept; an edited
line without a comment takes the global one (not in ``pyproject.toml``,
whose requirement strings cannot hold a comment).
"""

from __future__ import annotations

import dataclasses
import enum
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from packaging.markers import Marker
from packaging.specifiers import Specifier, SpecifierSet
from packaging.utils import canonicalize_version
from packaging.version import InvalidVersion, Version

from openstack_requirements.errors import FileError, ParseError, RequirementsError
from openstack_requirements.model import (
    LazyRequirementsFile,
    Line,
    Requirement,
    RequirementsFile,
)
from openstack_requirements.ops import data
from openstack_requirements.ops.files import Change, Changeset, read_text
from openstack_requirements.ops.project import (
    DependencyFile,
    Project,
    PyprojectToml,
    SetupCfg,
    Source,
    read_project,
)

COLUMNS = ('File', 'Package', 'Old', 'New', 'Reason')

UNKNOWN = 'not in global requirements'
ADDED = 'added marker variant'
REMOVED = 'removed marker variant'


class Policy(enum.Enum):
    MERGE = 'merge'
    EXACT = 'exact'




@dataclasses.dataclass(frozen=True)
class GlobalList:
    """The global requirements, by canonical name, and the excluded names."""

    lines: Mapping[str, list[Line]]
    excluded: frozenset[str]
    #: For messages: ``global-requirements.txt or denylist.txt``.
    described: str = 'global-requirements.txt'

    def errors(self, key: str) -> list[ParseError]:
        """The global lines for ``key`` that do not parse (the global list
        is parsed a name at a time, when a project asks for it)."""
        errors = getattr(self.lines, 'errors', None)
        return errors(key) if errors is not None else []

    @classmethod
    def from_texts(cls, global_text: str, excluded_text: str = '', *,
                   global_path: str = data.GLOBAL,
                   excluded_path: str | None = None) -> GlobalList:
        lines = LazyRequirementsFile(global_text, global_path).by_key
        excluded = frozenset(LazyRequirementsFile(excluded_text).by_key)
        described = Path(global_path).name
        if excluded_path:
            described += ' or ' + Path(excluded_path).name
        return cls(lines, excluded, described)


def load_global(source: str | os.PathLike[str] | None = None) -> GlobalList:
    """The global list and excluded packages found in ``source`` (default:
    the shipped data)."""
    directory = Path(source) if source is not None else data.default_source()
    global_path = directory / data.GLOBAL
    if not directory.is_dir():
        raise FileError(f'{directory}: no such source directory')
    excluded = data.denylist(directory, required=False)
    return GlobalList.from_texts(
        read_text(global_path),
        read_text(excluded) if excluded else '',
        global_path=str(global_path),
        excluded_path=str(excluded) if excluded else None)


@dataclasses.dataclass(frozen=True)
class Row:
    """One line of the report."""

    file: str
    package: str
    old: str
    new: str
    reason: str

    def as_tuple(self) -> tuple[str, str, str, str, str]:
        return (self.file, self.package, self.old, self.new, self.reason)


@dataclasses.dataclass(frozen=True)
class Problem:
    """A place that stops the sync, as ``file:line:column: message``."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f'{self.path}:{self.line}:{self.column}: {self.message}'


@dataclasses.dataclass
class ProjectSync:
    """What syncing one project would do."""

    root: Path
    rows: list[Row] = dataclasses.field(default_factory=list)
    problems: list[Problem] = dataclasses.field(default_factory=list)
    changes: list[Change] = dataclasses.field(default_factory=list)


# -- policy ------------------------------------------------------------------

_LOWER = ('>=', '>')
_IMPLIED_LOWER = ('~=', '==', '===')

# Parsing versions and building specifiers dominate a large sync: each
# distinct text is done once.
_VERSIONS: dict[str, Version | None] = {}
_IMPLIED: dict[str, Specifier] = {}
_CANONICAL: dict[str, tuple[str, str]] = {}


def _version_of(text: str) -> Version | None:
    try:
        return _VERSIONS[text]
    except KeyError:
        pass
    try:
        version: Version | None = Version(text.removesuffix('.*'))
    except InvalidVersion:
        version = None
    _VERSIONS[text] = version
    return version


def _version(spec: Specifier) -> Version | None:
    return _version_of(spec.version)


def _lower_bound(specifier: Iterable[Specifier]) -> Specifier | None:
    """The strictest lower bound ``specifier`` states or implies."""
    best: Specifier | None = None
    best_rank: tuple[Version, bool] | None = None
    for spec in specifier:
        if spec.operator in _LOWER:
            bound = spec
        elif spec.operator in _IMPLIED_LOWER:
            text = spec.version.removesuffix('.*')
            bound = _IMPLIED.get(text)  # type: ignore[assignment]
            if bound is None:
                try:
                    bound = _IMPLIED[text] = Specifier('>=' + text)
                except ValueError:
                    continue
        else:
            continue
        version = _version(bound)
        if version is None:
            continue
        rank = (version, bound.operator == '>')
        if best_rank is None or rank > best_rank:
            best, best_rank = bound, rank
    return best


def _merged(project: Iterable[Specifier], global_: Iterable[Specifier],
            policy: Policy) -> list[Specifier]:
    global_items = list(global_)
    if policy is Policy.EXACT:
        return global_items
    rest = [s for s in global_items if s.operator not in _LOWER]
    ours = _lower_bound(project)
    theirs = _lower_bound(s for s in global_items if s.operator in _LOWER)
    lower = ours
    if theirs is not None and (ours is None or _stricter(theirs, ours)):
        lower = theirs
    if lower is None:
        return rest
    return [lower] + [s for s in rest if not _below(s, lower)]


def _as_set(items: Iterable[Specifier]) -> SpecifierSet:
    return SpecifierSet(','.join(str(s) for s in items))


def merge_specifier(project: SpecifierSet, global_: SpecifierSet,
                    policy: Policy) -> SpecifierSet:
    """The specifiers a synced line states."""
    if policy is Policy.EXACT:
        return global_
    return _as_set(_merged(project, global_, policy))


def _below(exclusion: Specifier, lower: Specifier) -> bool:
    """Whether ``exclusion`` (``!=V``) excludes only versions ``lower``
    already rules out: merge drops such vacuous exclusions."""
    if exclusion.operator != '!=' or exclusion.version.endswith('.*'):
        return False
    version, bound = _version(exclusion), _version(lower)
    if version is None or bound is None:
        return False
    return version < bound or (version == bound and lower.operator == '>')


def _stricter(a: Specifier, b: Specifier) -> bool:
    va, vb = _version(a), _version(b)
    if va is None or vb is None:
        return False
    return (va, a.operator == '>') > (vb, b.operator == '>')


_MARKER_KEYS: dict[str, str] = {}


def _marker_key(text: str) -> str:
    """Marker text in one spelling, to compare markers by meaning."""
    if not text:
        return ''
    key = _MARKER_KEYS.get(text)
    if key is None:
        key = _MARKER_KEYS[text] = str(Marker(text))
    return key


def _effective(items: list[Specifier]) -> list[Specifier]:
    """``items`` without the exclusions their lower bound makes vacuous."""
    if not any(s.operator == '!=' for s in items):
        return items
    lower = _lower_bound(items)
    if lower is None:
        return items
    return [s for s in items if not _below(s, lower)]


def _canonical(spec: Specifier) -> tuple[str, str]:
    """What :class:`Specifier` equality compares, computed once a text."""
    text = str(spec)
    key = _CANONICAL.get(text)
    if key is None:
        key = _CANONICAL[text] = (spec.operator, canonicalize_version(
            spec.version, strip_trailing_zero=spec.operator != '~='))
    return key


def _same_specifiers(a: Iterable[Specifier], b: Iterable[Specifier],
                     policy: Policy) -> bool:
    first, second = list(a), list(b)
    if policy is Policy.MERGE:
        first, second = _effective(first), _effective(second)
    if {str(s) for s in first} == {str(s) for s in second}:
        return True
    return ({_canonical(s) for s in first}
            == {_canonical(s) for s in second})


def synced_requirement(project: Requirement, global_: Requirement,
                       policy: Policy) -> Requirement:
    """``project`` as the global line says it should be."""
    return project.replace(
        specifier=merge_specifier(project.specifier, global_.specifier,
                                  policy),
        marker_text=global_.marker_text)


def _reason(old: Requirement, new: Requirement) -> str:
    parts = []
    if not _same_specifiers(old.specifier, new.specifier, Policy.EXACT):
        parts.append('specifiers')
    if _marker_key(old.marker_text) != _marker_key(new.marker_text):
        parts.append('markers')
    return ', '.join(parts) or 'extras'


# -- one source --------------------------------------------------------------

@dataclasses.dataclass
class _Context:
    global_list: GlobalList
    policy: Policy
    soft: bool
    label: str
    path: str
    text: str  # the whole file, to place problems
    comments: bool  # may an edited line carry a comment
    marker_sep: str  # for a line that had no marker
    rows: list[Row]
    problems: list[Problem]


def _column(text: str, lineno: int, name: str) -> int:
    lines = text.splitlines()
    if 0 < lineno <= len(lines):
        at = lines[lineno - 1].find(name)
        if at >= 0:
            return at + 1
    return 1


def _syncable(line: Line) -> bool:
    req = line.requirement
    return (req is not None and req.key is not None and not req.url
            and not req.editable)


def _sep_of(line: Line, default: str) -> str:
    req = line.requirement
    if req is None or not req.marker_text:
        return default
    body = line.text.split('#', 1)[0] if line.comment else line.text
    return ';' if ';' in body else ':'


def sync_lines(lines: Sequence[Line], ctx: _Context) -> list[Line]:
    """The lines of one source, synced; rows and problems go to ``ctx``."""
    groups: dict[str, list[int]] = {}
    for index, line in enumerate(lines):
        if not _syncable(line):
            continue
        key = line.key
        assert key is not None
        if key in ctx.global_list.excluded:
            continue
        broken = ctx.global_list.errors(key)
        if broken:
            ctx.problems.extend(Problem(err.path or ctx.global_list.described,
                                        err.line, err.column, err.reason)
                                for err in broken)
            continue
        if key not in ctx.global_list.lines:
            if not ctx.soft:
                name = line.requirement.name  # type: ignore[union-attr]
                assert name is not None
                ctx.problems.append(Problem(
                    ctx.path, line.lineno, _column(ctx.text, line.lineno, name),
                    f"'{name}' is not in {ctx.global_list.described}"))
                ctx.rows.append(Row(ctx.label, name, line.text, '', UNKNOWN))
            continue
        groups.setdefault(key, []).append(index)
    if not groups:
        return list(lines)
    replaced: dict[int, list[Line]] = {}
    for key, indexes in groups.items():
        group = [lines[i] for i in indexes]
        new, in_place = _sync_group(group, ctx.global_list.lines[key], ctx)
        if new is None:
            continue
        if in_place:
            for index, line in zip(indexes, new, strict=True):
                replaced[index] = [line]
        else:
            replaced[indexes[0]] = new
            for index in indexes[1:]:
                replaced[index] = []
    out: list[Line] = []
    for index, line in enumerate(lines):
        out.extend(replaced.get(index, [line]))
    return out


def _sync_group(group: list[Line], global_lines: list[Line],
                ctx: _Context) -> tuple[list[Line] | None, bool]:
    """The lines replacing ``group`` (``None`` when it is in sync already)
    and whether they replace it line for line, in place."""
    # pair each global line with a project line: same markers first, then
    # the remaining ones in order
    pairs: list[int | None] = [None] * len(global_lines)
    free = list(range(len(group)))
    for g, gline in enumerate(global_lines):
        assert gline.requirement is not None
        want = _marker_key(gline.requirement.marker_text)
        for p in free:
            req = group[p].requirement
            assert req is not None
            if _marker_key(req.marker_text) == want:
                pairs[g] = p
                free.remove(p)
                break
    for g in range(len(global_lines)):
        if pairs[g] is None and free:
            pairs[g] = free.pop(0)
    first = group[0]
    new_lines: list[Line] = []
    rows: list[Row] = []
    for g, gline in enumerate(global_lines):
        greq = gline.requirement
        assert greq is not None
        paired = pairs[g]
        base = group[paired] if paired is not None else first
        breq = base.requirement
        assert breq is not None
        items = _merged(breq.specifier, greq.specifier, ctx.policy)
        if (paired is not None
                and _marker_key(breq.marker_text)
                == _marker_key(greq.marker_text)
                and _same_specifiers(breq.specifier, items, ctx.policy)):
            new_lines.append(base)
            continue
        target = breq.replace(
            specifier=(greq.specifier if ctx.policy is Policy.EXACT
                       else _as_set(items)),
            marker_text=greq.marker_text)
        comment = base.comment if paired is not None else ''
        if not comment and ctx.comments:
            comment = gline.comment
        new = base.with_requirement(target, comment,
                                    _sep_of(base, ctx.marker_sep))
        new_lines.append(new)
        name = breq.name or ''
        if paired is None:
            rows.append(Row(ctx.label, name, '', new.text, ADDED))
        else:
            rows.append(Row(ctx.label, name, base.text, new.text,
                            _reason(breq, target)))
    for unused in free:
        line = group[unused]
        rows.append(Row(ctx.label, line.requirement.name or '',  # type: ignore[union-attr]
                        line.text, '', REMOVED))
    in_place = (not free and None not in pairs
                and pairs == sorted(pairs))  # type: ignore[type-var]
    if in_place:
        if not rows:
            return None, True
        ctx.rows.extend(rows)
        return new_lines, True
    ctx.rows.extend(rows)
    # a group rebuilt where its first line stood: every line but the last
    # ends as the first one did, or with a newline if it ended the file
    ending = first.newline or '\n'
    fixed = [dataclasses.replace(line, newline=ending)
             for line in new_lines[:-1]]
    fixed.append(dataclasses.replace(new_lines[-1], newline=first.newline))
    return fixed, False


def sync_text(text: str, global_list: GlobalList,
              policy: Policy = Policy.MERGE, soft: bool = False,
              path: str = 'requirements.txt'
              ) -> tuple[str, list[Row], list[Problem]]:
    """Sync the text of one requirements file: ``(new text, report rows,
    problems)``."""
    rows: list[Row] = []
    problems: list[Problem] = []
    ctx = _Context(global_list, policy, soft, path, path, text, True, ';',
                   rows, problems)
    lines = sync_lines(RequirementsFile.parse(text, path).lines, ctx)
    return ''.join(line.text + line.newline for line in lines), rows, problems


# -- projects ----------------------------------------------------------------

def _file_settings(dependency_file: DependencyFile,
                   source: Source) -> tuple[bool, str]:
    """Whether edited lines may carry a comment, and their marker
    separator when the replaced line had none."""
    if isinstance(dependency_file, PyprojectToml):
        return False, ';'
    if isinstance(dependency_file, SetupCfg):
        if source.section == 'options.extras_require':
            return True, ';'
        for src in dependency_file.sources:
            for line in src.requirement_lines():
                if line.requirement and line.requirement.marker_text:
                    return True, _sep_of(line, ':')
        return True, dependency_file.marker_sep
    return True, ';'


def sync_project(project: Project, global_list: GlobalList,
                 policy: Policy = Policy.MERGE,
                 soft: bool = False) -> ProjectSync:
    """What syncing ``project`` with ``global_list`` changes."""
    result = ProjectSync(project.root)
    for dependency_file in project.files:
        new: dict[str, list[Line]] = {}
        for source in dependency_file.sources:
            comments, sep = _file_settings(dependency_file, source)
            ctx = _Context(global_list, policy, soft, _label(project, source),
                           str(dependency_file.path), dependency_file.text,
                           comments, sep, result.rows, result.problems)
            lines = sync_lines(source.lines, ctx)
            if lines != source.lines:
                new[source.label] = lines
        if new:
            text = dependency_file.render(new)
            if text != dependency_file.text:
                result.changes.append(Change(str(dependency_file.path),
                                             dependency_file.text, text,
                                             str(project.root)))
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
    def problems(self) -> list[Problem]:
        """Each once: a bad global line is met by every project using it."""
        every = (problem for p in self.projects for problem in p.problems)
        return list(dict.fromkeys(every))

    @property
    def failed(self) -> bool:
        return bool(self.errors or self.problems)

    @property
    def changeset(self) -> Changeset:
        return Changeset(c for p in self.projects for c in p.changes)


def plan(roots: Iterable[str | os.PathLike[str]], global_list: GlobalList,
         policy: Policy = Policy.MERGE, soft: bool = False,
         progress: Callable[[Path], None] | None = None) -> SyncRun:
    """Read and sync every project; write nothing."""
    projects: list[ProjectSync] = []
    errors: list[RequirementsError] = []
    for root in roots:
        try:
            project = read_project(root)
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
