"""Versions, specifiers and markers: the helpers every layer shares, once.

Parsing a version or a marker is what a large run spends its time on, and
the same few texts come back many times; each is parsed once, in bounded
caches, so a long-running process does not grow without end.

A *lower bound* is an item that rules out every version below some
version: ``>=`` and ``>`` state one, and a pin (``==``, ``===``) or a
compatible release (``~=``) implies one. :data:`STATED_LOWER` and
:data:`IMPLIED_LOWER` are the one definition the checks and the sync use.
"""

from __future__ import annotations

from collections.abc import Iterable

from packaging.markers import Marker
from packaging.specifiers import Specifier, SpecifierSet
from packaging.version import Version

from openstack_requirements.cache import bounded

#: Operators that state a lower bound.
STATED_LOWER = ('>=', '>')
#: Operators that imply one: ``>=`` their version.
IMPLIED_LOWER = ('~=', '==', '===')
#: Every operator giving a lower bound.
LOWER = STATED_LOWER + IMPLIED_LOWER
#: Operators that cap versions from above.
CAPS = ('<', '<=')


@bounded()
def parse_version(text: str) -> Version | None:
    """``text`` as a version (a ``.*`` suffix dropped); ``None`` when it is
    none (legacy text, or a number Python will not read)."""
    try:
        return Version(text.removesuffix('.*'))
    except ValueError:  # InvalidVersion, or a number too long to read
        return None


def version_key(text: str) -> tuple[int, Version | str]:
    """A sort key: versions compare as versions, anything else after them."""
    version = parse_version(text)
    return (0, version) if version is not None else (1, text)


def has_lower_bound(specifier: Iterable[Specifier]) -> bool:
    """Whether any item states or implies a lower bound."""
    return any(s.operator in LOWER for s in specifier)


@bounded()
def _implied(text: str) -> Specifier | None:
    try:
        return Specifier('>=' + text)
    except ValueError:
        return None


def lower_bound(specifier: Iterable[Specifier]) -> Specifier | None:
    """The strictest lower bound ``specifier`` states or implies, as the
    ``>=``/``>`` item that states it (a pin or ``~=`` implies ``>=`` its
    version); items whose version is none are passed over."""
    best: Specifier | None = None
    best_rank: tuple[Version, bool] | None = None
    for spec in specifier:
        if spec.operator in STATED_LOWER:
            bound: Specifier | None = spec
        elif spec.operator in IMPLIED_LOWER:
            bound = _implied(spec.version.removesuffix('.*'))
        else:
            continue
        version = parse_version(bound.version) if bound is not None else None
        if bound is None or version is None:
            continue
        rank = (version, bound.operator == '>')
        if best_rank is None or rank > best_rank:
            best, best_rank = bound, rank
    return best


def as_set(items: Iterable[Specifier]) -> SpecifierSet:
    return SpecifierSet(','.join(str(s) for s in items))


@bounded()
def normal_marker(text: str) -> str:
    """A marker in packaging's normal spelling (spaces, double quotes), to
    compare markers by meaning; ``''`` for none. A marker that does not
    parse raises packaging's ``InvalidMarker``."""
    return str(Marker(text)) if text else ''


def marker_environment(python: str, extra: str = '') -> dict[str, str]:
    """The marker variables of CPython ``python`` (``3.12``) on Linux, as
    the constraints are made for it; ``extra`` for the extras requested."""
    return {
        'python_version': python,
        'python_full_version': f'{python}.0',
        'implementation_version': f'{python}.0',
        'sys_platform': 'linux',
        'platform_system': 'Linux',
        'os_name': 'posix',
        'platform_machine': 'x86_64',
        'implementation_name': 'cpython',
        'platform_python_implementation': 'CPython',
        'extra': extra,
    }
