"""How the requirements-check job compares a project's package names with
the global list's: by the rule of the requirements branch it runs from.

The job matches a project line with a global entry by the package name
as each file spells it, not by the canonical name pip uses. Which
spelling counts changed with the parser the job uses:

* ``pkg_resources`` (master until 2025-10-27; the unmaintained branches
  and every series before 2025.1): the names are equal once each run of
  characters other than letters, digits and ``.`` is one ``-``
  (``prometheus_client`` is ``prometheus-client``; case and dots count);
* ``written`` (master since 2025-10-27, stable/2025.1 since 2026-02-17,
  stable/2025.2 since 2026-02-10, and every later series): the names are
  equal as written.

Zuul checks the requirements repository out at the change's branch, or
at master when it has no such branch: so master's rule holds for any
branch but a release series' (``stable/X`` or ``unmaintained/X``).
"""

from __future__ import annotations

import re

WRITTEN = 'written'
PKG_RESOURCES = 'pkg_resources'
RULES = (WRITTEN, PKG_RESOURCES)

#: The first release series whose requirements branch compares names as
#: written.
WRITTEN_SINCE = (2025, 1)

_SERIES_RE = re.compile(r'^(?:stable|unmaintained)/(?:(?P<year>\d{4})\.(?P<n>\d+)|[a-z]+)$')
_UNSAFE_RE = re.compile(r'[^A-Za-z0-9.]+')


def rule_for(branch: str) -> str:
    """The rule of the requirements branch the job runs from for a change
    to ``branch``."""
    match = _SERIES_RE.match(branch)
    if match is None:
        return WRITTEN  # master, main, a feature branch: master's code
    if match['year'] is None:
        return PKG_RESOURCES  # a series named by a word: before 2023.1
    series = (int(match['year']), int(match['n']))
    return WRITTEN if series >= WRITTEN_SINCE else PKG_RESOURCES


def safe_name(name: str) -> str:
    """``name`` as ``pkg_resources`` spelt it: each run of characters
    other than letters, digits and ``.`` made one ``-``."""
    return _UNSAFE_RE.sub('-', name)


def same(local: str, remote: str, rule: str) -> bool:
    """Whether the job takes ``local`` for the global name ``remote``."""
    if rule == PKG_RESOURCES:
        return safe_name(local) == safe_name(remote)
    return local == remote
