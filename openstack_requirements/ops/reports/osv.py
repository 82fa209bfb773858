"""Known vulnerabilities of PyPI packages, read offline from OSV records.

OSV (https://ossf.github.io/osv-schema/) publishes one JSON record per
vulnerability; its PyPI export is a zip of them. :func:`load` reads a
directory of records or that zip, keeping the records of the packages
asked about, and :meth:`Vulnerability.affects` tells whether a version
is in a record's affected ranges or versions. Nothing is fetched.
"""

from __future__ import annotations

import dataclasses
import json
import os
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from openstack_requirements.errors import FileError
from openstack_requirements.model.versions import parse_version

#: The largest record read (the biggest real ones are a few hundred kB).
RECORD_LIMIT = 8 << 20


@dataclasses.dataclass(frozen=True)
class Vulnerability:
    """What one record says of one package."""

    id: str
    aliases: tuple[str, ...]
    #: ``(event, version)`` lists, one per ECOSYSTEM range, in order.
    ranges: tuple[tuple[tuple[str, str], ...], ...]
    versions: frozenset[str]
    #: Every version a range names as fixing it.
    fixed: tuple[str, ...]

    def affects(self, version: str) -> bool:
        if version in self.versions:
            return True
        wanted = parse_version(version)
        if wanted is None:
            return False
        return any(_in_range(events, wanted) for events in self.ranges)


def _in_range(events: tuple[tuple[str, str], ...], wanted: Any) -> bool:
    """Whether ``wanted`` falls in one of the intervals the events open
    (``introduced``) and close (``fixed``, ``limit``: excluded;
    ``last_affected``: included), sorted by version as OSV defines."""
    parsed = []
    for kind, text in events:
        at = parse_version('0') if text == '0' else parse_version(text)
        if at is not None:
            parsed.append((at, kind))
    parsed.sort(key=lambda item: item[0])
    inside = False
    for at, kind in parsed:
        if kind == 'introduced':
            if wanted < at:
                return inside
            inside = True
        elif kind in ('fixed', 'limit'):
            if wanted < at:
                return inside
            inside = False
        elif kind == 'last_affected':
            if wanted <= at:
                return inside
            inside = False
    return inside


def parse_record(
    record: Any, wanted: set[str] | None = None
) -> Iterator[tuple[str, Vulnerability]]:
    """``(canonical name, vulnerability)`` for each PyPI package the record
    names (of ``wanted`` only, if given)."""
    if not isinstance(record, dict) or record.get('withdrawn'):
        return
    ident = str(record.get('id', '?'))
    aliases = tuple(str(a) for a in record.get('aliases') or () if isinstance(a, str))
    for affected in record.get('affected') or ():
        if not isinstance(affected, dict):
            continue
        package = affected.get('package') or {}
        if not isinstance(package, dict) or package.get('ecosystem') != 'PyPI':
            continue
        key = canonicalize_name(str(package.get('name', '')))
        if wanted is not None and key not in wanted:
            continue
        ranges, fixed = [], []
        for item in affected.get('ranges') or ():
            if not isinstance(item, dict) or item.get('type') not in ('ECOSYSTEM', 'SEMVER'):
                continue
            events = []
            for event in item.get('events') or ():
                if isinstance(event, dict) and len(event) == 1:
                    ((kind, value),) = event.items()
                    events.append((str(kind), str(value)))
                    if kind == 'fixed':
                        fixed.append(str(value))
            ranges.append(tuple(events))
        versions = frozenset(str(v) for v in affected.get('versions') or ())
        yield key, Vulnerability(ident, aliases, tuple(ranges), versions, tuple(fixed))


def _documents(path: Path) -> Iterator[tuple[str, bytes]]:
    if path.is_dir():
        for entry in sorted(path.rglob('*.json')):
            if entry.stat().st_size > RECORD_LIMIT:
                raise FileError(f'{entry}: an OSV record larger than {RECORD_LIMIT} bytes')
            yield str(entry), entry.read_bytes()
        return
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.infolist():
                if not member.filename.endswith('.json'):
                    continue
                if member.file_size > RECORD_LIMIT:
                    raise FileError(
                        f'{path}:{member.filename}: an OSV record larger than {RECORD_LIMIT} bytes'
                    )
                with archive.open(member) as handle:
                    yield f'{path}:{member.filename}', handle.read(RECORD_LIMIT + 1)
    except (OSError, zipfile.BadZipFile) as err:
        raise FileError(
            f'{path}: not a directory of OSV records nor a zip of them ({err})'
        ) from None


def load(
    path: str | os.PathLike[str], wanted: Iterable[str] | None = None
) -> dict[str, list[Vulnerability]]:
    """The vulnerabilities of each package (canonical name) the records
    under ``path`` (a directory, or OSV's zip export) name."""
    names = {str(canonicalize_name(n)) for n in wanted} if wanted is not None else None
    found: dict[str, list[Vulnerability]] = {}
    place = Path(path)
    if not place.exists():
        raise FileError(f'{place}: no such file or directory')
    for where, body in _documents(place):
        try:
            record = json.loads(body)
        except ValueError as err:
            raise FileError(f'{where}: not a JSON OSV record ({err})') from None
        for key, vulnerability in parse_record(record, names):
            found.setdefault(key, []).append(vulnerability)
    return found
