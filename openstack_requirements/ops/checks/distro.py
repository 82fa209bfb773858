"""Can the distributions follow? A minimum above what the given Debian
releases package is a warning: their packagers cannot follow it.

Off unless package indexes are given (``--packages``). In a project
(``check-requirements``), every governed line is judged by its own
minimum; in the governance data (``validate-constraints``), every global
line; with the global list before the change at hand (``impact``), only
what the change does: a new requirement (also when a release does not
package it) and a raised minimum.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from packaging.specifiers import Specifier

from openstack_requirements.model import Line
from openstack_requirements.model.versions import lower_bound, parse_version
from openstack_requirements.ops.checks.base import DATA, PROJECT, WARNING, Check, Finding
from openstack_requirements.ops.checks.context import Context, DataFile, marker_text

if TYPE_CHECKING:
    from openstack_requirements.ops.distro.releases import Distributions

NAME = 'distro-minimum'


class DistroMinimum(Check):
    name = NAME
    description = (
        'no new requirement or raised minimum above what the '
        'given Debian releases package (on with --packages)'
    )
    scope = PROJECT
    also = (DATA,)
    severity = WARNING
    default = False
    switch = 'packages'
    needs = ('distributions',)

    def check(self, context: Context) -> Iterable[Finding]:
        from openstack_requirements.ops.distro import status

        distributions = context.distributions
        if distributions is None:
            return
        over = 'governed' if context.project is not None else 'global'
        for label, line in context.lines(over):
            req = line.requirement
            assert req is not None
            if not req.name or req.url:
                continue
            bound = lower_bound(req.specifier)
            what = f'minimum {bound} is'
            if over == 'global' and context.base_global is not None:
                before = _before(context.base_global, line)
                if before is None:
                    what = f'new requirement: minimum {bound} is'
                    missing = status.unpackaged(distributions, line)
                    if missing:
                        yield self.finding(
                            label,
                            line.lineno,
                            req.name,
                            'new requirement not packaged in '
                            + ', '.join(r.name for r in missing),
                        )
                else:
                    old = status.minimum(before)
                    if bound is None or not _raised(bound, old):
                        continue
                    what = f'minimum raised to {bound} (from {old or "none"}),'
            if bound is None:
                continue
            behind = status.behind_bound(distributions, line, bound)
            if behind:
                yield self.finding(
                    label,
                    line.lineno,
                    req.name,
                    f'{what} above what Debian packages: {status.describe(behind)}',
                )


def _before(base: DataFile, line: Line) -> list[Line] | None:
    """The lines of ``line``'s package in the earlier global list (those
    with its markers, when any has them); ``None``: it was not there."""
    lines = base.by_key.get(line.key or '')
    if not lines:
        return None
    same = [x for x in lines if marker_text(x) == marker_text(line)]
    return same or lines


def _raised(bound: Specifier, old: Specifier | None) -> bool:
    if old is None:
        return True

    def rank(spec: Specifier) -> tuple[object, bool]:
        return parse_version(spec.version), spec.operator == '>'

    return rank(bound) > rank(old)


def on_change(
    base_global: str, proposed_global: str, distributions: Distributions
) -> Iterator[Finding]:
    """The findings of the ``distro-minimum`` plugin on a change of the
    global list (its texts before and after)."""
    from openstack_requirements.ops import data
    from openstack_requirements.ops.checks import base

    chosen = base.select(base.available((DATA,)), [NAME])
    context = Context(
        global_reqs=DataFile(Path(data.GLOBAL), proposed_global),
        base_global=DataFile(Path(data.GLOBAL), base_global),
        distributions=distributions,
    )
    yield from base.run(chosen, context)
