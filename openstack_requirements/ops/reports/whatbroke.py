"""Which required or pinned packages had a release lately.

When the gate breaks, the first question is what was released upstream
since it last worked. This asks a package index's JSON API
(``/pypi/NAME/json``, as PyPI and its mirrors serve it) about every
package of the global requirements and the upper constraints, a bounded
number of requests at a time, each with a timeout.

Only the standard library is used for HTTP. A failed lookup (not found,
timed out, not JSON) is reported for its package and never stops the
others.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime
import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from packaging.utils import canonicalize_name

from openstack_requirements.errors import RequirementsError
from openstack_requirements.model import RequirementsFile
from openstack_requirements.model.versions import parse_version

DEFAULT_INDEX = 'https://pypi.org/pypi'
DEFAULT_DAYS = 14
DEFAULT_TIMEOUT = 20.0
DEFAULT_JOBS = 16
#: The largest answer read (PyPI's largest documents are a few MB).
MAX_ANSWER = 64 * 1024 * 1024
USER_AGENT = 'openstack-requirements what-broke'


@dataclasses.dataclass(frozen=True)
class Release:
    """One release of a package made inside the window."""

    package: str
    version: str
    released: datetime.datetime


@dataclasses.dataclass(frozen=True)
class Failure:
    """A package the index could not tell us about, and why."""

    package: str
    reason: str
    #: The URL asked.
    url: str = ''

    def __str__(self) -> str:
        """One line naming the package and the URL asked."""
        return f'{self.package}: {self.url}: {self.reason}'


@dataclasses.dataclass
class Report:
    releases: list[Release]
    failures: list[Failure]
    checked: int


def json_url(index_url: str, name: str) -> str:
    """The JSON document of ``name`` under ``index_url``.

    ``index_url`` is the base the API lives under (PyPI's is
    ``https://pypi.org/pypi``); a pip-style ``.../simple`` index URL is
    taken to mean the ``.../pypi`` next to it.
    """
    base = index_url.rstrip('/')
    if base.endswith('/simple'):
        base = base[: -len('/simple')] + '/pypi'
    return f'{base}/{urllib.parse.quote(name)}/json'


def package_names(*files: RequirementsFile) -> list[str]:
    """Every package named in ``files``, once, by canonical name, in the
    order first seen."""
    names: dict[str, None] = {}
    for parsed in files:
        for requirement in parsed.requirements():
            if requirement.key:
                names.setdefault(requirement.key)
    return list(names)


def pins(constraints: RequirementsFile) -> dict[str, str]:
    """Canonical name -> the version(s) pinned with ``==``/``===``."""
    found: dict[str, list[str]] = {}
    for requirement in constraints.requirements():
        if not requirement.key:
            continue
        for spec in requirement.specifier:
            if spec.operator in ('==', '==='):
                versions = found.setdefault(requirement.key, [])
                if spec.version not in versions:
                    versions.append(spec.version)
    return {key: ', '.join(versions) for key, versions in found.items()}


def _parse_time(text: str) -> datetime.datetime:
    """An upload time, in UTC (``ValueError`` or ``OverflowError`` for one
    that is not a time or not one UTC can hold, e.g. 9999-12-31T23:00-05:00)."""
    when = datetime.datetime.fromisoformat(text.replace('Z', '+00:00'))
    if when.tzinfo is None:  # the older ``upload_time`` field is UTC
        return when.replace(tzinfo=datetime.UTC)
    return when.astimezone(datetime.UTC)


def releases_since(
    document: Mapping[str, Any], package: str, since: datetime.datetime, *, pre: bool = False
) -> list[Release]:
    """The releases in a JSON API document first uploaded at or after
    ``since``. A release's date is that of its earliest file; yanked
    releases (pip skips them) and, unless ``pre``, pre-releases are left
    out. Raises ``ValueError`` for a document of the wrong shape."""
    releases = document.get('releases')
    if not isinstance(releases, dict):
        raise ValueError('no "releases" mapping in the document')
    found = []
    for version, files in releases.items():
        if not isinstance(files, list) or not files:
            continue  # registered but nothing uploaded
        if all(isinstance(f, dict) and f.get('yanked') for f in files):
            continue
        if not pre:
            # a version that does not read (legacy text, a number too long
            # to convert) is no known pre-release
            parsed = parse_version(version)
            if parsed is not None and parsed.is_prerelease:
                continue
        times = []
        for info in files:
            if not isinstance(info, dict):
                raise ValueError(f'release {version}: a file entry is not an object')
            stamp = info.get('upload_time_iso_8601') or info.get('upload_time')
            if not isinstance(stamp, str):
                raise ValueError(f'release {version}: a file has no upload time')
            try:
                times.append(_parse_time(stamp))
            except (ValueError, OverflowError):
                raise ValueError(f'release {version}: bad upload time {stamp!r}') from None
        first = min(times)
        if first >= since:
            found.append(Release(package, version, first))
    return found


def fetch_json(url: str, timeout: float, max_bytes: int = MAX_ANSWER) -> Any:
    """The JSON document at ``url``; ``LookupError`` with a short reason
    when there is none. The whole answer must come within ``timeout``
    seconds (a wait already begun may add one more ``timeout``: a server
    dripping a byte at a time is cut off) and hold at most ``max_bytes``."""
    deadline = time.monotonic() + timeout
    try:
        request = urllib.request.Request(
            url, headers={'Accept': 'application/json', 'User-Agent': USER_AGENT}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = _read_bounded(response, deadline, timeout, max_bytes)
    except urllib.error.HTTPError as err:
        err.close()  # it holds the error answer's connection
        if err.code == 404:
            raise LookupError('not found on the index (HTTP 404)') from None
        raise LookupError(f'HTTP {err.code} {err.reason}') from None
    except TimeoutError:
        raise LookupError(f'no answer within {timeout:g} s') from None
    except urllib.error.URLError as err:
        reason = err.reason
        if isinstance(reason, TimeoutError):
            raise LookupError(f'no answer within {timeout:g} s') from None
        raise LookupError(f'cannot reach the index: {reason}') from None
    except (OSError, ValueError, http.client.HTTPException) as err:
        # a reset connection, a truncated body, a malformed URL...
        raise LookupError(f'cannot read the answer: {err}') from None
    try:
        return json.loads(body.decode('utf-8'))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise LookupError(f'the answer is not valid JSON ({err})') from None
    except ValueError:  # an integer of more digits than Python converts
        raise LookupError('the answer holds a number too long to read') from None
    except RecursionError:
        raise LookupError('the answer is nested too deeply') from None


def _read_bounded(response: Any, deadline: float, timeout: float, max_bytes: int) -> bytes:
    length = response.headers.get('Content-Length', '').strip()
    # compared as text first: a length of thousands of digits is no number
    # Python converts
    if length.isdigit() and (
        len(length.lstrip('0')) > len(str(max_bytes)) or int(length) > max_bytes
    ):
        shown = f'{int(length):,}' if len(length) <= 30 else (f'a {len(length)}-digit number of')
        raise LookupError(f'the answer is too large ({shown} bytes, at most {max_bytes:,} read)')
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise LookupError(f'no whole answer within {timeout:g} s')
        chunk = response.read1(65536)
        if not chunk:
            return b''.join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise LookupError(f'the answer is too large (more than {max_bytes:,} bytes)')
        chunks.append(chunk)


def _lookup(
    name: str, index_url: str, since: datetime.datetime, timeout: float, pre: bool, max_bytes: int
) -> list[Release]:
    """The releases of one package: each answer handled on its own, a bad
    one is this package's failed lookup and never stops the others."""
    document = fetch_json(json_url(index_url, name), timeout, max_bytes)
    if not isinstance(document, dict):
        raise LookupError('the answer is not a JSON object')
    try:
        return releases_since(document, name, since, pre=pre)
    except (ValueError, OverflowError) as err:
        raise LookupError(f'unexpected JSON document: {err}') from None
    except RecursionError:
        raise LookupError('unexpected JSON document: nested too deeply') from None


def what_broke(
    names: Iterable[str],
    *,
    since: datetime.datetime,
    index_url: str = DEFAULT_INDEX,
    timeout: float = DEFAULT_TIMEOUT,
    jobs: int = DEFAULT_JOBS,
    pre: bool = False,
    max_bytes: int = MAX_ANSWER,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Ask the index about each of ``names`` concurrently (at most
    ``jobs`` at a time); releases newest first."""
    parts = urllib.parse.urlsplit(index_url)
    if parts.scheme not in ('http', 'https') or not parts.netloc:
        raise RequirementsError(f'{index_url}: not an http or https URL of a package index')
    names = list(dict.fromkeys(canonicalize_name(n) for n in names))
    releases: list[Release] = []
    failures: list[Failure] = []
    done = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {
            pool.submit(_lookup, name, index_url, since, timeout, pre, max_bytes): name
            for name in names
        }
        for future in concurrent.futures.as_completed(futures):
            name = futures[future]
            try:
                releases.extend(future.result())
            except LookupError as err:
                failures.append(Failure(name, str(err), json_url(index_url, name)))
            done += 1
            if progress is not None:
                progress(done, len(names))
    releases.sort(key=lambda r: (-r.released.timestamp(), r.package, r.version))
    failures.sort(key=lambda f: f.package)
    return Report(releases, failures, len(names))
