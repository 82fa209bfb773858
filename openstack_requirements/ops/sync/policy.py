"""The merge policy: the specifiers a synced line states.

Stated once here, in :func:`merge`, and once in the user guide
(``doc/source/user/jobs.rst``, "The merge policy"):

* ``merge`` (the default):

  - a global entry that pins (``==``, ``===``) or uses ``~=`` is taken as
    it stands;
  - otherwise the higher lower bound of the project's and the global one's
    wins, and exclusions and caps come from the global list (an exclusion
    below the lower bound excludes nothing and is left out);
  - a project minimum the global list excludes (``>=1.4.0`` against
    ``!=1.4.0``) is kept as the project wrote it, the exclusion added as on
    any other line (``>=1.4.0,!=1.4.0``: 1.4.0's post-releases stay
    admitted), and reported on a row of its own as advice; a minimum above
    a global cap is dropped for the global lower bound, if any;

* ``exact``: the global specifiers replace the project's.

Markers come from the global line, except that the one line of an entry
paired with one global line without a marker keeps its own marker when the
checks accept it there (a Python 3 version marker, ``python_version>='3.12'``).

Either way a changed line keeps the project's name, extras, comment and
the whitespace before it: only the specifier and marker text change. An
edited line without a comment takes the global one (not in
``pyproject.toml``, whose requirement strings cannot hold a comment).
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterable, Sequence

from packaging.specifiers import Specifier
from packaging.utils import canonicalize_version
from packaging.version import Version

from openstack_requirements.cache import Table
from openstack_requirements.model.versions import (
    CAPS,
    STATED_LOWER,
    lower_bound,
    parse_version,
)


class Policy(enum.Enum):
    MERGE = 'merge'
    EXACT = 'exact'


#: A global entry using one of these is taken as it stands.
_AS_STATED = ('==', '===', '~=')

# Comparing specifiers dominates a large sync: each distinct text is
# compared once.
_CANONICAL: Table[str, tuple[str, str]] = Table()


def _version(spec: Specifier) -> Version | None:
    return parse_version(spec.version)


@dataclasses.dataclass(frozen=True)
class Merge:
    """What a synced line states: its specifiers, and the project minimum
    the global list excludes (``None`` when there is none)."""

    specifiers: tuple[Specifier, ...]
    excluded_minimum: Specifier | None = None
    #: The bound written for :attr:`excluded_minimum` (``None``: dropped).
    written_minimum: Specifier | None = None


def merge(project: Iterable[Specifier], global_: Iterable[Specifier], policy: Policy) -> Merge:
    """The merge policy: the specifiers a synced line states, from the
    project's and the global entry's (see the module's docstring)."""
    global_items = tuple(global_)
    if policy is Policy.EXACT or any(s.operator in _AS_STATED for s in global_items):
        return Merge(global_items)
    rest = [s for s in global_items if s.operator not in STATED_LOWER]
    theirs = lower_bound(s for s in global_items if s.operator in STATED_LOWER)
    ours = lower_bound(project)
    lower, excluded, written = theirs, None, None
    if ours is not None and (theirs is None or _stricter(ours, theirs)):
        refused = _refusing(ours, rest)
        if refused:
            excluded = ours
        if any(s.operator in CAPS for s in refused):
            lower = theirs  # no version could satisfy both: dropped
        else:
            lower = written = ours
    if lower is None:
        return Merge(tuple(rest), excluded, written)
    return Merge((lower, *(s for s in rest if not _below(s, lower))), excluded, written)


def _refusing(minimum: Specifier, rest: Sequence[Specifier]) -> list[Specifier]:
    """The global exclusions and caps that refuse the version a ``>=V``
    minimum names."""
    if minimum.operator != '>=':
        return []
    version = _version(minimum)
    if version is None:
        return []
    return [s for s in rest if not s.contains(version, prereleases=True)]


def _below(exclusion: Specifier, lower: Specifier) -> bool:
    """Whether ``exclusion`` (``!=V``) excludes only versions ``lower``
    already rules out: merge drops such vacuous exclusions."""
    if exclusion.operator != '!=' or exclusion.version.endswith('.*'):
        return False
    version, bound = _version(exclusion), _version(lower)
    if version is None or bound is None:
        return False
    return version < bound or (version == bound and lower.operator == '>')


def _stricter(a: Specifier, b: Specifier) -> bool:
    va, vb = _version(a), _version(b)
    if va is None or vb is None:
        return False
    return (va, a.operator == '>') > (vb, b.operator == '>')


def _effective(items: list[Specifier]) -> list[Specifier]:
    """``items`` without the exclusions their lower bound makes vacuous."""
    if not any(s.operator == '!=' for s in items):
        return items
    lower = lower_bound(items)
    if lower is None:
        return items
    return [s for s in items if not _below(s, lower)]


def _canonical(spec: Specifier) -> tuple[str, str]:
    """What :class:`Specifier` equality compares, computed once a text."""
    text = str(spec)
    key = _CANONICAL.get(text)
    if key is None:
        key = (
            spec.operator,
            canonicalize_version(spec.version, strip_trailing_zero=spec.operator != '~='),
        )
        _CANONICAL.put(text, key)
    return key


def equal_specifiers(a: Iterable[Specifier], b: Iterable[Specifier], policy: Policy) -> bool:
    first, second = list(a), list(b)
    if policy is Policy.MERGE:
        first, second = _effective(first), _effective(second)
    if {str(s) for s in first} == {str(s) for s in second}:
        return True
    return {_canonical(s) for s in first} == {_canonical(s) for s in second}
