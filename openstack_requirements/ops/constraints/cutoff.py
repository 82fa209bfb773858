"""``--exclude-newer``: a cut-off on upload times, with exempt projects.

A release uploaded after the cut-off is not considered; the cut-off is a
date or time (``2026-11-01``, ``2026-11-01T12:00:00Z``) or a duration
before the run (``7d``: a cool-down). Projects whose canonical name
matches an exempt glob (``oslo-*``) are not cut off: a team's own
releases go in at once.

What is cut off is decided in one place, the index reader
(:class:`.metadata.index.Index` drops the files :meth:`ExcludeNewer.drops`
names): a file of the index whose upload time is after the cut-off, or
unknown (a PEP 503 HTML page gives none), as uv's option of that name
does. A find-links place has no upload times: its files are kept, as uv
keeps them.
"""

from __future__ import annotations

import dataclasses
import datetime
import fnmatch
import re
import shlex
from collections.abc import Iterable, Sequence

from packaging.utils import canonicalize_name

from openstack_requirements.errors import RequirementsError

_DURATION = re.compile(r'^(\d+)([hdw])$')
_UNITS = {'h': 'hours', 'd': 'days', 'w': 'weeks'}
_DATE = re.compile(r'^\d{4}-\d{2}-\d{2}$')
#: How the stated line of a constraints file's header starts.
STATED = '# --exclude-newer '


@dataclasses.dataclass(frozen=True)
class ExcludeNewer:
    #: Files uploaded after it are not considered (aware, UTC, whole
    #: seconds: what is stated is what is used).
    cutoff: datetime.datetime
    #: Globs on canonical names (fnmatch) whose projects are not cut off.
    exempt: tuple[str, ...] = ()
    #: The duration it was given as (``7d``), if it was.
    duration: str | None = None

    @property
    def stamp(self) -> str:
        """The cut-off as uv and the header spell it (RFC 3339, UTC)."""
        return self.cutoff.strftime('%Y-%m-%dT%H:%M:%SZ')

    def is_exempt(self, name: str) -> bool:
        key = canonicalize_name(name)
        return any(fnmatch.fnmatchcase(key, glob) for glob in self.exempt)

    def drops(self, upload_time: str | None) -> bool:
        """Whether an index's file uploaded at ``upload_time`` (PEP 700
        text; None: not given) is cut off."""
        when = parse_upload_time(upload_time)
        return when is None or when > self.cutoff

    def stated(self) -> str:
        """The header line stating the options, so that a reviewer can
        run them again."""
        line = STATED + self.stamp
        if self.duration:
            line += f' ({self.duration} before the run)'
        for glob in self.exempt:
            line += f' --exclude-newer-exempt {shlex.quote(glob)}'
        return line

    def uv_arguments(self, names: Iterable[str]) -> list[str]:
        """uv's options for the cut-off, with each of ``names`` that is
        exempt named exempt."""
        argv = ['--exclude-newer', self.stamp]
        for key in sorted({canonicalize_name(n) for n in names}):
            if self.is_exempt(key):
                argv += ['--exclude-newer-package', f'{key}=false']
        return argv


def parse(
    value: str, exempt: Sequence[str] = (), now: datetime.datetime | None = None
) -> ExcludeNewer:
    """``--exclude-newer VALUE`` (with the ``--exclude-newer-exempt``
    globs): a date (its start, UTC), a time (UTC unless it says
    otherwise) or a duration before ``now`` (``12h``, ``7d``, ``2w``)."""
    text = value.strip()
    duration = _DURATION.match(text)
    if duration:
        now = now or datetime.datetime.now(datetime.UTC)
        delta = datetime.timedelta(**{_UNITS[duration.group(2)]: int(duration.group(1))})
        cutoff = now.astimezone(datetime.UTC) - delta
        return ExcludeNewer(cutoff.replace(microsecond=0), _globs(exempt), text)
    try:
        when = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise RequirementsError(
            f'--exclude-newer {value}: expected a date (2026-11-01), a time '
            '(2026-11-01T12:00:00Z) or a duration (12h, 7d, 2w)'
        ) from None
    if when.tzinfo is None:
        if not _DATE.match(text) and 'T' not in text and ' ' not in text:
            raise RequirementsError(f'--exclude-newer {value}: not a date or time')
        when = when.replace(tzinfo=datetime.UTC)
    return ExcludeNewer(when.astimezone(datetime.UTC).replace(microsecond=0), _globs(exempt), None)


def _globs(exempt: Sequence[str]) -> tuple[str, ...]:
    """The exempt globs, lower-cased and spelt canonically (``oslo.*``
    and ``oslo_*`` are ``oslo-*``, as names are compared canonical)."""
    found = []
    for glob in exempt:
        text = glob.strip()
        if not text or not re.fullmatch(r'[A-Za-z0-9._*?\[\]!-]+', text):
            raise RequirementsError(
                f'--exclude-newer-exempt {glob!r}: expected a glob on project names (oslo-*)'
            )
        spelt = re.sub(r'[-_.]+', '-', text).lower()
        if spelt not in found:
            found.append(spelt)
    return tuple(found)


def parse_upload_time(text: str | None) -> datetime.datetime | None:
    """A PEP 700 ``upload-time`` (ISO 8601, UTC) as an aware datetime
    (None: absent or unreadable)."""
    if not text:
        return None
    try:
        when = datetime.datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    return when


def with_stated(header: str, rule: ExcludeNewer | None) -> str:
    """A constraints file's header with the stated ``--exclude-newer``
    line of this run (after its comment lines), and none of an earlier
    run's."""
    lines = [line for line in header.splitlines(keepends=True) if not line.startswith(STATED)]
    if rule is None:
        return ''.join(lines)
    last = max((i for i, line in enumerate(lines) if line.strip()), default=-1)
    if last >= 0 and not lines[last].endswith('\n'):
        lines[last] += '\n'
    lines.insert(last + 1, rule.stated() + '\n')
    return ''.join(lines)
