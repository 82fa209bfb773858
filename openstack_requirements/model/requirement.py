"""One logical line of a pip requirements file, read losslessly.

A :class:`Line` keeps the exact text it was read from; only a line that is
edited (built through :meth:`Line.with_requirement` or :func:`canonical`) is
rendered again, in the one canonical form used by OpenStack's
global-requirements.txt::

    Name[extra]lower-bounds,exclusions,caps;markers  # comment

This module holds what a line is (:class:`Kind`, :class:`Requirement`,
:class:`Option`, :class:`Line`) and how an edited one is rendered; reading
one is :mod:`~openstack_requirements.model.parsing`'s job.
"""

from __future__ import annotations

import dataclasses
import enum
from typing import Any, Literal, cast

from packaging.markers import Marker
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from openstack_requirements.cache import bounded
from openstack_requirements.model.lines import BOM, count_physical
from openstack_requirements.model.specifiers import (
    render_specifier,
    render_specifier_text,
)

#: How a requirement names a URL: ``'pep508'`` for ``name @ url``;
#: ``'legacy'`` for a bare URL or path (with ``#egg=name``); ``''`` for a
#: plain requirement.
UrlStyle = Literal['', 'pep508', 'legacy']


class Kind(enum.Enum):
    """What a logical line is."""

    BLANK = 'blank'
    COMMENT = 'comment'
    REQUIREMENT = 'requirement'
    OPTION = 'option'


@bounded()
def parse_marker(text: str) -> Marker:
    """A parsed marker; a file repeats a few markers many times."""
    return Marker(text)


class _LazySpecifier:
    """The ``specifier`` field: given as text (by the parser) it becomes a
    :class:`SpecifierSet` when first read. Most lines parsed are never
    asked for their specifier (a check looks up a few names), and building
    a SpecifierSet is a third of the cost of a line."""

    def __set_name__(self, owner: type, name: str) -> None:
        self._slot = '_' + name

    def __get__(self, obj: object, owner: type | None = None) -> SpecifierSet:
        if obj is None:
            return cast(SpecifierSet, _NO_SPECIFIER)  # the field's default
        value = obj.__dict__[self._slot]
        if isinstance(value, str):
            value = obj.__dict__[self._slot] = SpecifierSet(value)
        return value  # type: ignore[no-any-return]

    def __set__(self, obj: object, value: SpecifierSet | str) -> None:
        obj.__dict__[self._slot] = value


# The default of the field: never handed out, read as an empty set of
# specifiers (a str default would be shared harmlessly too).
_NO_SPECIFIER: Any = ''


@dataclasses.dataclass(frozen=True, eq=False)
class Requirement:
    """The requirement a line declares.

    ``name`` is spelt as written (``None`` for an editable path or a URL
    without ``#egg=``); compare names through :attr:`key`.
    """

    name: str | None
    extras: tuple[str, ...] = ()
    #: Read as a :class:`SpecifierSet`; may be given as its text.
    specifier: _LazySpecifier = _LazySpecifier()
    marker_text: str = ''
    url: str = ''
    url_style: UrlStyle = ''
    editable: bool = False
    options: tuple[str, ...] = ()

    @property
    def key(self) -> str | None:
        """The PEP 503 canonical name, used for every comparison."""
        return canonicalize_name(self.name) if self.name else None

    @property
    def marker(self) -> Marker | None:
        return parse_marker(self.marker_text) if self.marker_text else None

    @property
    def hashes(self) -> tuple[str, ...]:
        return tuple(o.split('=', 1)[1] for o in self.options if o.startswith('--hash='))

    def _identity(self) -> tuple[object, ...]:
        return (
            self.key,
            frozenset(self.extras),
            self.specifier,
            self.marker_text,
            self.url,
            self.url_style,
            self.editable,
            self.options,
        )

    def __eq__(self, other: object) -> bool:
        """Equal when they mean the same: names compared canonically,
        extras as a set, specifiers as a set."""
        if not isinstance(other, Requirement):
            return NotImplemented
        return self._identity() == other._identity()

    def __hash__(self) -> int:
        # by meaning, as __eq__ compares: hash(foo>=1.0) == hash(foo>=1)
        return hash((self.key, frozenset(self.extras), self.specifier, self.marker_text, self.url))

    def replace(self, **changes: object) -> Requirement:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    def render(self, marker_sep: str = ';') -> str:
        """The requirement in canonical form, without comment."""
        if self.url_style == 'legacy':
            text = ('-e ' if self.editable else '') + self.url
            if self.marker_text:
                text += ' ; ' + self.marker_text
        else:
            text = self.name or ''
            if self.extras:
                text += '[' + ','.join(sorted(self.extras)) + ']'
            if self.url_style == 'pep508':
                text += ' @ ' + self.url
                if self.marker_text:
                    text += ' ; ' + self.marker_text
            else:
                text += self._render_specifier()
                if self.marker_text:
                    text += marker_sep + self.marker_text
            if self.editable:
                text = '-e ' + text
        for option in self.options:
            text += ' ' + option
        return text

    def __str__(self) -> str:
        return self.render()

    def _render_specifier(self) -> str:
        value = self.__dict__['_specifier']
        if isinstance(value, str):  # not built yet: render from the text
            rendered = render_specifier_text(value)
            if rendered is not None:
                return rendered
        return render_specifier(self.specifier)


@dataclasses.dataclass(frozen=True)
class Option:
    """A pip option line such as ``-r other.txt`` or ``--pre``."""

    name: str
    value: str | None = None


@dataclasses.dataclass(frozen=True)
class Line:
    """A logical line: its exact text, where it was, and what it means.

    ``text`` excludes the final line terminator, kept in ``newline``; a
    line continued with ``\\`` keeps its inner terminators in ``text``.
    """

    text: str
    newline: str = '\n'
    lineno: int = 1
    kind: Kind = Kind.BLANK
    requirement: Requirement | None = None
    option: Option | None = None
    comment: str = ''
    #: Every option of an option line, in order (``option`` is the first):
    #: pip reads ``-i URL --trusted-host HOST`` as two.
    options: tuple[Option, ...] = ()

    @property
    def key(self) -> str | None:
        return self.requirement.key if self.requirement else None

    @property
    def physical_lines(self) -> int:
        return count_physical(self.text)

    def with_requirement(
        self, requirement: Requirement, comment: str | None = None, marker_sep: str = ';'
    ) -> Line:
        """This line declaring ``requirement`` instead, rendered anew."""
        if comment is None:
            comment = self.comment
        text = requirement.render(marker_sep)
        if self.text[:1] == BOM:
            text = BOM + text
        if comment:
            text += '  ' + comment
        return Line(text, self.newline, self.lineno, Kind.REQUIREMENT, requirement, None, comment)

    def render(self) -> str:
        return self.text + self.newline


def canonical(line: Line, marker_sep: str = ';') -> Line:
    """``line`` in canonical form (only requirement lines change)."""
    if line.requirement is None:
        return line
    return line.with_requirement(line.requirement, marker_sep=marker_sep)
