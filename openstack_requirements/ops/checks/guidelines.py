"""The review guidelines for the global list, as checks.

From the requirements team's review guide: prefer no caps, keep a licence
comment on every line, and accept Apache, BSD, MIT, PSF or LGPL licences;
GPL and AGPL are refused; anything else needs a reviewer's look.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from openstack_requirements.ops.checks.base import DATA, ERROR, WARNING, Check, Finding
from openstack_requirements.ops.checks.context import Context

ACCEPTED = re.compile(
    r'apache|\bbsd|\bmit\b|\bpsf\b|python software foundation|lgpl|'
    r'lesser general public', re.IGNORECASE)
REFUSED = re.compile(r'(?<![l])\bgpl|agpl|(?<!lesser )general public licen[cs]e',
                     re.IGNORECASE)


def licence_verdict(comment: str) -> str:
    """``'accepted'``, ``'refused'`` or ``'review'`` for a licence comment.

    A dual licence is accepted when one of its licences is."""
    text = comment.lstrip('#').strip()
    if ACCEPTED.search(text):
        return 'accepted'
    if REFUSED.search(text):
        return 'refused'
    return 'review'


class NoCaps(Check):
    name = 'no-caps'
    description = 'the global list caps no versions (a cap needs a reason)'
    scope = DATA
    severity = WARNING

    def check(self, context: Context) -> Iterable[Finding]:
        if context.global_reqs is None:
            return
        for line in context.global_reqs.requirement_lines():
            req = line.requirement
            assert req is not None
            caps = [str(s) for s in req.specifier
                    if s.operator in ('<', '<=', '~=', '==', '===')]
            if caps:
                yield self.finding(context.global_reqs.label, line.lineno, req.name,
                                   f'version cap {",".join(caps)}')


class NoBareNames(Check):
    name = 'no-bare-names'
    description = 'every global entry states a minimum version (2015-era policy)'
    scope = DATA
    severity = WARNING
    default = False

    def check(self, context: Context) -> Iterable[Finding]:
        if context.global_reqs is None:
            return
        for line in context.global_reqs.requirement_lines():
            req = line.requirement
            assert req is not None
            if not req.url and not any(s.operator in ('>=', '>', '~=', '==', '===')
                                       for s in req.specifier):
                yield self.finding(context.global_reqs.label, line.lineno, req.name,
                                   'bare name: no minimum version')


class LicenceComment(Check):
    name = 'licence-comment'
    description = 'every global entry carries a licence comment'
    scope = DATA

    def check(self, context: Context) -> Iterable[Finding]:
        if context.global_reqs is None:
            return
        for line in context.global_reqs.requirement_lines():
            if not line.comment.lstrip('#').strip():
                yield self.finding(context.global_reqs.label, line.lineno,
                                   line.requirement.name,  # type: ignore[union-attr]
                                   'no licence comment')


class LicencePolicy(Check):
    name = 'licence-policy'
    description = ('Apache, BSD, MIT, PSF, LGPL accepted; GPL, AGPL refused; '
                   'other licences flagged for review')
    scope = DATA
    severity = ERROR

    def check(self, context: Context) -> Iterable[Finding]:
        if context.global_reqs is None:
            return
        for line in context.global_reqs.requirement_lines():
            comment = line.comment.lstrip('#').strip()
            if not comment:
                continue  # licence-comment reports it
            verdict = licence_verdict(comment)
            name = line.requirement.name  # type: ignore[union-attr]
            if verdict == 'refused':
                yield self.finding(context.global_reqs.label, line.lineno, name,
                                   f'licence refused: {comment}')
            elif verdict == 'review':
                yield self.finding(context.global_reqs.label, line.lineno, name,
                                   f'licence needs review: {comment}',
                                   severity=WARNING)
