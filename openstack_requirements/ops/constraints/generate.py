"""generate-constraints: resolve for several Pythons, merge, write.

:func:`generate` does the whole job the command asks for: check the
Pythons, resolve (through a resolver plugin), apply the version map, merge
and order the pins, put the header first and write the file, or compare
with a baseline. The command only turns its options into a
:class:`Request` and prints what comes back.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openstack_requirements.errors import RequirementsError
from openstack_requirements.ops import constraints, data, files
from openstack_requirements.ops.constraints import cutoff, lockfile
from openstack_requirements.ops.constraints.resolvers.base import Progress, ResolverOptions


@dataclasses.dataclass(frozen=True)
class Request:
    requirements: Path
    pythons: Sequence[str]
    denylist: str | None = None
    version_map: Sequence[str] = ()
    resolver: str = 'uv'
    options: ResolverOptions = ResolverOptions()
    output: str | None = None
    baseline: str | None = None
    #: With ``output``: compute the change to it, write nothing.
    dry_run: bool = False
    pin_installers: bool = False
    order: str = 'sha1'
    #: Also write a PEP 751 lock file per Python resolved into this
    #: directory (``pylock.py312.toml``).
    pylock: str | None = None


@dataclasses.dataclass(frozen=True)
class Generated:
    #: The whole constraints file: header, then the pins.
    text: str
    #: The files written (the output, if any).
    written: tuple[str, ...] = ()
    #: Per package and Python, what changed against the baseline (with
    #: ``baseline``): rows of (package, pythons, change, old, new).
    differences: tuple[constraints.Difference, ...] | None = None
    #: The unified diff of the change to ``output`` (empty: no change).
    diff: str = ''


def shipped_header() -> str:
    """The comment block the shipped upper-constraints.txt starts with
    (its security warning); the checkout's, else the installed data's."""
    return constraints.leading_comments(shipped_constraints())


def shipped_constraints() -> str:
    """The text of the shipped upper-constraints.txt ('' if none)."""
    for place in data.search_path()[1:]:
        found = data.find(place, data.UPPER, required=False)
        if found is not None:
            return files.read_text(found)
    return ''


def header_for(existing: str | None) -> str:
    """The header of a new constraints file: the existing file's comment
    block when it has one, else the shipped file's."""
    kept = constraints.leading_comments(existing) if existing else ''
    return kept if kept.strip() else shipped_header()


def targets_of(pythons: Sequence[str]) -> list[Any]:
    """The ``-p`` values as resolver targets; a Python given twice is an
    error."""
    from openstack_requirements.ops.constraints import resolvers

    targets = [resolvers.target_for(p) for p in pythons]
    seen: dict[str, str] = {}
    for spec, target in zip(pythons, targets, strict=True):
        if target.python in seen:
            raise RequirementsError(
                f'-p {spec}: Python {target.python} is already given (-p {seen[target.python]})'
            )
        seen[target.python] = spec
    return targets


def generate(request: Request, progress: Progress | None = None) -> Generated:
    from openstack_requirements.model import RequirementsFile
    from openstack_requirements.ops.constraints import resolvers

    requirements_text = files.read_text(request.requirements)
    excluded = constraints.denylist_names(request.denylist)
    if not request.pin_installers:
        excluded |= constraints.INSTALLERS
    baseline = files.read_text(request.baseline) if request.baseline else None
    existing = None
    if request.output:
        files.check_target(request.output)  # before resolving for minutes
    if request.output and Path(request.output).exists():
        existing = files.read_text(request.output)

    targets = targets_of(request.pythons)
    mapping = constraints.parse_version_map(request.version_map, [t.python for t in targets])
    resolver = resolvers.load(request.resolver)
    _check_supported(request, resolver)
    targets = [resolver.prepare(t) for t in targets]
    resolved = [t.python for t in targets if t.python not in mapping]
    if request.pylock:
        for path in lockfile.paths(request.pylock, resolved).values():
            files.check_target(path, request.pylock)

    options = dataclasses.replace(request.options, pylock=request.pylock is not None)
    results = resolvers.resolve_all(
        resolver, request.requirements.resolve(), targets, options, progress=progress
    )
    for dst, src in mapping.items():
        results[dst] = results[src]
    # Where the resolver knew no better than the canonical name.
    spellings = constraints.spellings_of(existing or '', baseline or '', requirements_text)
    lines = constraints.order_lines(
        constraints.merge(results, exclude=excluded, spellings=spellings), request.order
    )
    header = cutoff.with_stated(header_for(existing), request.options.exclude_newer)
    text = constraints.render(lines, header)

    written: tuple[str, ...] = ()
    changes = files.Changeset()
    if request.output:
        changes.add(request.output, existing, text)
    if request.pylock:
        missing = [p for p in resolved if p not in resolver.locks]
        if missing:
            raise RequirementsError(f'--pylock: no lock file made for Python {missing[0]}')
        locks = {p: resolver.locks[p] for p in resolved}
        for path, before, after in lockfile.changes(request.pylock, locks):
            changes.add(path, before, after, root=request.pylock)
        if progress is not None:
            for dst, src in sorted(mapping.items()):
                progress(
                    f'--pylock: no lock for Python {dst}: its pins are the resolution '
                    f'for {src} (--version-map), whose files are for {src}'
                )
    diff = changes.diff()
    if changes.changes and not request.dry_run:
        written = tuple(changes.write())
    if baseline is None:
        return Generated(text, written, diff=diff)
    pythons = sorted(results, key=constraints.python_key)
    old = constraints.per_python(RequirementsFile.parse(baseline, request.baseline), pythons)
    new = constraints.per_python(RequirementsFile.parse(text), pythons)
    return Generated(text, written, tuple(constraints.compare(old, new)), diff=diff)


def _check_supported(request: Request, resolver: Any) -> None:
    """Fail now if the resolver cannot do what the options ask."""
    if request.options.exclude_newer is not None and not resolver.can_exclude_newer:
        raise RequirementsError(
            f'--exclude-newer: the {resolver.name} resolver does not support it; use --resolver uv'
        )
    if request.pylock is not None and not resolver.can_lock:
        raise RequirementsError(
            f'--pylock: the {resolver.name} resolver does not write lock files; use --resolver uv'
        )
