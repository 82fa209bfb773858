"""Resolutions reused when nothing they read has changed.

A uv resolution is a function of what it is given: the input, the
target Python, the options, the tools (uv, and this code, which writes
what uv is told) and what the index serves. Files on an index never
change (a new release is a new file, named on the page with its hash);
pages do. So a session keeps, in the uv cache directory, each outcome of
its resolutions (the pins and what goes with them, or uv's verdict that
there is no solution) together with the digest of every index page the
session read (:mod:`..metadata.served`). A later session with the same
inputs first reads those pages again, all at once, each once; if every
one is served byte for byte the same, the outcomes it was asked for are
handed back without running uv, and the run says so. If any page
changed (a release was made, a file yanked), nothing is reused: the run
resolves as if no record were kept, from the pages it has just read. A
page is never older than the run either way.

Nothing is kept or reused for a run that does not read all its pages
itself: a local (``file:``) index or find-links places, which uv reads
directly, or ``--exclude-newer`` given as a duration (a cut-off that
moves with the clock). ``--no-reuse`` resolves anew.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from openstack_requirements.cache import bounded
from openstack_requirements.errors import RequirementsError
from openstack_requirements.ops.constraints.resolvers.base import ResolverOptions, Target

#: The record's format; another is not read.
FORMAT = 1
#: Records kept in the cache (the oldest are removed).
KEPT = 16
#: How uv says that the requirements cannot be met together: the only
#: failure kept (any other may be passing, e.g. a network error).
VERDICT = 'No solution found'


@bounded(1)
def code_fingerprint() -> str:
    """A digest of this code that tells uv what to do (the constraints
    operations): a change to it is a change of tool."""
    found = hashlib.sha256()
    root = Path(__file__).resolve().parents[1]
    for path in sorted(root.rglob('*.py')):
        found.update(str(path.relative_to(root)).encode() + b'\0')
        found.update(path.read_bytes())
    return found.hexdigest()


def tool_fingerprint(uv: str) -> str:
    """This code and the uv binary (its path, size and time)."""
    info = os.stat(uv)
    return f'{code_fingerprint()} {uv} {info.st_size}:{info.st_mtime_ns}'


def session_key(
    options: ResolverOptions,
    pythons: Sequence[Target],
    index_url: str | None,
    uv: str,
    requirements: bytes | None = None,
) -> str | None:
    """The key of a session's record: its options, targets, tools and
    input (if it has one); None when nothing may be kept (see above)."""
    cutoff = options.exclude_newer
    if (
        not options.reuse
        or options.no_index
        or options.find_links
        or not index_url
        or not index_url.startswith(('http://', 'https://'))
        or (cutoff is not None and cutoff.duration)
    ):
        return None
    described = [
        FORMAT,
        tool_fingerprint(uv),
        sys.version,
        index_url,
        options.allow_build,
        options.resolution,
        options.pylock,
        None if cutoff is None else [cutoff.stamp, list(cutoff.exempt)],
        [[t.python, t.release, t.interpreter] for t in pythons],
        None if requirements is None else hashlib.sha256(requirements).hexdigest(),
    ]
    return hashlib.sha256(json.dumps(described).encode()).hexdigest()


def resolution_key(requirements: bytes, python: str) -> str:
    """The key of one resolution's outcome within a session's record."""
    return hashlib.sha256(python.encode() + b'\0' + requirements).hexdigest()


class Replay:
    """The record of one session key: the one kept (if any) and the one
    this session makes."""

    def __init__(self, directory: Path | None, key: str | None) -> None:
        self.path = directory / f'{key}.json' if directory and key else None
        #: The record's text as read (what saving it replaces), and its
        #: content if it is a record of this format.
        self._text = _text(self.path) if self.path is not None else None
        self._kept = _parse(self._text) if self._text is not None else None
        #: Whether the kept outcomes may be handed back (:meth:`check`).
        self.live = False
        #: Outcomes this session knows: kept ones that are live, and new.
        self.outcomes: dict[str, dict[str, Any]] = {}
        #: Outcomes handed back this session.
        self.reused = 0

    @property
    def made(self) -> str:
        """When the kept record was made ('' if none)."""
        return str((self._kept or {}).get('made', ''))

    @property
    def pages(self) -> Mapping[str, str]:
        """The pages the kept record read, and their digests."""
        found: Mapping[str, str] = (self._kept or {}).get('pages', {})
        return found

    def check(
        self,
        read_ahead: Callable[[Iterable[str]], Mapping[str, str | None]],
        needed: Iterable[str] = (),
    ) -> bool:
        """Read the kept record's pages (``read_ahead(keys)`` gives their
        digests now) and make its outcomes live if each page is unchanged
        and every ``needed`` outcome is there."""
        if self._kept is None:
            return False
        outcomes = self._kept.get('outcomes', {})
        if any(k not in outcomes for k in needed) or not self.pages:
            return False
        now = read_ahead(self.pages.keys())
        if any(now.get(k) != digest for k, digest in self.pages.items()):
            return False
        self.live = True
        self.outcomes.update(outcomes)
        return True

    def outcome(self, key: str) -> dict[str, Any] | None:
        found = self.outcomes.get(key) if self.live else None
        if found is not None:
            self.reused += 1
        return found

    def keep(self, key: str, outcome: dict[str, Any]) -> None:
        self.outcomes[key] = outcome

    def save(self, digests: Mapping[str, str]) -> None:
        """Keep this session's outcomes with the digests of every page
        it read (a cache: a failure to write is not the run's)."""
        if self.path is None or not self.outcomes:
            return
        from openstack_requirements.ops import files

        made = datetime.datetime.now(datetime.UTC).strftime('%Y-%m-%d %H:%M UTC')
        text = json.dumps(
            {
                'format': FORMAT,
                'made': made,
                'pages': dict(sorted(digests.items())),
                'outcomes': self.outcomes,
            },
            sort_keys=True,
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        changes = files.Changeset()
        changes.add(self.path, self._text, text + '\n')
        try:
            changes.write()
        except (RequirementsError, OSError):
            return
        _prune(self.path.parent)


def _text(path: Path) -> str | None:
    try:
        return path.read_text(encoding='utf-8')
    except (OSError, UnicodeDecodeError):
        return None


def _parse(text: str) -> dict[str, Any] | None:
    try:
        found = json.loads(text)
    except ValueError:
        return None
    if not isinstance(found, dict) or found.get('format') != FORMAT:
        return None
    if not isinstance(found.get('pages'), dict) or not isinstance(found.get('outcomes'), dict):
        return None
    return found


def _prune(directory: Path) -> None:
    """Remove all but the :data:`KEPT` newest records."""
    try:
        records = sorted(directory.glob('*.json'), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for old in records[KEPT:]:
        try:
            old.unlink()
        except OSError:
            pass
