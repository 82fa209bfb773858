"""One line synced: a project line as a global line of its package asks.

A changed line keeps the project's name, extras, comment and the
whitespace before it: only the specifier and marker text change (see
:mod:`.policy` for what they become)."""

from __future__ import annotations

import dataclasses
import re

from packaging.specifiers import SpecifierSet

from openstack_requirements.cache import Table
from openstack_requirements.model import (
    Kind,
    Line,
    Requirement,
    render_specifier,
)
from openstack_requirements.model.versions import as_set, normal_marker
from openstack_requirements.ops.checks.context import markers_tolerated
from openstack_requirements.ops.sync.policy import (
    Merge,
    Policy,
    equal_specifiers,
    merge,
)


@dataclasses.dataclass(frozen=True)
class Style:
    """How edited lines of one source are written."""

    #: May an edited line carry a comment (not in pyproject.toml).
    comments: bool = True
    #: The marker separator of a line that had no marker.
    marker_sep: str = ';'
    #: setup.cfg's ``name:marker`` form is read.
    pbr: bool = False


#: A requirements file's style: comments, ``;`` before markers.
PLAIN = Style()


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
    #: The name respelt as the global list spells it.
    name_changed: bool = False

    @property
    def reason(self) -> str:
        """The ``Reason`` column of the row of a changed line."""
        parts = [
            part
            for part, changed in (
                ('specifiers', self.specifiers_changed),
                ('markers', self.markers_changed),
                ('spelling', self.name_changed),
            )
            if changed
        ]
        return ', '.join(parts) or 'spelling'


# The name as written at the start of a requirement line.
_NAME_RE = re.compile(r'\s*([A-Za-z0-9][A-Za-z0-9._-]*)')
# The name and extras, as written, that start a requirement line.
_HEAD_RE = re.compile(r'\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\]\s*)?')
_SEP_RE = re.compile(r'\s*[;:]\s*')


# Projects share most of their lines: a large sync computes each pair of
# project and global line once. Keyed by all the result depends on: the
# two texts (a line's requirement is its text read with the style's pbr
# form; a line the sync made may spell its marker as the global line does,
# hence the marker text), how they pair, the policy and the style.
_SYNCED: Table[tuple[object, ...], Synced] = Table()


def sync_line(
    base: Line,
    paired: bool,
    global_line: Line,
    policy: Policy,
    style: Style = Style(),
    alone: bool = False,
) -> Synced:
    """``base`` as ``global_line`` asks (``paired``: ``base`` is the project
    line of this variant; else a new variant is made from it; ``alone``:
    the entry's only line, against the package's only global line)."""
    old = base.requirement
    greq = global_line.requirement
    assert old is not None and greq is not None
    key = (base.text, old.marker_text, global_line.text, paired, policy, style, alone)
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
        line = Line(
            line.text, base.newline, base.lineno, line.kind, line.requirement, None, line.comment
        )
    return Synced(
        line,
        base if paired else None,
        True,
        synced.merge,
        synced.specifiers_changed,
        synced.markers_changed,
        synced.name_changed,
    )


def _sync_line(
    base: Line, paired: bool, global_line: Line, policy: Policy, style: Style, alone: bool
) -> Synced:
    """:func:`sync_line`, computed."""
    old = base.requirement
    greq = global_line.requirement
    assert old is not None and greq is not None
    merged = merge(old.specifier, greq.specifier, policy)
    same_specifiers = equal_specifiers(old.specifier, merged.specifiers, policy)
    marker_text = greq.marker_text
    if alone and paired and _own_marker_kept(old.marker_text, marker_text):
        marker_text = old.marker_text
    same_markers = normal_marker(old.marker_text) == normal_marker(marker_text)
    # the job compares names as written (since 2025): the global spelling
    same_name = old.name == greq.name
    if paired and same_specifiers and same_markers and same_name:
        return Synced(base, base, False, merged)
    if same_specifiers:  # in policy already: the project's text stays
        specifier = old.specifier
    elif policy is Policy.EXACT:
        specifier = greq.specifier
    else:
        specifier = as_set(merged.specifiers)
    target = old.replace(name=greq.name, specifier=specifier, marker_text=marker_text)
    if paired and base.comment:
        comment = base.comment
        tail = base.text[_comment_start(base) :] if '\n' not in base.text else '  ' + comment
    else:
        comment = global_line.comment if style.comments else ''
        tail = '  ' + comment if comment else ''
    text = _edited_text(base, target, style, tail, not same_specifiers, not same_markers)
    line = Line(text, base.newline, base.lineno, Kind.REQUIREMENT, target, None, comment)
    return Synced(
        line,
        base if paired else None,
        True,
        merged,
        not same_specifiers,
        not same_markers,
        not same_name,
    )


def with_specifier(base: Line, specifier: SpecifierSet, style: Style = PLAIN) -> Line:
    """``base`` with only its specifier changed to ``specifier``: its name,
    extras, markers, comment and the spacing around them kept."""
    old = base.requirement
    assert old is not None
    target = old.replace(specifier=specifier)
    tail = ''
    if base.comment:
        tail = base.text[_comment_start(base) :] if '\n' not in base.text else '  ' + base.comment
    text = _edited_text(base, target, style, tail, True, False)
    return Line(text, base.newline, base.lineno, Kind.REQUIREMENT, target, None, base.comment)


def _own_marker_kept(project: str, global_: str) -> bool:
    """Whether a project line keeps its marker ``project`` against a global
    line of marker ``global_``: when the global line has none and the
    checks accept the project's there (a Python 3 version marker)."""
    return bool(project) and not global_ and markers_tolerated(normal_marker(project), '', False)


def _comment_start(line: Line) -> int:
    """Where the whitespace before ``line``'s comment starts."""
    body = line.text[: len(line.text) - len(line.comment)]
    return len(body.rstrip())


def _edited_text(
    base: Line, target: Requirement, style: Style, tail: str, specifiers: bool, markers: bool
) -> str:
    """``base``'s text with only its specifier (if ``specifiers``) and
    marker text (if ``markers``) changed to ``target``'s, then ``tail``
    (the comment and the space before it)."""
    old = base.requirement
    assert old is not None
    sep = separator_of(base, style.marker_sep)
    if '\n' in base.text or old.options or old.url:
        return target.render(sep) + tail
    core = base.text[: _comment_start(base)] if base.comment else base.text.rstrip()
    head = _HEAD_RE.match(core)
    if head is None:
        return target.render(sep) + tail
    rest = core[head.end() :]
    at = len(rest)
    if old.marker_text:
        at = rest.find(';')
        if at < 0:
            at = rest.find(':')
        if at < 0:
            return target.render(sep) + tail
    spec, marker = rest[:at], rest[at:]
    if specifiers:
        spec = _rendered(target.specifier) + spec[len(spec.rstrip()) :]
    if markers:
        if not target.marker_text:
            marker, spec = '', spec.rstrip()
        elif old.marker_text:
            lead = _SEP_RE.match(marker)
            marker = (lead.group(0) if lead else sep) + target.marker_text
        else:
            marker = sep + target.marker_text
    start = core[: head.end()]
    if target.name and target.name != old.name:
        name = _NAME_RE.match(start)
        assert name is not None
        start = start[: name.start(1)] + target.name + start[name.end(1) :]
    return start + spec + marker + tail


# Rendering specifiers is much of a large sync: each distinct text once.
_RENDERED: Table[str, str] = Table()


def _rendered(specifier: SpecifierSet) -> str:
    """:func:`render_specifier`, once a distinct specifier."""
    text = str(specifier)
    found = _RENDERED.get(text)
    if found is None:
        found = render_specifier(specifier)
        _RENDERED.put(text, found)
    return found


def separator_of(line: Line, default: str) -> str:
    req = line.requirement
    if req is None or not req.marker_text:
        return default
    body = line.text.split('#', 1)[0] if line.comment else line.text
    return ';' if ';' in body else ':'
