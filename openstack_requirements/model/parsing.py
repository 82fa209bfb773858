"""Reading one logical line of a pip requirements file.

:func:`parse_line` finds where each part of a line starts and ends (the
requirement, pip's options, the comment); names, specifiers and markers are
parsed by :mod:`packaging`. A line pip would refuse raises
:class:`~openstack_requirements.errors.ParseError` with its line and column.
"""

from __future__ import annotations

import re
import sys

from packaging.markers import InvalidMarker
from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as _PackagingRequirement

from openstack_requirements.errors import ParseError
from openstack_requirements.model.diagnostics import (
    NAME_RE,
    diagnose,
    marker_reason,
    syntax_error,
)
from openstack_requirements.model.lines import (
    BOM,
    LINE_BREAKS,
    StrayBreak,
    logical_text,
    place,
)
from openstack_requirements.model.options import (
    editable_value,
    parse_options,
    split_trailing_options,
)
from openstack_requirements.model.requirement import (
    Kind,
    Line,
    Option,
    Requirement,
    UrlStyle,
    parse_marker,
)

# pip: a comment starts at a '#' at the start of the line or after blanks.
_COMMENT_RE = re.compile(r'(?:^|\s)#')
_URL_RE = re.compile(r'^[A-Za-z][A-Za-z0-9+.-]*://')
_EGG_RE = re.compile(r'[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)')
_WHEEL_RE = re.compile(r'/([A-Za-z0-9][A-Za-z0-9._]*?)-[^/-]+(?:-[^/]*)?\.whl$')
# A line needs pip's joining when it holds one of these (or a backslash).
_SPECIAL_RE = re.compile('[' + LINE_BREAKS + BOM + ']')


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


def parse_line(
    text: str, *, path: str | None = None, lineno: int = 1, newline: str = '\n', pbr: bool = False
) -> Line:
    """Read one logical line (as :func:`split_logical` gives them).

    ``pbr`` accepts the setup.cfg ``name:marker`` form as well. On line 1
    a byte-order mark is skipped, as pip skips it.
    Raises :class:`ParseError` for a line pip would refuse, or would read
    as more than one line.
    """
    places = None
    # every line break and the BOM are unprintable: most lines skip the search
    if '\\' in text or (not text.isprintable() and _SPECIAL_RE.search(text) is not None):
        try:
            logical, places = logical_text(text, first=lineno == 1)
        except StrayBreak as err:
            raise ParseError(
                err.reason,
                path=path,
                line=lineno + err.offset,
                column=err.column,
                source=err.content,
            ) from None
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
        return Line(
            text, newline, lineno, Kind.OPTION, option=parsed[0], comment=comment, options=parsed
        )
    return Line(text, newline, lineno, Kind.REQUIREMENT, requirement=parsed, comment=comment)


def parse_requirement(text: str, *, pbr: bool = False) -> Requirement:
    """Read a requirement given on its own (a command-line argument)."""
    line = parse_line(text, path='<argument>', pbr=pbr)
    if line.requirement is None:
        raise ParseError('expected a requirement', path='<argument>', source=text)
    return line.requirement


def _place(
    err: ParseError,
    text: str,
    places: list[tuple[int, int, str]] | None,
    path: str | None,
    lineno: int,
) -> ParseError:
    """Point ``err`` (a column in the logical line) at the physical line."""
    if places is None:
        return ParseError(
            err.reason, path=path, line=lineno, column=max(err.column, 1), source=text
        )
    offset, column, source = place(places, err.column)
    return ParseError(err.reason, path=path, line=lineno + offset, column=column, source=source)


def _parse_option_line(body: str, start: int) -> tuple[Option, ...] | Requirement:
    """The options of a line that starts with one, read as pip reads them;
    or the editable requirement of a ``-e`` line."""
    editable = editable_value(body, start)
    if editable is not None:
        value, column = editable
        return _parse_requirement(value, column, False, editable=True)
    return parse_options(body, start)


def _parse_requirement(body: str, start: int, pbr: bool, editable: bool = False) -> Requirement:
    if len(body) > _DIGITS_FLOOR:
        _check_numbers(body, start)
    if not editable and not (pbr and ':' in body):
        simple = _simple_requirement(body)
        if simple is not None:
            return simple
    return _parse_full(body, start, pbr, editable)


def _parse_full(body: str, start: int, pbr: bool, editable: bool = False) -> Requirement:
    """Any requirement pip reads, through packaging's parser."""
    body, options = split_trailing_options(body, start)
    if (
        _URL_RE.match(body)
        or body.startswith(('.', '/', '~'))
        or (editable and '@' not in body and not NAME_RE.fullmatch(body))
    ):
        return _parse_legacy_url(body, options, editable, start)
    marker_text = ''
    if pbr and ':' in body and '@' not in body:
        head, _, marker_text = body.partition(':')
        marker_text = marker_text.strip()
        if marker_text:
            try:
                parse_marker(marker_text)
            except InvalidMarker as err:
                raise ParseError(marker_reason(err), column=start + len(head) + 2) from None
        body = head.rstrip()
    try:
        parsed = _PackagingRequirement(body)
    except InvalidRequirement as err:
        raise diagnose(body, err, start) from None
    url_style: UrlStyle = 'pep508' if parsed.url else ''
    if parsed.marker is not None:
        after = body.find(parsed.url) + len(parsed.url) if parsed.url else 0
        marker_text = body[body.index(';', after) + 1 :].strip()
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
            raise ParseError(
                f'a number of {digits} digits (Python reads at most {limit})',
                column=start + found.start() + 1,
            )


# The common shape of a line, read without packaging's parser: a name,
# extras, specifiers whose versions are plainly valid for their operator,
# and a marker (checked by packaging, cached). Anything else (URLs, '~=1',
# local versions, parentheses, odd blanks) goes the long way; both ways give
# the same Requirement (a test holds them equal over the corpus). No two
# runs of blanks can meet, so the match is linear in the line.
_NAME = r'[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?'
_RELEASE = r'[0-9]+(?:\.[0-9]+)*'
_TAIL = r'(?:(?:a|b|rc)[0-9]+)?(?:\.post[0-9]+)?(?:\.dev[0-9]+)?'
_ITEM = (
    r'(?:(?:>=|<=|<|>)[ \t]*'
    + _RELEASE
    + _TAIL
    + r'|(?:==|!=)[ \t]*'
    + _RELEASE
    + r'(?:\.\*|'
    + _TAIL
    + r')'
    + r'|~=[ \t]*[0-9]+(?:\.[0-9]+)+'
    + _TAIL
    + r'|===[ \t]*[0-9A-Za-z.+_!-]+)'
)
_SIMPLE_RE = re.compile(
    r'(' + _NAME + r')[ \t]*'
    r'(?:\[([ \t]*' + _NAME + r'[ \t]*(?:,[ \t]*' + _NAME + r'[ \t]*)*)\][ \t]*)?'
    r'(?:(' + _ITEM + r'(?:[ \t]*,[ \t]*' + _ITEM + r')*)[ \t]*)?'
    r'(?:;(.*))?',
    re.DOTALL,
)


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
            parse_marker(marker_text)
        except InvalidMarker:
            return None
    return Requirement(
        name,
        tuple(e.strip(' \t') for e in extras.split(',')) if extras else (),
        spec or '',
        marker_text,
    )


def _extras_as_written(body: str, parsed: _PackagingRequirement) -> tuple[str, ...]:
    if not parsed.extras:
        return ()
    open_ = body.index('[')
    inner = body[open_ + 1 : body.index(']', open_)]
    return tuple(e.strip() for e in inner.split(',') if e.strip())


def _parse_legacy_url(
    body: str, options: tuple[str, ...], editable: bool, start: int = 0
) -> Requirement:
    marker_text = ''
    if '; ' in body or ' ;' in body:
        match = re.search(r'\s;|;\s', body)
        assert match is not None
        after = body[match.end() :]
        marker_text = after.strip()
        lead = len(after) - len(after.lstrip())
        body = body[: match.start()].rstrip()
        try:
            parse_marker(marker_text)
        except InvalidMarker as err:
            raise ParseError(
                marker_reason(err), column=start + match.end() + lead + syntax_error(err)[1] + 1
            ) from None
    egg = _EGG_RE.search(body)
    name: str | None = None
    if egg:
        name = _egg_name(egg.group(1))
    else:
        wheel = _WHEEL_RE.search(body.split('#', 1)[0])
        if wheel:
            name = wheel.group(1)
    return Requirement(
        name=name,
        marker_text=marker_text,
        url=body,
        url_style='legacy',
        editable=editable,
        options=options,
    )


def _egg_name(fragment: str) -> str:
    """``oslo.config-1.2.0a3`` names ``oslo.config``, as pip reads it."""
    match = re.match(r'(.+?)-(\d[^-]*)$', fragment)
    return match.group(1) if match else fragment
