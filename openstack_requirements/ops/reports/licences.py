"""Licences as the global list's comments and the packages' metadata
name them, compared by family.

The global list's comment names a licence loosely (``MIT License``,
``BSD``, ``Apache-2.0``); a release declares one by ``License-Expression``
(SPDX, normalised by :mod:`packaging.licenses`), else by trove
classifiers (``License :: OSI Approved :: MIT License``). Both become a
set of families (``MIT``, ``BSD``, ``Apache``...); they agree when the
sets meet. A text naming no known licence agrees with anything.
"""

from __future__ import annotations

import re

from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

#: Loose names and classifier names -> a family.
_NAMES = {
    'mit': 'MIT',
    'mit license': 'MIT',
    'mit-cmu': 'MIT',
    'expat': 'MIT',
    'bsd': 'BSD',
    'bsd license': 'BSD',
    'new bsd': 'BSD',
    'modified bsd': 'BSD',
    'apache': 'Apache',
    'apache license': 'Apache',
    'apache software license': 'Apache',
    'asl': 'Apache',
    'asl 2.0': 'Apache',
    'apache license, version 2.0': 'Apache',
    'apache 2.0': 'Apache',
    'psf': 'PSF',
    'python software foundation license': 'PSF',
    'psfl': 'PSF',
    'lgpl': 'LGPL',
    'gpl': 'GPL',
    'mpl': 'MPL',
    'isc': 'ISC',
    'isc license': 'ISC',
    'isc license (iscl)': 'ISC',
    'zpl': 'ZPL',
    'zope public license': 'ZPL',
    'public domain': 'Public-Domain',
    'the unlicense (unlicense)': 'Unlicense',
    'mozilla public license 2.0 (mpl 2.0)': 'MPL',
    'gnu lesser general public license v2 or later (lgplv2+)': 'LGPL',
    'gnu lesser general public license v3 (lgplv3)': 'LGPL',
    'gnu library or lesser general public license (lgpl)': 'LGPL',
    'gnu general public license v2 (gplv2)': 'GPL',
    'gnu general public license v3 (gplv3)': 'GPL',
    'historical permission notice and disclaimer (hpnd)': 'HPND',
    'academic free license (afl)': 'AFL',
}
_SPDX_FAMILY = re.compile(
    r'^(LGPL|AGPL|GPL|MPL|BSD|Apache|ZPL|PSF|AFL|HPND|ISC|MIT|'
    r'Unlicense|CC0|EPL|OpenSSL|Python)',
    re.IGNORECASE,
)
_FAMILY_NAMES = {'python': 'PSF', 'cc0': 'Public-Domain', 'unlicense': 'Public-Domain'}
_SPLIT = re.compile(r'\s+(?:AND|OR|WITH)\s+|[()]', re.IGNORECASE)


def _family(name: str) -> str | None:
    text = name.strip().strip('.').strip()
    if not text:
        return None
    loose = _NAMES.get(text.lower())
    if loose:
        return loose
    match = _SPDX_FAMILY.match(text)
    if match:
        found = match.group(1)
        return _FAMILY_NAMES.get(found.lower(), _NAMES.get(found.lower(), found))
    return None


def families(text: str) -> frozenset[str]:
    """The licence families ``text`` names: an SPDX expression, a loose
    name or a classifier's last part."""
    text = text.strip().lstrip('#').strip()
    try:
        text = canonicalize_license_expression(text)
    except InvalidLicenseExpression:
        pass
    found = {_family(text)}
    if None in found:
        found = {_family(part) for part in _SPLIT.split(text)}
    for part in re.split(r'\s*[/,;]\s*|\s+or\s+', text, flags=re.IGNORECASE):
        found.add(_family(part))
    return frozenset(f for f in found if f)


def declared(expression: str | None, classifiers: list[str]) -> str | None:
    """What a release declares: its License-Expression, else its licence
    classifiers' names joined by ``OR`` (None: nothing)."""
    if expression and expression.strip():
        return expression.strip()
    names = [
        c.split('::')[-1].strip()
        for c in classifiers
        if c.startswith('License ::') and c.count('::') >= 2
    ]
    names = [n for n in names if n != 'OSI Approved']
    return ' OR '.join(names) or None


def agree(listed: str, release: str) -> bool:
    """Whether the global list's licence and the release's meet (a text
    naming no known family agrees)."""
    ours, theirs = families(listed), families(release)
    return not ours or not theirs or bool(ours & theirs)
