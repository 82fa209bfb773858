"""Debian version numbers, compared as dpkg compares them
(:func:`compare`, :func:`sort_key`) and read as Python versions
(:func:`python_version`) to be set beside the global list's.

A version is ``[EPOCH:]UPSTREAM[-REVISION]``. dpkg compares the epochs as
numbers, then the upstream parts, then the revisions, each a run of
non-digits compared character by character (``~`` before the end, the end
before letters, letters before anything else) then a run of digits
compared as a number, in turn.
"""

from __future__ import annotations

import re

from packaging.version import Version

from openstack_requirements.cache import bounded
from openstack_requirements.model.versions import parse_version


class VersionError(ValueError):
    """A version dpkg refuses."""


def split(version: str) -> tuple[int, str, str]:
    """``[EPOCH:]UPSTREAM[-REVISION]`` as ``(epoch, upstream, revision)``:
    the epoch before the first colon, the revision after the last hyphen
    (``''`` when none). Raises :class:`VersionError` where dpkg refuses the
    version (it only warns about odd characters; so does nothing here)."""
    text = version.strip()
    if not text:
        raise VersionError('empty version')
    if any(c.isspace() for c in text):
        raise VersionError(f'version {text!r} has embedded spaces')
    epoch = 0
    if ':' in text:
        head, _, text = text.partition(':')
        if not (head.isascii() and head.isdigit()):
            raise VersionError(f'epoch {head!r} of {version!r} is not a number')
        if not text:
            raise VersionError(f'nothing after the colon in {version!r}')
        epoch = int(head)
    upstream, hyphen, revision = text.rpartition('-')
    if not hyphen:
        upstream, revision = text, ''
    elif not revision:
        raise VersionError(f'empty revision in {version!r}')
    if not upstream:
        raise VersionError(f'empty upstream version in {version!r}')
    return epoch, upstream, revision


_PART = re.compile(r'(\D*)(\d*)')
#: dpkg's order of the characters outside digit runs: ``~`` before the
#: end of the part, the end before letters, letters before anything else.
_ORDER = {chr(c): (c if chr(c).isascii() and chr(c).isalpha() else c + 256) for c in range(128)}
_ORDER['~'] = -1
_Key = tuple[tuple[int, ...] | int, ...]


def _part_key(text: str) -> _Key:
    """A key ordering ``text`` (an upstream version or a revision) as
    dpkg's ``verrevcmp`` does: alternating non-digit runs (each ended by a
    0, the order of the end) and digit runs as numbers, then a final end;
    an empty text is as ``0``."""
    key: list[tuple[int, ...] | int] = []
    pos = 0
    while pos < len(text):
        match = _PART.match(text, pos)
        assert match is not None
        letters, digits = match.groups()
        key.append((*(_ORDER.get(c, ord(c) + 256) for c in letters), 0))
        key.append(int(digits) if digits else 0)
        pos = match.end()
    if not key:
        key = [(0,), 0]
    key.append((0,))
    return tuple(key)


@bounded()
def sort_key(version: str) -> tuple[int, _Key, _Key]:
    """A key under which versions sort as dpkg sorts them."""
    epoch, upstream, revision = split(version)
    return epoch, _part_key(upstream), _part_key(revision)


def compare(a: str, b: str) -> int:
    """-1, 0 or 1 as ``a`` is older than, equal to, or newer than ``b``
    (``dpkg --compare-versions``)."""
    key_a, key_b = sort_key(a), sort_key(b)
    return (key_a > key_b) - (key_a < key_b)


_RELEASE = re.compile(r'\d+(?:\.\d+)*')


@bounded()
def python_version(version: str) -> Version | None:
    """The upstream part of a Debian version as a Python version, or
    ``None`` when it reads as none.

    The epoch and the Debian revision (with a ``+b1`` rebuild suffix) are
    Debian's own; ``2.0+really1.9`` is ``1.9``; anything after ``+`` is a
    repack or a snapshot (``+dfsg``, ``+ds1``, ``+git20240101``) of the
    version before it; ``~`` marks a pre-release (``1.2~rc1`` is
    ``1.2rc1``; ``1.2~git5`` and ``1.2~20240101`` are below ``1.2``:
    ``1.2.dev0``); a version Python cannot read is read as its leading
    release numbers."""
    try:
        _, upstream, _ = split(version)
    except VersionError:
        return None
    upstream = upstream.rpartition('+really')[2].partition('+')[0]
    before, tilde, after = upstream.partition('~')
    found = parse_version(before + after if after[:1].isalpha() or not tilde else '')
    if found is not None:
        return found
    release = _RELEASE.match(before)
    if release is None:
        return None
    return parse_version(release.group() + ('.dev0' if tilde else ''))
