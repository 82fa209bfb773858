"""Sync a project's declared dependencies with the global requirements.

Only requirement lines of packages in the global list are edited; every
other line (comments, blank lines, pip options, ``-e`` and URL lines,
excluded and unknown packages) is kept byte for byte, and a line that
already says what the policy asks is not touched.

An *entry* is a package name with its extras: ``pkg`` and ``pkg[extra]``
are two entries, each synced on its own, never merged or dropped. The
lines of one entry in one source are paired with the global lines of the
package by their markers (marker variants); a global variant the project
lacks is added, a project variant the global list lacks is removed.

The merge policy, stated once in :func:`merge` (and in the user guide):

* ``merge`` (the default):

  - a global entry that pins (``==``, ``===``) or uses ``~=`` is taken as
    it stands;
  - otherwise the higher lower bound of the project's and the global one's
    wins, and exclusions and caps come from the global list (an exclusion
    below the lower bound excludes nothing and is left out);
  - a project minimum the global list excludes (``>=1.4.0`` against
    ``!=1.4.0``) is kept as the project wrote it, the exclusion added as on
    any other line (``>=1.4.0,!=1.4.0``: 1.4.0's post-releases stay
    admitted), and reported on a row of its own as advice; a minimum above
    a global cap is dropped for the global lower bound, if any;

* ``exact``: the global specifiers replace the project's.

Markers come from the global line, except that the one line of an entry
paired with one global line without a marker keeps its own marker when the
checks accept it there (a Python 3 version marker, ``python_version>='3.12'``).

Either way a changed line keeps the project's name, extras, comment and
the whitespace before it: only the specifier and marker text change. An
edited line without a comment takes the global one (not in
``pyproject.toml``, whose requirement strings cannot hold a comment).
"""

from __future__ import annotations

import dataclasses
import enum
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from packaging.specifiers import Specifier, SpecifierSet
from packaging.utils import canonicalize_name, canonicalize_version
from packaging.version import Version

from openstack_requirements.cache import Table
from openstack_requirements.errors import FileError, ParseError, RequirementsError
from openstack_requirements.model import (
    Kind,
    LazyRequirementsFile,
    Line,
    Requirement,
    RequirementsFile,
    render_specifier,
)
from openstack_requirements.model.versions import (
    CAPS,
    STATED_LOWER,
    as_set,
    lower_bound,
    normal_marker,
    parse_version,
)
from openstack_requirements.ops import data
from openstack_requirements.ops.checks.context import markers_tolerated
from openstack_requirements.ops.files import Change, Changeset, read_text
from openstack_requirements.ops.findings import ERROR, Finding
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
#: A project minimum the global list excludes: the row shows the bound as
#: the project states it and as it is written (kept beside the exclusion;
#: empty when a global cap refuses it); the project should raise it.
EXCLUDED_MINIMUM = 'minimum excluded by the global list: raise it'


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
    #: Where the global list was read, for its errors.
    path: str | None = None
    #: :meth:`errors` of each key asked for: the list does not change.
    _errors: dict[str, list[ParseError]] = dataclasses.field(
        default_factory=dict, init=False, repr=False, compare=False)

    def errors(self, key: str) -> list[ParseError]:
        """The global lines for ``key`` that do not parse (the global list
        is parsed a name at a time, when a project asks for it), and a
        package listed twice with the same markers; found once a key."""
        found = self._errors.get(key)
        if found is None:
            errors = getattr(self.lines, 'errors', None)
            found = errors(key) if errors is not None else []
            found = self._errors[key] = found + _duplicates(
                self.lines.get(key, []), self.path or self.described)
        return list(found)

    @classmethod
    def from_texts(cls, global_text: str, excluded_text: str = '', *,
                   global_path: str = data.GLOBAL,
                   excluded_path: str | None = None) -> GlobalList:
        lines = LazyRequirementsFile(global_text, global_path).by_key
        excluded = frozenset(LazyRequirementsFile(excluded_text).by_key)
        described = Path(global_path).name
        if excluded_path:
            described += ' or ' + Path(excluded_path).name
        return cls(lines, excluded, described, global_path)


def load_global(source: str | os.PathLike[str] | None = None) -> GlobalList:
    """The global list and excluded packages found in ``source`` (default:
    the shipped data)."""
    directory = data.place(source)
    if not directory.is_dir():
        raise FileError(f'{directory}: no such source directory')
    global_path = data.locate(data.GLOBAL, source=directory, required=True)
    assert global_path is not None
    excluded = data.locate(data.DENYLIST_NAMES, source=directory)
    return GlobalList.from_texts(
        read_text(global_path),
        read_text(excluded) if excluded else '',
        global_path=str(global_path),
        excluded_path=str(excluded) if excluded else None)


def _duplicates(lines: Sequence[Line], path: str) -> list[ParseError]:
    """A package listed twice with the same markers (``oslo.config`` and
    ``oslo_config`` are one package): an error of the global list."""
    found = []
    seen: dict[str, Line] = {}
    for line in lines:
        req = line.requirement
        if req is None:
            continue
        marker = normal_marker(req.marker_text)
        first = seen.setdefault(marker, line)
        if first is not line:
            found.append(ParseError(
                f"'{req.name}' is listed twice (line {first.lineno}: "
                f"'{first.text}'), with the same markers",
                path=path, line=line.lineno))
    return found


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


def _stop(path: str, line: int, column: int, message: str) -> Finding:
    """A place that stops the sync, shown ``file:line:column: message``."""
    return Finding('sync', ERROR, path, line, '', message, column)


@dataclasses.dataclass
class ProjectSync:
    """What syncing one project would do."""

    root: Path
    rows: list[Row] = dataclasses.field(default_factory=list)
    problems: list[Finding] = dataclasses.field(default_factory=list)
    changes: list[Change] = dataclasses.field(default_factory=list)


# -- the merge policy --------------------------------------------------------

#: A global entry using one of these is taken as it stands.
_AS_STATED = ('==', '===', '~=')

# Comparing and rendering specifiers dominate a large sync: each distinct
# text is done once.
_CANONICAL: Table[str, tuple[str, str]] = Table()
_RENDERED: Table[str, str] = Table()


def _version(spec: Specifier) -> Version | None:
    return parse_version(spec.version)


@dataclasses.dataclass(frozen=True)
class Merge:
    """What a synced line states: its specifiers, and the project minimum
    the global list excludes (``None`` when there is none)."""

    specifiers: tuple[Specifier, ...]
    excluded_minimum: Specifier | None = None
    #: The bound written for :attr:`excluded_minimum` (``None``: dropped).
    written_minimum: Specifier | None = None


def merge(project: Iterable[Specifier], global_: Iterable[Specifier],
          policy: Policy) -> Merge:
    """The merge policy: the specifiers a synced line states, from the
    project's and the global entry's (see the module's docstring)."""
    global_items = tuple(global_)
    if policy is Policy.EXACT or any(s.operator in _AS_STATED
                                     for s in global_items):
        return Merge(global_items)
    rest = [s for s in global_items if s.operator not in STATED_LOWER]
    theirs = lower_bound(s for s in global_items if s.operator in STATED_LOWER)
    ours = lower_bound(project)
    lower, excluded, written = theirs, None, None
    if ours is not None and (theirs is None or _stricter(ours, theirs)):
        refused = _refusing(ours, rest)
        if refused:
            excluded = ours
        if any(s.operator in CAPS for s in refused):
            lower = theirs  # no version could satisfy both: dropped
        else:
            lower = written = ours
    if lower is None:
        return Merge(tuple(rest), excluded, written)
    return Merge((lower, *(s for s in rest if not _below(s, lower))),
                 excluded, written)


def _refusing(minimum: Specifier,
              rest: Sequence[Specifier]) -> list[Specifier]:
    """The global exclusions and caps that refuse the version a ``>=V``
    minimum names."""
    if minimum.operator != '>=':
        return []
    version = _version(minimum)
    if version is None:
        return []
    return [s for s in rest if not s.contains(version, prereleases=True)]


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


def _effective(items: list[Specifier]) -> list[Specifier]:
    """``items`` without the exclusions their lower bound makes vacuous."""
    if not any(s.operator == '!=' for s in items):
        return items
    lower = lower_bound(items)
    if lower is None:
        return items
    return [s for s in items if not _below(s, lower)]


def _canonical(spec: Specifier) -> tuple[str, str]:
    """What :class:`Specifier` equality compares, computed once a text."""
    text = str(spec)
    key = _CANONICAL.get(text)
    if key is None:
        key = (spec.operator, canonicalize_version(
            spec.version, strip_trailing_zero=spec.operator != '~='))
        _CANONICAL.put(text, key)
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




# -- one line ----------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Style:
    """How edited lines of one source are written."""

    #: May an edited line carry a comment (not in pyproject.toml).
    comments: bool = True
    #: The marker separator of a line that had no marker.
    marker_sep: str = ';'
    #: setup.cfg's ``name:marker`` form is read.
    pbr: bool = False


@dataclasses.dataclass(frozen=True)
class Synced:
    """One global line's counterpart in the project, after the sync."""

    line: Line
    #: The project line it replaces (``None``: a marker variant added).
    old: Line | None
    changed: bool
    merge: Merge
    #: What changed: the specifiers, the markers (``changed`` is either).
    specifiers_changed: bool = False
    markers_changed: bool = False

    @property
    def reason(self) -> str:
        """The ``Reason`` column of the row of a changed line."""
        parts = [part for part, changed in (
            ('specifiers', self.specifiers_changed),
            ('markers', self.markers_changed)) if changed]
        return ', '.join(parts) or 'spelling'


# The name and extras, as written, that start a requirement line.
_HEAD_RE = re.compile(r'\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\]\s*)?')
_SEP_RE = re.compile(r'\s*[;:]\s*')


# Projects share most of their lines: a large sync computes each pair of
# project and global line once. Keyed by all the result depends on: the
# two texts (a line's requirement is its text read with the style's pbr
# form; a line the sync made may spell its marker as the global line does,
# hence the marker text), how they pair, the policy and the style.
_SYNCED: Table[tuple[object, ...], Synced] = Table()


def sync_line(base: Line, paired: bool, global_line: Line, policy: Policy,
              style: Style = Style(), alone: bool = False) -> Synced:
    """``base`` as ``global_line`` asks (``paired``: ``base`` is the project
    line of this variant; else a new variant is made from it; ``alone``:
    the entry's only line, against the package's only global line)."""
    old = base.requirement
    greq = global_line.requirement
    assert old is not None and greq is not None
    key = (base.text, old.marker_text, global_line.text, paired, policy,
           style, alone)
    synced = _SYNCED.get(key)
    if synced is None:
        synced = _sync_line(base, paired, global_line, policy, style, alone)
        _SYNCED.put(key, synced)
    if not synced.changed:
        if synced.line is base:
            return synced
        return Synced(base, base, False, synced.merge)
    line = synced.line
    if line.lineno != base.lineno or line.newline != base.newline:
        line = Line(line.text, base.newline, base.lineno, line.kind,
                    line.requirement, None, line.comment)
    return Synced(line, base if paired else None, True, synced.merge,
                  synced.specifiers_changed, synced.markers_changed)


def _sync_line(base: Line, paired: bool, global_line: Line, policy: Policy,
               style: Style, alone: bool) -> Synced:
    """:func:`sync_line`, computed."""
    old = base.requirement
    greq = global_line.requirement
    assert old is not None and greq is not None
    merged = merge(old.specifier, greq.specifier, policy)
    same_specifiers = _same_specifiers(old.specifier, merged.specifiers,
                                       policy)
    marker_text = greq.marker_text
    if alone and paired and _own_marker_kept(old.marker_text, marker_text):
        marker_text = old.marker_text
    same_markers = (normal_marker(old.marker_text)
                    == normal_marker(marker_text))
    if paired and same_specifiers and same_markers:
        return Synced(base, base, False, merged)
    if same_specifiers:  # in policy already: the project's text stays
        specifier = old.specifier
    elif policy is Policy.EXACT:
        specifier = greq.specifier
    else:
        specifier = as_set(merged.specifiers)
    target = old.replace(specifier=specifier, marker_text=marker_text)
    if paired and base.comment:
        comment = base.comment
        tail = (base.text[_comment_start(base):] if '\n' not in base.text
                else '  ' + comment)
    else:
        comment = global_line.comment if style.comments else ''
        tail = '  ' + comment if comment else ''
    text = _edited_text(base, target, style, tail, not same_specifiers,
                        not same_markers)
    line = Line(text, base.newline, base.lineno, Kind.REQUIREMENT, target,
                None, comment)
    return Synced(line, base if paired else None, True, merged,
                  not same_specifiers, not same_markers)


def _own_marker_kept(project: str, global_: str) -> bool:
    """Whether a project line keeps its marker ``project`` against a global
    line of marker ``global_``: when the global line has none and the
    checks accept the project's there (a Python 3 version marker)."""
    return (bool(project) and not global_
            and markers_tolerated(normal_marker(project), '', False))


def _comment_start(line: Line) -> int:
    """Where the whitespace before ``line``'s comment starts."""
    body = line.text[:len(line.text) - len(line.comment)]
    return len(body.rstrip())


def _edited_text(base: Line, target: Requirement, style: Style, tail: str,
                 specifiers: bool, markers: bool) -> str:
    """``base``'s text with only its specifier (if ``specifiers``) and
    marker text (if ``markers``) changed to ``target``'s, then ``tail``
    (the comment and the space before it)."""
    old = base.requirement
    assert old is not None
    sep = _sep_of(base, style.marker_sep)
    if '\n' in base.text or old.options or old.url:
        return target.render(sep) + tail
    core = base.text[:_comment_start(base)] if base.comment else \
        base.text.rstrip()
    head = _HEAD_RE.match(core)
    if head is None:
        return target.render(sep) + tail
    rest = core[head.end():]
    at = len(rest)
    if old.marker_text:
        at = rest.find(';')
        if at < 0:
            at = rest.find(':')
        if at < 0:
            return target.render(sep) + tail
    spec, marker = rest[:at], rest[at:]
    if specifiers:
        spec = _rendered(target.specifier) + spec[len(spec.rstrip()):]
    if markers:
        if not target.marker_text:
            marker, spec = '', spec.rstrip()
        elif old.marker_text:
            lead = _SEP_RE.match(marker)
            marker = (lead.group(0) if lead else sep) + target.marker_text
        else:
            marker = sep + target.marker_text
    return core[:head.end()] + spec + marker + tail


def _rendered(specifier: SpecifierSet) -> str:
    """:func:`render_specifier`, once a distinct specifier."""
    text = str(specifier)
    found = _RENDERED.get(text)
    if found is None:
        found = render_specifier(specifier)
        _RENDERED.put(text, found)
    return found


def _sep_of(line: Line, default: str) -> str:
    req = line.requirement
    if req is None or not req.marker_text:
        return default
    body = line.text.split('#', 1)[0] if line.comment else line.text
    return ';' if ';' in body else ':'


# -- one entry ---------------------------------------------------------------

def pair_variants(group: Sequence[Line], global_lines: Sequence[Line]
                  ) -> tuple[list[int | None], list[int]]:
    """For each global line, the index in ``group`` of the project line of
    the same markers, else of the next line left, else ``None``; and the
    indexes of the project lines no global line takes."""
    if len(group) == 1 and len(global_lines) == 1:
        # most entries: the one line is paired, markers alike or not
        return [0], []
    pairs: list[int | None] = [None] * len(global_lines)
    free = list(range(len(group)))
    for g, gline in enumerate(global_lines):
        assert gline.requirement is not None
        want = normal_marker(gline.requirement.marker_text)
        for p in free:
            req = group[p].requirement
            assert req is not None
            if normal_marker(req.marker_text) == want:
                pairs[g] = p
                free.remove(p)
                break
    for g in range(len(global_lines)):
        if pairs[g] is None and free:
            pairs[g] = free.pop(0)
    return pairs, free


@dataclasses.dataclass(frozen=True)
class EntrySync:
    """What syncing one entry (name and extras) of one source does."""

    synced: list[Synced]
    #: The project lines dropped (variants the global list lacks).
    removed: list[Line]
    #: The new lines stand where the old ones did, one for one.
    in_place: bool

    @property
    def changed(self) -> bool:
        return bool(self.removed) or any(s.changed for s in self.synced)


def sync_entry(group: Sequence[Line], global_lines: Sequence[Line],
               policy: Policy, style: Style = Style()) -> EntrySync:
    """The lines of one entry, synced with the global lines of its
    package."""
    pairs, free = pair_variants(group, global_lines)
    alone = len(group) == 1 and len(global_lines) == 1
    synced = [sync_line(group[p] if p is not None else group[0],
                        p is not None, gline, policy, style, alone)
              for gline, p in zip(global_lines, pairs, strict=True)]
    in_place = (not free and None not in pairs
                and pairs == sorted(pairs))  # type: ignore[type-var]
    return EntrySync(synced, [group[i] for i in free], in_place)


def entry_rows(label: str, entry: EntrySync) -> list[Row]:
    """The report rows of one entry's sync."""
    rows = []
    for synced in entry.synced:
        req = synced.line.requirement
        assert req is not None
        name = req.name or ''
        if synced.old is None:
            rows.append(Row(label, name, '', synced.line.text, ADDED))
            continue
        if not synced.changed:
            continue
        rows.append(Row(label, name, synced.old.text, synced.line.text,
                        synced.reason))
        excluded = synced.merge.excluded_minimum
        if excluded is not None:
            written = synced.merge.written_minimum
            rows.append(Row(label, name, str(excluded),
                            str(written) if written else '',
                            EXCLUDED_MINIMUM))
    for line in entry.removed:
        name = line.requirement.name or ''  # type: ignore[union-attr]
        rows.append(Row(label, name, line.text, '', REMOVED))
    return rows


def _gathered(lines: list[Line], first: Line) -> list[Line]:
    """An entry rebuilt where its first line stood: every line but the
    last ends as the first one did, or with a newline if it ended the
    file."""
    ending = first.newline or '\n'
    fixed = [dataclasses.replace(line, newline=ending) for line in lines[:-1]]
    fixed.append(dataclasses.replace(lines[-1], newline=first.newline))
    return fixed


# -- one source --------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Place:
    """Where a source is: for report rows and problems."""

    #: The ``File`` column of rows.
    label: str
    #: The path problems name, and the file's whole text (for columns).
    path: str
    text: str


@dataclasses.dataclass
class SourceSync:
    """The lines of one source after the sync, with rows and problems."""

    lines: list[Line]
    rows: list[Row] = dataclasses.field(default_factory=list)
    problems: list[Finding] = dataclasses.field(default_factory=list)


EntryKey = tuple[str, frozenset[str]]


def entry_key(line: Line) -> EntryKey:
    """A line's entry: its canonical name and extras."""
    req = line.requirement
    assert req is not None and req.key is not None
    if not req.extras:
        return req.key, _NO_EXTRAS
    return req.key, frozenset(canonicalize_name(e) for e in req.extras)


_NO_EXTRAS: frozenset[str] = frozenset()


def _column(text: str, lineno: int, name: str) -> int:
    lines = text.splitlines()
    if 0 < lineno <= len(lines):
        at = lines[lineno - 1].find(name)
        if at >= 0:
            return at + 1
    return 1


def _syncable(line: Line) -> bool:
    req = line.requirement
    return (req is not None and bool(req.name) and not req.url
            and not req.editable)


def _entries(lines: Sequence[Line], global_list: GlobalList, soft: bool,
             place: Place, out: SourceSync) -> dict[EntryKey, list[int]]:
    """The line indexes of each entry to sync; unknown packages and broken
    global lines go to ``out`` as rows and problems."""
    groups: dict[EntryKey, list[int]] = {}
    for index, line in enumerate(lines):
        if not _syncable(line):
            continue
        entry = entry_key(line)
        key = entry[0]
        if key in global_list.excluded:
            continue
        broken = global_list.errors(key)
        if broken:
            out.problems.extend(_stop(err.path or global_list.described,
                                      err.line, err.column, err.reason)
                                for err in broken)
            continue
        if key not in global_list.lines:
            if not soft:
                name = line.requirement.name  # type: ignore[union-attr]
                assert name is not None
                out.problems.append(_stop(
                    place.path, line.lineno,
                    _column(place.text, line.lineno, name),
                    f"'{name}' is not in {global_list.described}"))
                out.rows.append(Row(place.label, name, line.text, '',
                                    UNKNOWN))
            continue
        groups.setdefault(entry, []).append(index)
    return groups


def sync_lines(lines: Sequence[Line], global_list: GlobalList,
               policy: Policy = Policy.MERGE, soft: bool = False, *,
               place: Place, style: Style = Style()) -> SourceSync:
    """The lines of one source, synced, with their rows and problems."""
    out = SourceSync(list(lines))
    groups = _entries(lines, global_list, soft, place, out)
    replaced: dict[int, list[Line]] = {}
    for (key, _), indexes in groups.items():
        group = [lines[i] for i in indexes]
        entry = sync_entry(group, global_list.lines[key], policy, style)
        if not entry.changed:
            continue
        out.rows.extend(entry_rows(place.label, entry))
        new = [s.line for s in entry.synced]
        if entry.in_place:
            for index, line in zip(indexes, new, strict=True):
                replaced[index] = [line]
        else:
            replaced[indexes[0]] = _gathered(new, group[0])
            for index in indexes[1:]:
                replaced[index] = []
    if replaced:
        out.lines = [new for index, line in enumerate(lines)
                     for new in replaced.get(index, [line])]
    return out


def sync_text(text: str, global_list: GlobalList,
              policy: Policy = Policy.MERGE, soft: bool = False,
              path: str = 'requirements.txt'
              ) -> tuple[str, list[Row], list[Finding]]:
    """Sync the text of one requirements file: ``(new text, report rows,
    problems)``."""
    done = sync_lines(RequirementsFile.parse(text, path).lines, global_list,
                      policy, soft, place=Place(path, path, text))
    text = ''.join(line.text + line.newline for line in done.lines)
    return text, done.rows, done.problems


# -- projects ----------------------------------------------------------------

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
                    return Style(marker_sep=_sep_of(line, ':'), pbr=True)
        return Style(marker_sep=dependency_file.marker_sep, pbr=True)
    return Style()


def sync_project(project: Project, global_list: GlobalList,
                 policy: Policy = Policy.MERGE,
                 soft: bool = False) -> ProjectSync:
    """What syncing ``project`` with ``global_list`` changes."""
    result = ProjectSync(project.root)
    for dependency_file in project.files:
        new: dict[str, list[Line]] = {}
        for source in dependency_file.sources:
            place = Place(_label(project, source), str(dependency_file.path),
                          dependency_file.text)
            done = sync_lines(source.lines, global_list, policy, soft,
                              place=place,
                              style=file_style(dependency_file, source))
            result.rows.extend(done.rows)
            result.problems.extend(done.problems)
            if done.lines != source.lines:
                new[source.label] = done.lines
        if new:
            text = dependency_file.render_checked(new)
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


def plan(roots: Iterable[str | os.PathLike[str]], global_list: GlobalList,
         policy: Policy = Policy.MERGE, soft: bool = False,
         progress: Callable[[Path], None] | None = None,
         include: Sequence[str] = ()) -> SyncRun:
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
