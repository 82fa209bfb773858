"""Specifiers compared as version sets, not as text.

``!=1.4`` and ``!=1.4.0`` exclude the same version; a cap ``<2.0`` is
implied by a stricter global cap ``<1.36``. These helpers answer "does the
global entry exclude every version the local one excludes?".
"""

from __future__ import annotations

from packaging.specifiers import Specifier, SpecifierSet
from packaging.version import Version

from openstack_requirements.model.versions import parse_version

EXCLUDING = ('!=', '<', '<=', '~=', '==', '===')


def exclusions(specifier: SpecifierSet) -> list[Specifier]:
    """The items of ``specifier`` that exclude versions from above or from
    the middle: ``!=``, caps, and the implied cap of ``~=`` or a pin."""
    return [s for s in specifier if s.operator in EXCLUDING]


def _excluded(version: Version, global_set: SpecifierSet) -> bool:
    return not global_set.contains(version, prereleases=True)


def covered(local: Specifier, global_set: SpecifierSet) -> bool:
    """Whether every version ``local`` excludes is excluded by
    ``global_set`` as well."""
    op, text = local.operator, local.version
    wildcard = text.endswith('.*')
    version = parse_version(text[:-2] if wildcard else text)
    if version is None:  # legacy text: only the same text covers it
        return any(str(s) == str(local) for s in global_set)
    if op == '!=':
        if not wildcard:
            return _excluded(version, global_set)
        # !=1.4.*: the prefix, a late micro release and a pre-release of it
        prefix = version.release
        probes = [
            version,
            Version('.'.join(map(str, prefix)) + '.99999'),
            Version('.'.join(map(str, prefix)) + '.0rc1'),
        ]
        return all(_excluded(v, global_set) for v in probes)
    caps = [
        (s.operator, cap)
        for s in global_set
        if s.operator in ('<', '<=') and (cap := parse_version(s.version)) is not None
    ]
    bound = version
    if op in ('~=', '==', '==='):
        # the implied cap: everything above the compatible or pinned release
        if op == '~=' and len(version.release) > 1:
            release = list(version.release[:-1])
            release[-1] += 1
            bound = Version('.'.join(map(str, release)))
        elif op == '==' and wildcard:
            release = list(version.release)
            release[-1] += 1
            bound = Version('.'.join(map(str, release)))
        else:
            return any(c <= version for _, c in caps) or any(
                s.operator in ('==', '===') and str(s) == str(local) for s in global_set
            )
        op = '<'
    for cap_op, cap in caps:
        # local <V excludes [V, oo); local <=V excludes (V, oo)
        if cap_op == '<' and cap <= bound:
            return True
        if cap_op == '<=' and (cap < bound if op == '<' else cap <= bound):
            return True
    return False


def uncovered(local: SpecifierSet, global_set: SpecifierSet) -> list[Specifier]:
    """The local exclusions the global entry does not make."""
    return [s for s in exclusions(local) if not covered(s, global_set)]
