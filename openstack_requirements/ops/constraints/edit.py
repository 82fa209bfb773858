"""edit-constraints: replace, add or remove one package's lines in a
constraints file, every other line kept byte for byte."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from packaging.utils import canonicalize_name

from openstack_requirements.errors import ParseError, RequirementsError
from openstack_requirements.model import Kind, Line, RequirementsFile, parse_line


def parse_replacement(text: str) -> Line:
    """A replacement line given on the command line, validated."""
    text = text.strip()
    line = parse_line(text, path='<replacement>')
    if line.kind is not Kind.REQUIREMENT:
        raise ParseError(
            'expected a requirement, not '
            + ('a comment' if line.kind is Kind.COMMENT else 'a pip option'),
            path='<replacement>',
            source=text,
        )
    return line


def _matches(line: Line, key: str) -> bool:
    requirement = line.requirement
    if requirement is None:
        return False
    if requirement.key is not None:
        return requirement.key == key
    # An unnamed local path (``-e /opt/stack/oslo.db``): its directory.
    url = requirement.url.split('#', 1)[0].rstrip('/')
    if url.startswith('file://'):
        url = url[len('file://') :]
    base = Path(url).name
    return bool(base) and canonicalize_name(base) == key


def edit(constraints: RequirementsFile, name: str, replacement: str | None) -> RequirementsFile:
    """``constraints`` with every line of ``name`` replaced by
    ``replacement`` at the place of the first, appended when ``name`` is
    absent, or removed when ``replacement`` is empty. Other lines are the
    same objects, so they are written back byte for byte."""
    key = canonicalize_name(name)
    new_line = parse_replacement(replacement) if replacement else None
    if new_line is not None and new_line.key is not None and new_line.key != key:
        raise RequirementsError(
            f'the replacement {replacement!r} is for {new_line.key}, not {name}'
        )
    lines = list(constraints.lines)
    newline = next((ln.newline for ln in lines if ln.newline), '\n')
    result: list[Line] = []
    placed = False
    for line in lines:
        if _matches(line, key):
            if new_line is not None and not placed:
                # the last line keeps its missing newline
                ending = line.newline if line is lines[-1] else (line.newline or newline)
                result.append(dataclasses.replace(new_line, newline=ending, lineno=line.lineno))
            placed = True
            continue
        result.append(line)
    if new_line is not None and not placed:
        if result and not result[-1].newline:
            result[-1] = dataclasses.replace(result[-1], newline=newline)
        result.append(dataclasses.replace(new_line, newline=newline))
    return RequirementsFile(result, constraints.path)


def contains(constraints: RequirementsFile, name: str) -> bool:
    key = canonicalize_name(name)
    return any(_matches(line, key) for line in constraints.lines)
