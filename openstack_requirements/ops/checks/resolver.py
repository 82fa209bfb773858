"""Co-installability of the pinned set, per Python, by a real resolver.

The pins of upper-constraints.txt are handed to a resolver driver (plugin
namespace ``openstack_requirements.resolvers``) as requirements, for each
target Python, installing nothing. A known failure listed in
``upper-constraints-xfails.txt`` (``dep==version;requirer,requirer``) is
reported as such: the run is repeated without the listed requirers, and
when that resolves, the failure is an expected one, not an error.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from packaging.utils import canonicalize_name

from openstack_requirements.errors import ParseError
from openstack_requirements.model import Line, split_comment, split_logical
from openstack_requirements.ops import files
from openstack_requirements.ops.checks.base import INFO, RESOLVER, Check, Finding
from openstack_requirements.ops.checks.context import Context


@dataclasses.dataclass(frozen=True)
class XFail:
    """A known conflict: ``package`` at ``version`` is incompatible with
    what ``requirers`` need."""

    package: str
    version: str
    requirers: tuple[str, ...]
    lineno: int

    @property
    def key(self) -> str:
        return canonicalize_name(self.package)


def read_xfails(text: str, path: str = 'upper-constraints-xfails.txt') -> list[XFail]:
    """``dep==version;requirer,requirer`` lines (the list is not a marker,
    so the requirement grammar cannot read it)."""
    found = []
    for lineno, body, _ in split_logical(text):
        body, _comment = split_comment(body)
        if not body.strip():
            continue
        head, _, tail = body.partition(';')
        name, sep, version = head.strip().partition('==')
        requirers = tuple(r.strip() for r in tail.split(',') if r.strip())
        if not sep or not name or not version.strip() or not requirers:
            raise ParseError(
                'expected dep==version;requirer[,requirer...]', path=path, line=lineno, source=body
            )
        found.append(XFail(name.strip(), version.strip().lstrip('='), requirers, lineno))
    return found


@dataclasses.dataclass(frozen=True)
class ResolverSetup:
    """How ``co-installable`` resolves: which driver, for which Pythons,
    from where (an opaque ``ResolverOptions`` of the resolver package)."""

    resolver: str = 'uv'
    targets: Sequence[object] = ()
    options: object = None


def _pins(lines: Iterable[Line], without: set[str]) -> str:
    """The pins as requirement lines a resolver takes (``===`` as ``==``)."""
    out = []
    for line in lines:
        req = line.requirement
        if req is None or req.name is None or req.url or line.key in without:
            continue
        spec = ','.join(
            ('==' + s.version) if s.operator == '===' else str(s) for s in req.specifier
        )
        text = req.name + spec
        if req.marker_text:
            text += '; ' + req.marker_text
        out.append(text)
    return ''.join(t + '\n' for t in out)


class CoInstallable(Check):
    name = 'co-installable'
    description = 'the pinned set resolves for each Python (known failures: xfails)'
    scope = RESOLVER
    needs = ('upper',)

    def check(self, context: Context) -> Iterable[Finding]:
        from openstack_requirements.ops.constraints import resolvers

        setup = context.resolver_setup
        if context.upper is None or not isinstance(setup, ResolverSetup):
            return
        resolver = resolvers.load(setup.resolver)
        options = setup.options or resolvers.ResolverOptions()
        targets = [resolver.prepare(t) for t in setup.targets]  # type: ignore[arg-type]
        xfails = (
            read_xfails(context.xfails.text, context.xfails.label)
            if context.xfails is not None
            else []
        )
        label = context.upper.label
        lines = context.upper.requirement_lines()
        with files.scratch_directory('check-conflicts-') as tmp:

            def resolve(target: object, without: set[str]) -> str | None:
                path = files.write_scratch(tmp, f'pins-{len(without)}.txt', _pins(lines, without))
                try:
                    resolver.resolve(path, target, options)  # type: ignore[arg-type]
                except resolvers.ResolutionError as err:
                    return err.explanation or str(err)
                return None

            for target in targets:
                python = target.python
                failure = resolve(target, set())
                if failure is None:
                    continue
                requirers = {str(canonicalize_name(r)) for x in xfails for r in x.requirers}
                if xfails and resolve(target, requirers) is None:
                    for xfail in xfails:
                        yield self.finding(
                            label,
                            xfail.lineno,
                            xfail.package,
                            f'Python {python}: known failure (xfail): '
                            f'{xfail.package}=={xfail.version} conflicts with '
                            f'{", ".join(xfail.requirers)}',
                            severity=INFO,
                        )
                    continue
                yield self.finding(
                    label,
                    None,
                    '',
                    f'Python {python}: the pins do not resolve ({resolver.name}): {failure}',
                )
