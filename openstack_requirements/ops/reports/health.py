"""The health of the governed packages: what their index pages say.

Each package of the global list has its index page read once (PEP 691
JSON where the index serves it, else PEP 503 HTML), concurrently, by the
project's one bounded index reader
(:class:`~openstack_requirements.ops.constraints.metadata.index.Index`), and is
checked against the governance data: its pin in the upper constraints,
its line of the global list, the supported Pythons, and (when given) the
projects that use it and known vulnerabilities. Each problem is a
:class:`~openstack_requirements.ops.findings.Finding`.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from openstack_requirements.model import Line
from openstack_requirements.model.versions import lower_bound, parse_version
from openstack_requirements.ops import findings
from openstack_requirements.ops.constraints.metadata import index as index_module
from openstack_requirements.ops.constraints.metadata.bounds import MetadataError, TimedOut
from openstack_requirements.ops.constraints.metadata.pages import DistFile
from openstack_requirements.ops.findings import ERROR, INFO, WARNING, Finding
from openstack_requirements.ops.reports import licences
from openstack_requirements.ops.reports.osv import Vulnerability
from openstack_requirements.ops.reports.pagecache import PageCache

YEAR = datetime.timedelta(days=365)
#: The metadata fields a licence is read from.
LICENCE_FIELDS = frozenset({'name', 'version', 'license-expression', 'classifier'})
#: Pages read at once.
WORKERS = 16


@dataclasses.dataclass
class Facts:
    """What is known of one governed package."""

    name: str
    key: str
    line: Line
    pins: list[str]
    newest: str | None = None
    last_upload: datetime.datetime | None = None
    users: int | None = None
    licence: str | None = None
    findings: list[Finding] = dataclasses.field(default_factory=list)

    @property
    def severity(self) -> str:
        for severity in findings.SEVERITIES:
            if any(f.severity == severity for f in self.findings):
                return severity
        return ''


@dataclasses.dataclass
class Request:
    global_lines: Sequence[Line]
    global_file: str
    #: Canonical name -> the upper-constraints lines.
    upper: Mapping[str, Sequence[Line]]
    pythons: Sequence[str]
    #: Canonical name -> how many projects use it (None: not asked).
    users: Mapping[str, int] | None = None
    vulnerabilities: Mapping[str, list[Vulnerability]] | None = None
    now: datetime.datetime = dataclasses.field(
        default_factory=lambda: datetime.datetime.now(datetime.UTC)
    )
    #: Read the pinned release's metadata for its licence.
    licences: bool = True


def governed(lines: Sequence[Line]) -> list[Line]:
    """The first line of each package of the global list."""
    seen: set[str] = set()
    chosen = []
    for line in lines:
        if line.key and line.requirement is not None and line.key not in seen:
            seen.add(line.key)
            chosen.append(line)
    return chosen


def check(
    request: Request, index: index_module.Index, cache: PageCache | None = None
) -> list[Facts]:
    """Every governed package's facts and findings, in the global list's
    order (pages read within ``cache``'s age are not read again)."""
    packages = [_facts(line, request) for line in governed(request.global_lines)]
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        futures = [pool.submit(_examine, facts, request, index, cache) for facts in packages]
        try:
            for future in futures:
                future.result()
        except BaseException:
            index.deadline.cancel()
            raise
    if cache is not None:
        cache.save()
    return packages


def _facts(line: Line, request: Request) -> Facts:
    assert line.requirement is not None and line.key is not None
    pins = []
    for pin in request.upper.get(line.key, ()):
        if pin.requirement is not None:
            pins += [s.version for s in pin.requirement.specifier if s.operator in ('==', '===')]
    users = None if request.users is None else request.users.get(line.key, 0)
    return Facts(
        line.requirement.name or line.key, line.key, line, list(dict.fromkeys(pins)), users=users
    )


def _upload(text: str | None) -> datetime.datetime | None:
    if not text:
        return None
    try:
        found = datetime.datetime.fromisoformat(text.replace('Z', '+00:00'))
    except ValueError:
        return None
    return found if found.tzinfo else found.replace(tzinfo=datetime.UTC)


class _Releases:
    """A page's files grouped by version."""

    def __init__(self, files: list[DistFile]) -> None:
        self.files: dict[str, list[DistFile]] = {}
        for file in files:
            self.files.setdefault(file.version, []).append(file)
        self.versions = {v: parse_version(v) for v in self.files}

    def yanked(self, version: str) -> bool:
        return all(f.yanked for f in self.files.get(version, ()))

    def uploaded(self, version: str) -> datetime.datetime | None:
        times = [t for f in self.files.get(version, ()) if (t := _upload(f.upload_time))]
        return min(times) if times else None

    def last_upload(self) -> datetime.datetime | None:
        times = [t for fs in self.files.values() for f in fs if (t := _upload(f.upload_time))]
        return max(times) if times else None

    def newest(self) -> str | None:
        live = [(p, v) for v, p in self.versions.items() if p is not None and not self.yanked(v)]
        final = [item for item in live if not item[0].is_prerelease]
        chosen = final or live
        return max(chosen)[1] if chosen else None

    def highest(self) -> Version | None:
        known = [p for p in self.versions.values() if p is not None]
        return max(known) if known else None

    def release(self, version: str) -> list[DistFile]:
        if version in self.files:
            return self.files[version]
        wanted = parse_version(version)
        for text, parsed in self.versions.items():
            if wanted is not None and parsed == wanted:
                return self.files[text]
        return []


def _examine(
    facts: Facts, request: Request, index: index_module.Index, cache: PageCache | None
) -> None:
    def add(check: str, severity: findings.Severity, message: str) -> None:
        facts.findings.append(
            Finding(check, severity, request.global_file, facts.line.lineno, facts.name, message)
        )

    try:
        files = cache.get(facts.key) if cache is not None else None
        if files is None:
            files = index.files(facts.key)
            if cache is not None:
                cache.put(facts.key, files)
    except TimedOut:
        raise
    except MetadataError as err:
        add('index', ERROR, f'its index page cannot be read: {err}')
        return
    if request.users is not None and not facts.users:
        add('unused', WARNING, 'no project uses it')
    if not files:
        add('index', ERROR, 'not on the index')
        return
    releases = _Releases(files)
    facts.newest = releases.newest()
    facts.last_upload = releases.last_upload()
    _activity(facts, request, add)
    _stale(facts, releases, add)
    for pin in facts.pins:
        _pinned(facts, pin, releases, request, add)
    if request.licences and facts.pins:
        _licence(facts, releases.release(facts.pins[0]), index, add)


def _activity(facts: Facts, request: Request, add: Any) -> None:
    if facts.last_upload is None:
        return
    age = request.now - facts.last_upload
    years = int(age / YEAR)
    when = facts.last_upload.date().isoformat()
    if age > 4 * YEAR:
        add('inactive', ERROR, f'no release for {years} years (last upload {when})')
    elif age > 2 * YEAR:
        add('inactive', WARNING, f'no release for {years} years (last upload {when})')


def _stale(facts: Facts, releases: _Releases, add: Any) -> None:
    requirement = facts.line.requirement
    assert requirement is not None
    highest = releases.highest()
    bound = lower_bound(requirement.specifier)
    minimum = parse_version(bound.version) if bound is not None else None
    for spec in requirement.specifier:
        version = parse_version(spec.version)
        if version is None:
            continue
        if spec.operator == '!=' and not spec.version.endswith('.*'):
            if minimum is not None and version < minimum:
                add(
                    'stale',
                    WARNING,
                    f'{spec} excludes a version below the minimum '
                    f'{bound}: {facts.line.text.strip()}',
                )
            elif highest is not None and version > highest:
                add(
                    'stale',
                    WARNING,
                    f'{spec} excludes a version above every '
                    f'release ({highest}): {facts.line.text.strip()}',
                )
        elif spec.operator in ('<', '<=') and highest is not None and version > highest:
            add(
                'stale',
                WARNING,
                f'the cap {spec} is above every release ({highest}): {facts.line.text.strip()}',
            )


def _admits(specifier: str | None, python: str) -> bool:
    if not specifier:
        return True
    try:
        allowed = SpecifierSet(specifier)
    except InvalidSpecifier:
        return True
    return any(allowed.contains(f'{python}.{patch}', prereleases=True) for patch in (0, 99))


def _pinned(facts: Facts, pin: str, releases: _Releases, request: Request, add: Any) -> None:
    files = releases.release(pin)
    if not files:
        add('pin', ERROR, f'the pinned {pin} is not on the index')
        return
    if all(f.yanked for f in files):
        reasons = sorted({f.yanked_reason for f in files if f.yanked_reason})
        add(
            'yanked',
            ERROR,
            f'the pinned {pin} is yanked' + (f': {"; ".join(reasons)}' if reasons else ''),
        )
    live = [f for f in files if not f.yanked] or files
    excluded = [
        py for py in request.pythons if not any(_admits(f.requires_python, py) for f in live)
    ]
    if excluded:
        needs = sorted({f.requires_python for f in live if f.requires_python})
        add(
            'requires-python',
            ERROR,
            f'the pinned {pin} requires Python {" or ".join(needs)}: it cannot '
            f'install on {", ".join(excluded)}',
        )
    _behind(facts, pin, releases, add)
    for vulnerability in (request.vulnerabilities or {}).get(facts.key, ()):
        if vulnerability.affects(pin):
            ids = ', '.join((vulnerability.id, *vulnerability.aliases))
            fixed = ', '.join(vulnerability.fixed) or 'none'
            add(
                'vulnerable', WARNING, f'the pinned {pin} is affected by {ids} (fixed in: {fixed})'
            )


def _behind(facts: Facts, pin: str, releases: _Releases, add: Any) -> None:
    newest = facts.newest
    ours, theirs = parse_version(pin), parse_version(newest or '')
    if newest is None or ours is None or theirs is None or ours >= theirs:
        return
    if theirs.major > ours.major:
        add('behind', WARNING, f'pinned {pin}, the newest is {newest} (major {theirs.major})')
        return
    then, now = releases.uploaded(pin), releases.uploaded(newest)
    if then is not None and now is not None and now - then > YEAR:
        add('behind', INFO, f'pinned {pin} ({then.date()}), the newest is {newest} ({now.date()})')


def _licence(facts: Facts, files: list[DistFile], index: index_module.Index, add: Any) -> None:
    listed = facts.line.comment.lstrip('#').strip()
    offered = sorted((f for f in files if f.core_metadata), key=lambda f: f.is_sdist)
    if not offered:
        return
    try:
        headers = index.metadata_headers(offered[0], LICENCE_FIELDS)
    except TimedOut:
        raise
    except MetadataError:
        return
    declared = licences.declared(headers.get('license-expression'), headers.get_all('classifier'))
    facts.licence = declared
    if listed and declared and not licences.agree(listed, declared):
        add('licence', WARNING, f'listed as {listed}, the pinned release declares {declared}')


def facts_row(facts: Facts) -> tuple[str, str, str, str, Any, str, str]:
    """A row of ``--all``: :data:`FACTS_COLUMNS`."""
    return (
        facts.name,
        ', '.join(facts.pins),
        facts.newest or '',
        facts.last_upload.date().isoformat() if facts.last_upload else '',
        '' if facts.users is None else facts.users,
        facts.severity,
        '; '.join(f'{f.check}: {f.message}' for f in facts.findings),
    )


FACTS_COLUMNS = ('Package', 'Pinned', 'Newest', 'Last upload', 'Users', 'Severity', 'Findings')
