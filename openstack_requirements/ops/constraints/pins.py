"""Pins: what resolvers give, merged across Pythons into constraint lines.

A *resolution* is what one resolver run gives for one Python version: a
mapping from canonical name to :class:`Pin`. :func:`merge` turns several of
them into the lines of one constraints file, with a minimal PEP 508
``python_version`` marker on every line that does not hold for all of them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence

from packaging.utils import canonicalize_name

from openstack_requirements.errors import ParseError, RequirementsError
from openstack_requirements.model import parse_line
from openstack_requirements.model.versions import version_key

_PYTHON_RE = re.compile(r'^(\d+)\.(\d+)$')


@dataclasses.dataclass(frozen=True)
class Pin:
    """One package at one exact version, as a resolver gave it.

    ``exact_name`` says whether ``name`` is spelt as the package's own
    metadata spells it (pip's report) or only in canonical form (uv).
    """

    name: str
    version: str
    exact_name: bool = True

    @property
    def key(self) -> str:
        return canonicalize_name(self.name)


Resolution = Mapping[str, Pin]


def python_key(label: str) -> tuple[int, int]:
    match = _PYTHON_RE.match(label)
    if match is None:
        raise RequirementsError(f'{label!r} is not a Python version (X.Y)')
    return int(match.group(1)), int(match.group(2))


def python_marker(applies: Iterable[str], pythons: Sequence[str]) -> str:
    """The shortest ``python_version`` marker true for each Python in
    ``applies`` and false for every other one of ``pythons``.

    ``''`` when it applies to all of them. Runs of adjacent Pythons become
    ranges open towards the ends (``<=`` the last of a run at the start,
    ``>=`` the first of a run at the end), so a newer Python takes the
    newest line; a single Python left out becomes ``!=``.
    """
    order = sorted(set(pythons), key=python_key)
    chosen = set(applies)
    unknown = chosen.difference(order)
    if unknown:
        raise ValueError(f'unknown Pythons {sorted(unknown)}')
    if chosen == set(order):
        return ''
    runs: list[list[str]] = []
    for index, python in enumerate(order):
        if python in chosen:
            if runs and order.index(runs[-1][-1]) == index - 1:
                runs[-1].append(python)
            else:
                runs.append([python])
    clauses = []
    for run in runs:
        first, last = run[0], run[-1]
        if first == order[0]:
            clauses.append(f"python_version<='{last}'")
        elif last == order[-1]:
            clauses.append(f"python_version>='{first}'")
        elif first == last:
            clauses.append(f"python_version=='{first}'")
        else:
            clauses.append(f"python_version>='{first}' and python_version<='{last}'")
    candidates = [' or '.join(clauses)]
    left_out = [p for p in order if p not in chosen]
    if len(left_out) == 1 and order[0] in chosen and order[-1] in chosen:
        candidates.append(f"python_version!='{left_out[0]}'")
    return min(candidates, key=lambda c: (c.count('python_version'), len(c)))


#: What ``pip freeze`` leaves out and so what constraints never pin: the
#: installers themselves (the reference and the real upper-constraints
#: leave them out too).
INSTALLERS = frozenset({'pip', 'setuptools', 'wheel', 'distribute'})


def merge(
    resolutions: Mapping[str, Resolution],
    *,
    exclude: Iterable[str] = (),
    spellings: Mapping[str, str] | None = None,
) -> list[str]:
    """The lines (without terminators) of the merged constraints.

    ``resolutions`` maps a Python version (``'3.12'``) to its resolution;
    ``exclude`` holds names left out (compared canonically); ``spellings``
    maps a canonical name to the spelling to write when a resolver gave
    only the canonical form. Lines come in canonical-name order, versions
    in version order; see :func:`order_lines` for the file order.
    """
    pythons = sorted(resolutions, key=python_key)
    excluded = {canonicalize_name(name) for name in exclude}
    spellings = spellings or {}
    # key -> version -> Pythons; key -> spelling
    table: dict[str, dict[str, list[str]]] = {}
    names: dict[str, str] = {}
    for python in pythons:
        for pin in resolutions[python].values():
            key = pin.key
            if key in excluded:
                continue
            table.setdefault(key, {}).setdefault(pin.version, []).append(python)
            if pin.exact_name:
                names[key] = pin.name
            else:
                names.setdefault(key, spellings.get(key, pin.name))
    lines = []
    for key in sorted(table):
        versions = table[key]
        for version in sorted(versions, key=version_key):
            marker = python_marker(versions[version], pythons)
            line = f'{names[key]}==={version}'
            if marker:
                line += f';{marker}'
            lines.append(line)
    return lines


def order_lines(lines: Iterable[str], order: str = 'sha1') -> list[str]:
    """Lines in file order: ``sha1`` sorts by the SHA-1 of the name as
    written (as the reference does, so diffs stay small); ``name`` by
    canonical name. Lines of one package stay together, in their order."""
    items = list(lines)
    if order == 'name':
        return sorted(items, key=lambda s: canonicalize_name(_name_of(s)))
    if order == 'sha1':
        return sorted(items, key=lambda s: hashlib.sha1(_name_of(s).encode('utf-8')).hexdigest())
    raise ValueError(f'unknown order {order!r}')


def _name_of(line: str) -> str:
    return line.split('=', 1)[0]


def leading_comments(text: str) -> str:
    """The comment block (and blank lines) a constraints file starts with."""
    kept = []
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped and not stripped.startswith('#'):
            break
        kept.append(line)
    return ''.join(kept)


def render(lines: Iterable[str], header: str = '') -> str:
    return header + ''.join(line + '\n' for line in lines)


# What generate-constraints is given: a version map, a denylist, the
# names as a requirements text spells them.


def parse_version_map(entries: Iterable[str], pythons: Iterable[str]) -> dict[str, str]:
    """``--version-map SRC:DST`` entries as ``{dst: src}``; DST reuses the
    resolution of SRC. As the reference does, an entry whose SRC is not
    among ``pythons`` is ignored (so a two-way map ``3.11:3.12`` and
    ``3.12:3.11`` serves whichever of the two is resolved), and a DST
    among ``pythons`` is resolved for itself."""
    given = list(pythons)
    mapping: dict[str, str] = {}
    for entry in entries:
        parts = entry.split(':')
        if len(parts) != 2 or not all(_PYTHON_RE.match(p) for p in parts):
            raise RequirementsError(
                f'--version-map {entry}: expected SRC:DST, two Python versions such as 3.12:3.13'
            )
        src, dst = parts
        if src not in given or dst in given:
            continue
        if dst in mapping and mapping[dst] != src:
            raise RequirementsError(
                f'--version-map {entry}: Python {dst} is already mapped from {mapping[dst]}'
            )
        mapping[dst] = src
    return mapping


def denylist_names(path: str | None) -> set[str]:
    """Canonical names listed in a denylist file (a requirements file:
    comments and specifiers allowed)."""
    if path is None:
        return set()
    from openstack_requirements.ops.files import read_requirements

    return {key for key in read_requirements(path).by_key()}


def spellings_of(*texts: str) -> dict[str, str]:
    """Names as written in requirements texts, by canonical name; the
    first text that names a package wins."""
    from openstack_requirements.model import split_logical

    names: dict[str, str] = {}
    for text in texts:
        for _, body, _ in split_logical(text):
            try:
                requirement = parse_line(body).requirement
            except ParseError:  # a hint only; the resolver reads the file
                continue
            if requirement is not None and requirement.name:
                names.setdefault(canonicalize_name(requirement.name), requirement.name)
    return names
