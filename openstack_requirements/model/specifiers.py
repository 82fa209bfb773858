"""The canonical order and text of a set of specifiers.

Lower bounds first, then pins and exclusions, then caps; each group by
version: ``foo>=1.0,!=1.5,<2``. The parser hands a requirement its
specifier as text, and most lines are rendered from that text without
building a :class:`SpecifierSet`.
"""

from __future__ import annotations

from packaging.specifiers import Specifier, SpecifierSet
from packaging.version import Version

from openstack_requirements.cache import bounded

OPERATORS = ('===', '~=', '==', '!=', '<=', '>=', '<', '>')

_WEIGHT = {'>=': 0, '>': 0, '===': 1, '==': 1, '~=': 1, '!=': 1, '<': 2, '<=': 2}


def _spec_key(spec: Specifier) -> tuple[int, Version, str, str]:
    return _key_of(spec.operator, spec.version)


@bounded()
def _key_of(operator: str, text: str) -> tuple[int, Version, str, str]:
    try:
        version = Version(text[:-2] if text.endswith('.*') else text)
    except ValueError:  # InvalidVersion, or a number Python will not read
        version = Version('0')
    return (_WEIGHT[operator], version, text, operator)


def sorted_specifiers(specifier: SpecifierSet) -> list[Specifier]:
    """Lower bounds first, then pins and exclusions, then caps; each group
    by version."""
    return sorted(specifier, key=_spec_key)


def render_specifier(specifier: SpecifierSet) -> str:
    """Canonical text of ``specifier``; a repeated item is written once."""
    return ','.join(str(s) for s in dict.fromkeys(sorted_specifiers(specifier)))


@bounded()
def render_specifier_text(text: str) -> str | None:
    """:func:`render_specifier` of ``SpecifierSet(text)`` without building
    it, for text the parser took (each item an operator and a valid
    version); ``None`` when two items may mean the same (then the set
    decides which are repeats)."""
    items = []
    for item in text.split(','):
        item = item.strip()
        if item:
            operator = next((op for op in OPERATORS if item.startswith(op)), None)
            if operator is None:
                return None
            items.append((operator, item[len(operator) :].strip()))
    if len(items) < 2:
        return ''.join(op + version for op, version in items)
    keys = [_key_of(op, version) for op, version in items]
    if len({(key[3], key[1]) for key in keys}) < len(keys):
        return None
    return ','.join(key[3] + key[2] for key in sorted(keys))
