"""The review guidelines for the global list, as checks.

From the requirements team's review guide: prefer no caps, keep a licence
comment on every line, and accept Apache, BSD, MIT, PSF or LGPL licences;
GPL and AGPL are refused; anything else needs a reviewer's look.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from openstack_requirements.model import Line, Requirement
from openstack_requirements.model.versions import has_lower_bound
from openstack_requirements.ops.checks.base import DATA, ERROR, WARNING, Finding, LineCheck
from openstack_requirements.ops.checks.context import Context

ACCEPTED = re.compile(
    r'apache|\bbsd|\bmit\b|\bpsf\b|python software foundation|lgpl|'
    r'lesser general public',
    re.IGNORECASE,
)
REFUSED = re.compile(r'(?<![l])\bgpl|agpl|(?<!lesser )general public licen[cs]e', re.IGNORECASE)


def licence_verdict(comment: str) -> str:
    """``'accepted'``, ``'refused'`` or ``'review'`` for a licence comment.

    A dual licence is accepted when one of its licences is."""
    text = comment.lstrip('#').strip()
    if ACCEPTED.search(text):
        return 'accepted'
    if REFUSED.search(text):
        return 'refused'
    return 'review'


class NoCaps(LineCheck):
    name = 'no-caps'
    description = 'the global list caps no versions (a cap needs a reason)'
    scope = DATA
    needs = ('global_reqs',)
    severity = WARNING
    over = 'global'

    def problems(self, context: Context, line: Line, req: Requirement) -> Iterable[str]:
        caps = [str(s) for s in req.specifier if s.operator in ('<', '<=', '~=', '==', '===')]
        if caps:
            yield f'version cap {",".join(caps)}'


class NoBareNames(LineCheck):
    name = 'no-bare-names'
    description = 'every global entry states a minimum version (2015-era policy)'
    scope = DATA
    needs = ('global_reqs',)
    severity = WARNING
    default = False
    over = 'global'

    def problems(self, context: Context, line: Line, req: Requirement) -> Iterable[str]:
        if not req.url and not has_lower_bound(req.specifier):
            yield 'bare name: no minimum version'


class LicenceComment(LineCheck):
    name = 'licence-comment'
    description = 'every global entry carries a licence comment'
    scope = DATA
    over = 'global'
    needs = ('global_reqs',)

    def problems(self, context: Context, line: Line, req: Requirement) -> Iterable[str]:
        if not line.comment.lstrip('#').strip():
            yield 'no licence comment'


class LicencePolicy(LineCheck):
    name = 'licence-policy'
    description = (
        'Apache, BSD, MIT, PSF, LGPL accepted; GPL, AGPL refused; '
        'other licences flagged for review'
    )
    scope = DATA
    needs = ('global_reqs',)
    severity = ERROR
    over = 'global'

    def check_line(self, context: Context, label: str, line: Line) -> Iterable[Finding]:
        comment = line.comment.lstrip('#').strip()
        if not comment:
            return  # licence-comment reports it
        verdict = licence_verdict(comment)
        name = line.requirement.name  # type: ignore[union-attr]
        if verdict == 'refused':
            yield self.finding(label, line.lineno, name, f'licence refused: {comment}')
        elif verdict == 'review':
            yield self.finding(
                label, line.lineno, name, f'licence needs review: {comment}', severity=WARNING
            )
