"""The check plugins' contract: :class:`Check`, :class:`Finding`, and the
runner that loads plugins and turns a crash into an error finding.

A check is a stateless plugin registered in the entry-point namespace
``openstack_requirements.checks``. It declares a ``name``, a one-line
``description``, a ``scope`` (:data:`PROJECT` or :data:`DATA`) and a
default ``severity``; ``check(context)`` yields :class:`Finding` objects.
"""

from __future__ import annotations

import abc
import dataclasses
from collections import Counter
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Final, Literal

from openstack_requirements.errors import RequirementsError

# the checks' API, exported again
from openstack_requirements.ops.findings import (
    ERROR as ERROR,
)
from openstack_requirements.ops.findings import (
    INFO as INFO,
)
from openstack_requirements.ops.findings import (
    SEVERITIES as SEVERITIES,
)
from openstack_requirements.ops.findings import (
    WARNING as WARNING,
)
from openstack_requirements.ops.findings import (
    Finding as Finding,
)
from openstack_requirements.ops.findings import (
    Severity as Severity,
)

if TYPE_CHECKING:
    from openstack_requirements.model import Line, Requirement
    from openstack_requirements.ops.checks.context import Context

NAMESPACE = 'openstack_requirements.checks'


#: Scopes: a consuming project's tree, or the governance data itself.
PROJECT: Final = 'project'
DATA: Final = 'data'
#: Checks that need a resolver (co-installability of the pinned set).
RESOLVER: Final = 'resolver'
Scope = Literal['project', 'data', 'resolver']


COLUMNS = ('Check', 'Severity', 'File', 'Line', 'Package', 'Message')


class Check(abc.ABC):
    """A rule of the requirements contract."""

    name: ClassVar[str]
    description: ClassVar[str]
    scope: ClassVar[Scope] = PROJECT
    severity: ClassVar[Severity] = ERROR
    #: ``False`` for a rule of another era, run only when selected.
    default: ClassVar[bool] = True
    #: The data files the rule reads (``global_reqs``, ``upper``,
    #: ``denylist``): a run that chose it fails when one is missing.
    needs: ClassVar[tuple[str, ...]] = ()
    #: Further scopes whose commands run the check too.
    also: ClassVar[tuple[Scope, ...]] = ()
    #: For a check off by default: the command-line option (its ``dest``)
    #: whose value turns it on, the input it needs being given.
    switch: ClassVar[str] = ''

    @abc.abstractmethod
    def check(self, context: Context) -> Iterable[Finding]:
        """Yield the findings of this rule over ``context``."""

    def finding(
        self,
        file: str,
        line: int | None,
        package: str | None,
        message: str,
        severity: Severity | None = None,
    ) -> Finding:
        return Finding(self.name, severity or self.severity, file, line, package or '', message)


class LineCheck(Check):
    """A rule over one requirement line at a time.

    ``over`` names the lines (:meth:`Context.lines`): a project's governed
    lines (the default), all its requirement lines, or those of the global
    list or the constraints. :meth:`problems` gives the messages for one
    line; a finding names the line's file, number and package."""

    over: ClassVar[str] = 'governed'

    def check(self, context: Context) -> Iterable[Finding]:
        for label, line in context.lines(self.over):
            yield from self.check_line(context, label, line)

    def check_line(self, context: Context, label: str, line: Line) -> Iterable[Finding]:
        req = line.requirement
        assert req is not None
        for message in self.problems(context, line, req):
            yield self.finding(label, line.lineno, req.name, message)

    def problems(self, context: Context, line: Line, req: Requirement) -> Iterable[str]:
        return ()


def repeated(lines: Iterable[Line], identity: Callable[[Line], Hashable | None]) -> Iterator[Line]:
    """Each line whose identity (``None``: none) an earlier line has, the
    first time it repeats."""
    seen: Counter[Hashable] = Counter()
    for line in lines:
        key = identity(line)
        if key is None:
            continue
        seen[key] += 1
        if seen[key] == 2:
            yield line


class SelectionError(RequirementsError):
    """An unknown check name in ``--select`` or ``--ignore``."""


def _raise(manager: Any, entrypoint: Any, exc: BaseException) -> None:
    raise RequirementsError(
        f'cannot load check plugin {getattr(entrypoint, "name", entrypoint)}: {exc}'
    ) from exc


def available(scopes: Sequence[str]) -> list[Check]:
    """Every installed check of the given scopes, sorted by name."""
    from stevedore import extension

    manager: extension.ExtensionManager[Check] = extension.ExtensionManager(
        NAMESPACE,
        invoke_on_load=True,
        on_load_failure_callback=_raise,
        propagate_map_exceptions=True,
    )
    checks = [ext.obj for ext in manager.extensions if ext.obj is not None]
    return sorted(
        (c for c in checks if c.scope in scopes or set(c.also) & set(scopes)), key=lambda c: c.name
    )


def select(
    checks: Sequence[Check],
    selected: Sequence[str] = (),
    ignored: Sequence[str] = (),
    given: Collection[str] = (),
) -> list[Check]:
    """The checks to run: ``selected`` ones only if any (default-off
    checks included), else every default one and those whose
    :attr:`~Check.switch` is among the options ``given``; minus
    ``ignored``."""
    names = {c.name for c in checks}
    unknown = sorted({*selected, *ignored} - names)
    if unknown:
        raise SelectionError(
            f'unknown check {", ".join(unknown)}; known: {", ".join(sorted(names))}'
        )
    if selected:
        chosen = [c for c in checks if c.name in selected]
    else:
        chosen = [c for c in checks if c.default or (c.switch and c.switch in given)]
    return [c for c in chosen if c.name not in ignored]


def needs(checks: Iterable[Check]) -> dict[str, list[str]]:
    """The data files ``checks`` read, each with the checks reading it."""
    found: dict[str, list[str]] = {}
    for check in checks:
        for attribute in check.needs:
            found.setdefault(attribute, []).append(check.name)
    return found


@dataclasses.dataclass(frozen=True)
class Skipped:
    """A check left out of a run: a data file it reads is missing."""

    check: str
    #: Where the missing file was looked for.
    path: str

    def __str__(self) -> str:
        return f'{self.check} skipped: {self.path}: no such file'


def runnable(
    checks: Sequence[Check],
    context: Context,
    *,
    optional: Collection[str] = (),
    named: Collection[str] = (),
) -> tuple[list[Check], list[Skipped]]:
    """The checks ``context`` holds the data for, and those skipped.

    A check reading a missing data file listed in ``optional`` (``upper``...)
    is skipped, unless it is ``named`` (chosen by name: then it needs its
    file); any other missing file a check reads is an error naming it
    (:meth:`Context.require`)."""
    chosen: list[Check] = []
    skipped: list[Skipped] = []
    for check in checks:
        absent = [a for a in check.needs if a in optional and getattr(context, a) is None]
        if absent and check.name not in named:
            skipped.append(Skipped(check.name, context.missing(absent[0])))
        else:
            chosen.append(check)
    context.require(needs(chosen))
    return chosen, skipped


def run(checks: Iterable[Check], context: Context) -> list[Finding]:
    """Every finding of every check; a check that raises becomes one
    error finding, never a silent pass."""
    findings: list[Finding] = []
    for check in checks:
        try:
            findings.extend(check.check(context))
        except Exception as err:  # a plugin bug must be visible, not fatal
            findings.append(
                Finding(
                    check.name, ERROR, '', None, '', f'check crashed: {type(err).__name__}: {err}'
                )
            )
    return findings


def split_names(values: Sequence[str] | None) -> list[str]:
    """``--select a,b --select c`` -> ``['a', 'b', 'c']``."""
    return [name.strip() for value in values or () for name in value.split(',') if name.strip()]
