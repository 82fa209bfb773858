"""Keep the global requirements list tidy.

The list is a header (the text above the first ``## section:NAME`` line)
followed by sections. A section is its block of ``##`` lines, one blank
line, then its entries; sections are parted by one blank line. An entry
is a requirement line with the ``#`` comment lines just above it, which
belong to it and move with it.

The rules: entries sorted within their section (case-insensitively by
their line, as the reference's ``tools/lint.py`` sorts), each requirement
in canonical form, no package on two lines unless markers tell the lines
apart, and blank lines only where the layout above puts them.
:func:`fix` rewrites the text to follow them all except the last rule on
duplicates, which needs a person to choose.
"""

from __future__ import annotations

import bisect
import dataclasses
import re

from openstack_requirements.model import Kind, Line, RequirementsFile, canonical
from openstack_requirements.ops.findings import ERROR, Finding

SECTION_RE = re.compile(r'^##\s*section\s*:')


def _problem(
    parsed: RequirementsFile, line: int, package: str, kind: str, message: str
) -> Finding:
    """A lint problem, as a finding of its rule: ``order``, ``canonical``,
    ``duplicate`` or ``layout``."""
    return Finding(kind, ERROR, parsed.path or '', line, package, message)


@dataclasses.dataclass
class Entry:
    comments: list[Line]
    line: Line

    @property
    def sort_key(self) -> str:
        """The requirement as canonically written, case-insensitively,
        without its comment: the reference lint's order (it sorts whole
        lines), so ``boto`` comes before ``boto3`` and
        ``django-formtools`` before ``Django<6``."""
        requirement = self.line.requirement
        if requirement is None:
            return self.line.text.lower()
        return requirement.render().lower()


@dataclasses.dataclass
class Section:
    header: list[Line]  # the '## section:' line and the '##' lines after it
    entries: list[Entry]
    trailing: list[Line]  # comments after the last entry


@dataclasses.dataclass
class Layout:
    header: list[Line]
    sections: list[Section]


def _is_section(line: Line) -> bool:
    return line.kind is Kind.COMMENT and bool(SECTION_RE.match(line.text))


def split(parsed: RequirementsFile) -> Layout:
    """The header and the sections of a global requirements file."""
    lines = parsed.lines
    first = next((i for i, line in enumerate(lines) if _is_section(line)), None)
    if first is None:
        # No sections: the header ends at the last blank line before the
        # first requirement; the rest is one section without header.
        first_req = next(
            (
                i
                for i, line in enumerate(lines)
                if line.kind is not Kind.BLANK and line.kind is not Kind.COMMENT
            ),
            len(lines),
        )
        blanks = [i for i in range(first_req) if lines[i].kind is Kind.BLANK]
        first = blanks[-1] + 1 if blanks else 0
        sections = [Section([], [], [])]
    else:
        sections = []
    header = lines[:first]
    pending: list[Line] = []
    in_header = False
    for line in lines[first:]:
        if _is_section(line):
            if sections:
                sections[-1].trailing.extend(pending)
            pending = []
            sections.append(Section([line], [], []))
            in_header = True
            continue
        if in_header and line.kind is Kind.COMMENT and line.text.startswith('##'):
            sections[-1].header.append(line)
            continue
        in_header = False
        if line.kind is Kind.BLANK:
            continue
        if line.kind is Kind.COMMENT:
            pending.append(line)
        else:
            sections[-1].entries.append(Entry(pending, line))
            pending = []
    sections[-1].trailing.extend(pending)
    return Layout(header, sections)


def _sorted_positions(keys: list[str]) -> set[int]:
    """Indexes of a longest non-decreasing run of ``keys``: the entries
    that can stay; the others are the ones out of place."""
    tails: list[str] = []
    tail_index: list[int] = []
    previous: list[int] = [-1] * len(keys)
    for i, key in enumerate(keys):
        at = bisect.bisect_right(tails, key)
        if at == len(tails):
            tails.append(key)
            tail_index.append(i)
        else:
            tails[at] = key
            tail_index[at] = i
        previous[i] = tail_index[at - 1] if at else -1
    keep: set[int] = set()
    i = tail_index[-1] if tail_index else -1
    while i >= 0:
        keep.add(i)
        i = previous[i]
    return keep


def _ambiguous(group: list[Line]) -> list[tuple[Line, Line]]:
    """The lines of one package that markers do not tell apart from an
    earlier line, each with the first line of the package."""
    found = []
    seen: set[str] = set()
    unmarked = False
    for index, line in enumerate(group):
        requirement = line.requirement
        assert requirement is not None
        marker = str(requirement.marker) if requirement.marker_text else ''
        if index and (unmarked or not marker or marker in seen):
            found.append((line, group[0]))
        unmarked = unmarked or not marker
        seen.add(marker)
    return found


def lint(parsed: RequirementsFile) -> list[Finding]:
    """Every problem of the list, in line order."""
    problems: list[Finding] = []
    layout = split(parsed)
    for section in layout.sections:
        keys = [entry.sort_key for entry in section.entries]
        keep = _sorted_positions(keys)
        name = section.header[0].text.split(':', 1)[1].strip() if section.header else ''
        where = f' of section {name}' if name else ''
        for i, entry in enumerate(section.entries):
            if i not in keep:
                after = max(
                    (e for j, e in enumerate(section.entries) if j in keep and keys[j] <= keys[i]),
                    key=lambda e: e.sort_key,
                    default=None,
                )
                place = (
                    f'after {after.line.requirement.name}'
                    if after and after.line.requirement
                    else 'first'
                )
                problems.append(
                    _problem(
                        parsed,
                        entry.line.lineno,
                        _name(entry.line),
                        'order',
                        f'not in order{where}: it goes {place}',
                    )
                )
    for line in parsed.lines:
        if line.requirement is None:
            continue
        wanted = canonical(line).text
        if line.text != wanted:
            problems.append(
                _problem(
                    parsed,
                    line.lineno,
                    _name(line),
                    'canonical',
                    f'not in canonical form: {wanted}',
                )
            )
    for group in parsed.by_key().values():
        for line, first in _ambiguous(group):
            problems.append(
                _problem(
                    parsed,
                    line.lineno,
                    _name(line),
                    'duplicate',
                    f'also on line {first.lineno}, and markers do not tell the lines apart',
                )
            )
    problems.extend(_layout_problems(parsed, layout))
    problems.sort(key=lambda p: (p.line, p.check))
    return problems


def _name(line: Line) -> str:
    requirement = line.requirement
    return (requirement.name or requirement.url) if requirement else ''


def _layout_problems(parsed: RequirementsFile, layout: Layout) -> list[Finding]:
    """Blank lines where the layout puts none, or missing where it puts
    one: above each section, below each section's ``##`` block."""
    lines = parsed.lines
    header_ends = {
        id(section.header[-1])
        for section in layout.sections
        if section.header and (section.entries or section.trailing)
    }
    above = [line for line in layout.header if line.kind is not Kind.BLANK]
    if above:
        header_ends.add(id(above[-1]))
    problems = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.kind is not Kind.BLANK:
            before = lines[i - 1] if i else None
            wants_blank = (_is_section(line) and before is not None) or (
                before is not None and id(before) in header_ends
            )
            if wants_blank and before is not None:
                problems.append(
                    _problem(
                        parsed, line.lineno, _name(line), 'layout', 'a blank line is missing above'
                    )
                )
            i += 1
            continue
        run_end = i
        while run_end < len(lines) and lines[run_end].kind is Kind.BLANK:
            run_end += 1
        before = lines[i - 1] if i else None
        after = lines[run_end] if run_end < len(lines) else None
        allowed = (
            before is not None
            and after is not None
            and (_is_section(after) or id(before) in header_ends)
        )
        for extra in lines[i + 1 if allowed else i : run_end]:
            problems.append(
                _problem(parsed, extra.lineno, '', 'layout', 'blank line out of place')
            )
        i = run_end + 1 if allowed and run_end < len(lines) else run_end
    if lines and not lines[-1].newline:
        problems.append(
            _problem(
                parsed,
                lines[-1].lineno,
                _name(lines[-1]),
                'layout',
                'no newline at the end of the file',
            )
        )
    return problems


def render(layout: Layout, parsed: RequirementsFile) -> str:
    """The text of the list as :func:`fix` writes it."""
    newline = parsed.lines[0].newline if parsed.lines else '\n'
    newline = newline or '\n'
    out: list[str] = []

    def emit(line: Line) -> None:
        out.append(line.text + (line.newline or newline))

    header = list(layout.header)
    while header and header[-1].kind is Kind.BLANK:
        header.pop()
    for line in header:
        emit(line)
    first = True
    for section in layout.sections:
        if not first or header:
            if out:
                out.append(newline)
        first = False
        for line in section.header:
            emit(line)
        if section.header and (section.entries or section.trailing):
            out.append(newline)
        for entry in sorted(section.entries, key=lambda e: e.sort_key):
            for comment in entry.comments:
                emit(comment)
            emit(canonical(entry.line))
        for line in section.trailing:
            emit(line)
    return ''.join(out)


def fix(parsed: RequirementsFile) -> str:
    """The list sorted, canonical and laid out; duplicates stay."""
    return render(split(parsed), parsed)
