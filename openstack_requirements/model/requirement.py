"""One logical line of a pip requirements file, read losslessly.

A :class:`Line` keeps the exact text it was read from; only a line that is
edited (built through :meth:`Line.with_requirement` or :func:`canonical`) is
rendered again, in the one canonical form used by OpenStack's
global-requirements.txt::

    Name[extra]lower-bounds,exclusions,caps;markers  # comment

Names, specifiers and markers are parsed by :mod:`packaging`; this module
only finds where each part of a line starts and ends.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import re
import shlex
import sys
from typing import Any

from packaging._tokenizer import ParserSyntaxError
from packaging.markers import InvalidMarker, Marker
from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as _PackagingRequirement
from packaging.specifiers import InvalidSpecifier, Specifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from openstack_requirements.errors import ParseError
from openstack_requirements.model.lines import (
    BOM,
    LINE_BREAKS,
    StrayBreak,
    count_physical,
    logical_text,
    place,
)


class Kind(enum.Enum):
    """What a logical line is."""

    BLANK = 'blank'
    COMMENT = 'comment'
    REQUIREMENT = 'requirement'
    OPTION = 'option'


# pip's options that may stand on a line of their own, with whether they
# take a value.  ``-e``/``--editable`` makes a requirement, not an option.
_FILE_OPTIONS: dict[str, tuple[str, bool]] = {
    '-r': ('requirement', True),
    '--requirement': ('requirement', True),
    '-c': ('constraint', True),
    '--constraint': ('constraint', True),
    '-f': ('find-links', True),
    '--find-links': ('find-links', True),
    '-i': ('index-url', True),
    '--index-url': ('index-url', True),
    '--extra-index-url': ('extra-index-url', True),
    '--no-index': ('no-index', False),
    '--pre': ('pre', False),
    '--no-binary': ('no-binary', True),
    '--only-binary': ('only-binary', True),
    '--prefer-binary': ('prefer-binary', False),
    '--pypi-url': ('index-url', True),
    '--trusted-host': ('trusted-host', True),
    '--require-hashes': ('require-hashes', False),
    '--use-feature': ('use-feature', True),
}
_EDITABLE = ('-e', '--editable')
# Options pip accepts after a requirement on the same line.
_PER_REQUIREMENT = ('--hash', '--config-settings', '--global-option',
                    '--install-option')
_SHORT_PER_REQUIREMENT = ('-C',)  # --config-settings
# Every long option pip's requirement-file parser knows (for prefixes).
_LONG_OPTIONS = tuple(sorted(
    [o for o in _FILE_OPTIONS if o.startswith('--')]
    + ['--editable'] + [o for o in _PER_REQUIREMENT if o != '--install-option']))

# pip: a comment starts at a '#' at the start of the line or after blanks.
_COMMENT_RE = re.compile(r'(?:^|\s)#')
_URL_RE = re.compile(r'^[A-Za-z][A-Za-z0-9+.-]*://')
_EGG_RE = re.compile(r'[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)')
_WHEEL_RE = re.compile(r'/([A-Za-z0-9][A-Za-z0-9._]*?)-[^/-]+(?:-[^/]*)?\.whl$')
_NAME_RE = re.compile(r'\s*([A-Za-z0-9][A-Za-z0-9._-]*)')
_OPS = ('===', '~=', '==', '!=', '<=', '>=', '<', '>')
# A line needs pip's joining when it holds one of these (or a backslash).
_SPECIAL_RE = re.compile('[' + LINE_BREAKS + BOM + ']')


class _LazySpecifier:
    """The ``specifier`` field: given as text (by the parser) it becomes a
    :class:`SpecifierSet` when first read. Most lines parsed are never
    asked for their specifier (a check looks up a few names), and building
    a SpecifierSet is a third of the cost of a line."""

    def __set_name__(self, owner: type, name: str) -> None:
        self._slot = '_' + name

    def __get__(self, obj: object, owner: type | None = None) -> SpecifierSet:
        if obj is None:
            return _NO_SPECIFIER  # the field's default
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
    #: ``'pep508'`` for ``name @ url``; ``'legacy'`` for a bare URL or path
    #: (with ``#egg=name``); ``''`` for a plain requirement.
    url_style: str = ''
    editable: bool = False
    options: tuple[str, ...] = ()

    @property
    def key(self) -> str | None:
        """The PEP 503 canonical name, used for every comparison."""
        return canonicalize_name(self.name) if self.name else None

    @property
    def marker(self) -> Marker | None:
        return _marker(self.marker_text) if self.marker_text else None

    @property
    def hashes(self) -> tuple[str, ...]:
        return tuple(o.split('=', 1)[1] for o in self.options
                     if o.startswith('--hash='))

    def _identity(self) -> tuple[object, ...]:
        return (self.key, frozenset(self.extras), self.specifier,
                self.marker_text, self.url, self.url_style, self.editable,
                self.options)

    def __eq__(self, other: object) -> bool:
        """Equal when they mean the same: names compared canonically,
        extras as a set, specifiers as a set."""
        if not isinstance(other, Requirement):
            return NotImplemented
        return self._identity() == other._identity()

    def __hash__(self) -> int:
        # by meaning, as __eq__ compares: hash(foo>=1.0) == hash(foo>=1)
        return hash((self.key, frozenset(self.extras), self.specifier,
                     self.marker_text, self.url))

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
            rendered = _render_specifier_text(value)
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

    def with_requirement(self, requirement: Requirement,
                         comment: str | None = None,
                         marker_sep: str = ';') -> Line:
        """This line declaring ``requirement`` instead, rendered anew."""
        if comment is None:
            comment = self.comment
        text = requirement.render(marker_sep)
        if self.text[:1] == BOM:
            text = BOM + text
        if comment:
            text += '  ' + comment
        return Line(text, self.newline, self.lineno, Kind.REQUIREMENT,
                    requirement, None, comment)

    def render(self) -> str:
        return self.text + self.newline


def canonical(line: Line, marker_sep: str = ';') -> Line:
    """``line`` in canonical form (only requirement lines change)."""
    if line.requirement is None:
        return line
    return line.with_requirement(line.requirement, marker_sep=marker_sep)


# -- specifiers -------------------------------------------------------------

_WEIGHT = {'>=': 0, '>': 0, '===': 1, '==': 1, '~=': 1, '!=': 1,
           '<': 2, '<=': 2}


def _spec_key(spec: Specifier) -> tuple[int, Version, str, str]:
    return _key_of(spec.operator, spec.version)


@functools.lru_cache(maxsize=4096)
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


@functools.lru_cache(maxsize=8192)
def _render_specifier_text(text: str) -> str | None:
    """:func:`render_specifier` of ``SpecifierSet(text)`` without building
    it, for text the parser took (each item an operator and a valid
    version); ``None`` when two items may mean the same (then the set
    decides which are repeats)."""
    items = []
    for item in text.split(','):
        item = item.strip()
        if item:
            operator = next((op for op in _OPS if item.startswith(op)), None)
            if operator is None:
                return None
            items.append((operator, item[len(operator):].strip()))
    if len(items) < 2:
        return ''.join(op + version for op, version in items)
    keys = [_key_of(op, version) for op, version in items]
    if len({(key[3], key[1]) for key in keys}) < len(keys):
        return None
    return ','.join(key[3] + key[2] for key in sorted(keys))


# -- parsing ----------------------------------------------------------------

@functools.lru_cache(maxsize=8192)
def _marker(text: str) -> Marker:
    """A parsed marker; a file repeats a few markers many times."""
    return Marker(text)


def clear_caches() -> None:
    """Forget every parsed marker and version key (for benchmarks that
    read the same lines more than once)."""
    _marker.cache_clear()
    _key_of.cache_clear()
    _render_specifier_text.cache_clear()


def split_comment(text: str) -> tuple[str, str]:
    """``(body, comment)``; the comment keeps its ``#``, the body its
    trailing blanks."""
    if '#' not in text:
        return text, ''
    match = _COMMENT_RE.search(text)
    if match is None:
        return text, ''
    start = match.end() - 1
    return text[:start], text[start:]


def parse_line(text: str, *, path: str | None = None, lineno: int = 1,
               newline: str = '\n', pbr: bool = False) -> Line:
    """Read one logical line (as :func:`split_logical` gives them).

    ``pbr`` accepts the setup.cfg ``name:marker`` form as well. On line 1
    a byte-order mark is skipped, as pip skips it.
    Raises :class:`ParseError` for a line pip would refuse, or would read
    as more than one line.
    """
    places = None
    # every line break and the BOM are unprintable: most lines skip the search
    if '\\' in text or (not text.isprintable()
                         and _SPECIAL_RE.search(text) is not None):
        try:
            logical, places = logical_text(text, first=lineno == 1)
        except StrayBreak as err:
            raise ParseError(err.reason, path=path, line=lineno + err.offset,
                             column=err.column, source=err.content) from None
    else:
        logical = text
    body, comment = split_comment(logical)
    stripped = body.strip()
    if not stripped:
        kind = Kind.COMMENT if comment else Kind.BLANK
        return Line(text, newline, lineno, kind, comment=comment)
    start = len(body) - len(body.lstrip())
    try:
        if stripped.startswith('-'):
            parsed = _parse_option_line(stripped, start)
        else:
            parsed = _parse_requirement(stripped, start, pbr)
    except ParseError as err:
        raise _place(err, text, places, path, lineno) from None
    if isinstance(parsed, tuple):
        return Line(text, newline, lineno, Kind.OPTION, option=parsed[0],
                    comment=comment, options=parsed)
    return Line(text, newline, lineno, Kind.REQUIREMENT, requirement=parsed,
                comment=comment)


def parse_requirement(text: str, *, pbr: bool = False) -> Requirement:
    """Read a requirement given on its own (a command-line argument)."""
    line = parse_line(text, path='<argument>', pbr=pbr)
    if line.requirement is None:
        raise ParseError('expected a requirement', path='<argument>',
                         source=text)
    return line.requirement


def _place(err: ParseError, text: str,
           places: list[tuple[int, int, str]] | None, path: str | None,
           lineno: int) -> ParseError:
    """Point ``err`` (a column in the logical line) at the physical line."""
    if places is None:
        return ParseError(err.reason, path=path, line=lineno,
                          column=max(err.column, 1), source=text)
    offset, column, source = place(places, err.column)
    return ParseError(err.reason, path=path, line=lineno + offset,
                      column=column, source=source)


def _parse_option_line(body: str, start: int) -> tuple[Option, ...] | Requirement:
    """The options of a line that starts with one, read as pip reads them
    (``shlex``-split, then like ``optparse``: ``--name=value``,
    ``--name value``, ``-xvalue``, ``-x value``, a unique prefix of a long
    name); or the editable requirement of a ``-e`` line."""
    first, rest = _split_first(body)
    if first in _EDITABLE or (first[:2] == '-e' and len(first) > 2) or (
            first.startswith('--editable=')):
        if first in _EDITABLE:
            flag, value = first, rest
        elif first.startswith('--'):
            flag, value = '--editable', (first[11:] + ' ' + rest).strip()
        else:
            flag, value = '-e', (first[2:] + ' ' + rest).strip()
        value_column = start + (body.rfind(value) if value else len(body)) + 1
        if not value:
            raise ParseError(f"expected a path or URL after '{flag}'",
                             column=value_column)
        return _parse_requirement(value, value_column - 1, False,
                                  editable=True)
    try:
        tokens = shlex.split(body)
    except ValueError as err:  # an open quotation, a final backslash
        raise ParseError(f'cannot split the options: {str(err).lower()}',
                         column=start + 1) from None
    options: list[Option] = []
    at = 0  # where in body the search for the next token starts
    index = 0
    while index < len(tokens):
        token = tokens[index]
        found = body.find(token, at)
        column = start + (found if found >= 0 else at) + 1
        if found >= 0:
            at = found + len(token)
        index += 1
        if token.startswith('--') and len(token) > 2:
            name, eq, value = token.partition('=')
            flag = _long_option(name, column)
            attached = value if eq else None
        elif token.startswith('-') and len(token) > 1 and token != '--':
            flag = token[:2]
            if flag not in _FILE_OPTIONS and flag not in (
                    *_SHORT_PER_REQUIREMENT, *_EDITABLE):
                raise ParseError(f"unknown option '{flag}'", column=column)
            attached = token[2:] or None
        else:
            raise ParseError(f"'{token}' is not an option (pip ignores it; "
                             'a requirement goes on a line of its own)',
                             column=column)
        if flag in _EDITABLE:
            raise ParseError(f"'{flag}' must start its line", column=column)
        if flag in _PER_REQUIREMENT or flag in _SHORT_PER_REQUIREMENT:
            raise ParseError(f"'{flag}' needs a requirement on its line",
                             column=column)
        name, takes_value = _FILE_OPTIONS[flag]
        if takes_value and attached == '':
            raise ParseError(f"expected a value after '{flag}'",
                             column=column + len(token))
        if takes_value and attached is None:
            if index >= len(tokens):
                raise ParseError(f"expected a value after '{flag}'",
                                 column=start + len(body) + 1)
            attached = tokens[index]
            found = body.find(attached, at)
            if found >= 0:
                at = found + len(attached)
            index += 1
        elif not takes_value and attached is not None:
            raise ParseError(f"'{flag}' takes no value", column=column)
        options.append(Option(name, attached))
    return tuple(options)


def _long_option(name: str, column: int) -> str:
    """``name`` or the one long option it is a prefix of, as optparse
    resolves an abbreviation."""
    if name in _LONG_OPTIONS:
        return name
    matches = [option for option in _LONG_OPTIONS if option.startswith(name)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise ParseError(f"ambiguous option '{name}' ("
                         + ', '.join(sorted(matches)) + ')', column=column)
    raise ParseError(f"unknown option '{name}'", column=column)


def _split_first(body: str) -> tuple[str, str]:
    parts = body.split(None, 1)
    return parts[0], (parts[1].strip() if len(parts) > 1 else '')


def _split_options(body: str, start: int) -> tuple[str, tuple[str, ...]]:
    """Separate trailing per-requirement options (``--hash=...``)."""
    index = body.find(' -')
    if index < 0:
        index = body.find('\t-')
    if index < 0:
        return body, ()
    options = []
    tokens = body[index:].split()
    i = 0
    while i < len(tokens):
        token = tokens[i]
        name = token.split('=', 1)[0]
        if name not in _PER_REQUIREMENT:
            column = start + body.index(token, index) + 1
            raise ParseError(f"unknown option '{name}' after a requirement",
                             column=column)
        if '=' not in token:
            if i + 1 >= len(tokens):
                raise ParseError(f"expected a value after '{name}'",
                                 column=start + len(body) + 1)
            token = f'{token}={tokens[i + 1]}'
            i += 1
        options.append(token)
        i += 1
    return body[:index].rstrip(), tuple(options)


def _parse_requirement(body: str, start: int, pbr: bool,
                       editable: bool = False) -> Requirement:
    if len(body) > _DIGITS_FLOOR:
        _check_numbers(body, start)
    if not editable and not (pbr and ':' in body):
        simple = _simple_requirement(body)
        if simple is not None:
            return simple
    return _parse_full(body, start, pbr, editable)


def _parse_full(body: str, start: int, pbr: bool,
                editable: bool = False) -> Requirement:
    """Any requirement pip reads, through packaging's parser."""
    body, options = _split_options(body, start)
    if _URL_RE.match(body) or body.startswith(('.', '/', '~')) or (
            editable and '@' not in body and not _NAME_RE.fullmatch(body)):
        return _parse_legacy_url(body, options, editable, start)
    marker_text = ''
    if pbr and ':' in body and '@' not in body:
        head, _, marker_text = body.partition(':')
        marker_text = marker_text.strip()
        if marker_text:
            try:
                _marker(marker_text)
            except InvalidMarker as err:
                raise ParseError(
                    _marker_reason(err),
                    column=start + len(head) + 2) from None
        body = head.rstrip()
    try:
        parsed = _PackagingRequirement(body)
    except InvalidRequirement as err:
        raise _diagnose(body, err, start) from None
    url_style = ''
    if parsed.url:
        url_style = 'pep508'
    if parsed.marker is not None:
        after = body.find(parsed.url) + len(parsed.url) if parsed.url else 0
        marker_text = body[body.index(';', after) + 1:].strip()
    return Requirement(
        name=parsed.name,
        extras=_extras_as_written(body, parsed),
        specifier=parsed.specifier,
        marker_text=marker_text,
        url=parsed.url or '',
        url_style=url_style,
        editable=editable,
        options=options,
    )


# Python refuses to read an integer of more digits than its limit
# (sys.get_int_max_str_digits(), 4300 by default; 640 at the least): a
# version holding one would fail every comparison, so the line is refused.
_DIGITS_DEFAULT = 4300
_DIGITS_FLOOR = 640
_DIGITS_RE = re.compile(r'[0-9]+')


def _digits_limit() -> int:
    get = getattr(sys, 'get_int_max_str_digits', None)  # Python >= 3.10.7
    limit = get() if get is not None else 0
    return min(limit, _DIGITS_DEFAULT) if limit else _DIGITS_DEFAULT


def _check_numbers(body: str, start: int) -> None:
    limit = _digits_limit()
    if len(body) <= limit:
        return
    for found in _DIGITS_RE.finditer(body):
        digits = found.end() - found.start()
        if digits > limit:
            raise ParseError(f'a number of {digits} digits (Python reads '
                             f'at most {limit})',
                             column=start + found.start() + 1)


# The common shape of a line, read without packaging's parser: a name,
# extras, specifiers whose versions are plainly valid for their operator,
# and a marker (checked by packaging, cached). Anything else (URLs, '~=1',
# local versions, parentheses, odd blanks) goes the long way; both ways give
# the same Requirement (a test holds them equal over the corpus). No two
# runs of blanks can meet, so the match is linear in the line.
_NAME = r'[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?'
_RELEASE = r'[0-9]+(?:\.[0-9]+)*'
_TAIL = r'(?:(?:a|b|rc)[0-9]+)?(?:\.post[0-9]+)?(?:\.dev[0-9]+)?'
_ITEM = (r'(?:(?:>=|<=|<|>)[ \t]*' + _RELEASE + _TAIL
         + r'|(?:==|!=)[ \t]*' + _RELEASE + r'(?:\.\*|' + _TAIL + r')'
         + r'|~=[ \t]*[0-9]+(?:\.[0-9]+)+' + _TAIL
         + r'|===[ \t]*[0-9A-Za-z.+_!-]+)')
_SIMPLE_RE = re.compile(
    r'(' + _NAME + r')[ \t]*'
    r'(?:\[([ \t]*' + _NAME + r'[ \t]*(?:,[ \t]*' + _NAME
    + r'[ \t]*)*)\][ \t]*)?'
    r'(?:(' + _ITEM + r'(?:[ \t]*,[ \t]*' + _ITEM + r')*)[ \t]*)?'
    r'(?:;(.*))?', re.DOTALL)


def _simple_requirement(body: str) -> Requirement | None:
    match = _SIMPLE_RE.fullmatch(body)
    if match is None:
        return None
    name, extras, spec, marker = match.groups()
    if marker is None:
        marker_text = ''
    else:
        marker_text = marker.strip(' \t')
        if not marker_text:
            return None
        try:
            _marker(marker_text)
        except InvalidMarker:
            return None
    return Requirement(
        name,
        tuple(e.strip(' \t') for e in extras.split(',')) if extras else (),
        spec or '',
        marker_text)


def _extras_as_written(body: str, parsed: _PackagingRequirement
                       ) -> tuple[str, ...]:
    if not parsed.extras:
        return ()
    open_ = body.index('[')
    inner = body[open_ + 1:body.index(']', open_)]
    return tuple(e.strip() for e in inner.split(',') if e.strip())


def _parse_legacy_url(body: str, options: tuple[str, ...],
                      editable: bool, start: int = 0) -> Requirement:
    marker_text = ''
    if '; ' in body or ' ;' in body:
        match = re.search(r'\s;|;\s', body)
        assert match is not None
        after = body[match.end():]
        marker_text = after.strip()
        lead = len(after) - len(after.lstrip())
        body = body[:match.start()].rstrip()
        try:
            _marker(marker_text)
        except InvalidMarker as err:
            raise ParseError(
                _marker_reason(err),
                column=start + match.end() + lead + syntax_error(err)[1] + 1
            ) from None
    egg = _EGG_RE.search(body)
    name: str | None = None
    if egg:
        name = _egg_name(egg.group(1))
    else:
        wheel = _WHEEL_RE.search(body.split('#', 1)[0])
        if wheel:
            name = wheel.group(1)
    return Requirement(name=name, marker_text=marker_text, url=body,
                       url_style='legacy', editable=editable, options=options)


def _egg_name(fragment: str) -> str:
    """``oslo.config-1.2.0a3`` names ``oslo.config``, as pip reads it."""
    match = re.match(r'(.+?)-(\d[^-]*)$', fragment)
    return match.group(1) if match else fragment


# -- error messages ---------------------------------------------------------

_TOKENS = {
    'RIGHT_PARENTHESIS': "')'", 'LEFT_PARENTHESIS': "'('",
    'RIGHT_BRACKET': "']'", 'LEFT_BRACKET': "'['",
}


def _plain(message: str) -> str:
    for token, text in _TOKENS.items():
        message = message.replace(token, text)
    return message[:1].lower() + message[1:]


def syntax_error(err: InvalidRequirement | InvalidMarker) -> tuple[str, int]:
    """``(message, offset)`` of a packaging parse error: its message
    without the source and caret, and where the fault starts (from 0).

    The one place that reads packaging's private ``ParserSyntaxError``
    (the cause of both errors); tests/model/test_packaging_api.py fails
    if packaging changes it.
    """
    cause = err.__cause__
    if isinstance(cause, ParserSyntaxError):
        return cause.message, cause.span[0]
    return str(err).split('\n', 1)[0], 0


def _marker_reason(err: InvalidMarker) -> str:
    return 'invalid marker: ' + _plain(syntax_error(err)[0])


def _diagnose(body: str, err: InvalidRequirement, start: int) -> ParseError:
    """A message a person can act on, with the column of the fault."""
    name = _NAME_RE.match(body)
    if name is None:
        return ParseError('expected a package name', column=start + 1)
    pos = name.end()
    if body[pos:].lstrip().startswith('['):
        close = body.find(']', pos)
        if close < 0:
            return ParseError("expected ']' to close the extras",
                              column=start + len(body) + 1)
        pos = close + 1
    rest_end = body.find(';', pos)
    spec_text = body[pos:rest_end if rest_end >= 0 else len(body)]
    bare = spec_text.strip()
    if bare.startswith('(') and bare.endswith(')'):
        offset = spec_text.index('(') + 1
        spec_text = bare[1:-1]
        pos += offset
    if rest_end < 0 or spec_text.strip():
        problem = _diagnose_specifier(spec_text, pos + start)
        if problem is not None:
            return problem
    if rest_end >= 0:
        marker_text = body[rest_end + 1:]
        try:
            Marker(marker_text)
        except InvalidMarker as marker_err:
            offset = syntax_error(marker_err)[1]
            lead = len(marker_text) - len(marker_text.lstrip())
            return ParseError(
                _marker_reason(marker_err),
                column=start + rest_end + 2 + max(offset, lead))
    message, offset = syntax_error(err)
    return ParseError(_plain(message), column=start + offset + 1)


_VERSION_END_RE = re.compile(r'[;\s]')
_ITEM_OPS = ('===', '~=', '==', '!=', '<=', '>=', '<', '>', '=')


def _spec_item(item: str) -> tuple[str | None, str] | None:
    """``(operator, version)`` of one comma-separated specifier item:
    blanks, an operator (maybe), blanks, a version without blanks or
    ``;``, blanks; ``None`` when the item is not of that shape. One pass
    over the item (a regular expression here backtracked cubically)."""
    rest = item.lstrip()
    operator = next((op for op in _ITEM_OPS if rest.startswith(op)), None)
    if operator is not None:
        rest = rest[len(operator):].lstrip()
    found = _VERSION_END_RE.search(rest)
    end = found.start() if found else len(rest)
    if rest[end:].strip():
        return None
    return operator, rest[:end]


def _diagnose_specifier(text: str, offset: int) -> ParseError | None:
    pos = 0
    for item in text.split(','):
        split = _spec_item(item)
        column = offset + pos + len(item) - len(item.lstrip()) + 1
        if split is None or not item.strip():
            if item.strip() or pos:
                return ParseError('expected a version specifier',
                                  column=column)
            pos += len(item) + 1
            continue
        operator, version = split
        if operator is None:
            return ParseError(
                "expected a version operator ('>=', '==', '!=', '<', ...)",
                column=column)
        if operator == '=':
            return ParseError("unknown operator '=' (did you mean '=='?)",
                              column=column)
        after = offset + pos + item.index(operator) + len(operator) + 1
        if not version:
            return ParseError(f"expected a version after '{operator}'",
                              column=after)
        try:
            Specifier(operator + version)
        except InvalidSpecifier:
            if operator == '~=' and '.' not in version:
                reason = (f"'~=' needs a version with at least two parts, "
                          f"not '{version}'")
            else:
                reason = f"invalid version '{version}' after '{operator}'"
            return ParseError(reason, column=offset + pos + item.index(
                version, item.index(operator) + len(operator)) + 1)
        pos += len(item) + 1
    return None
