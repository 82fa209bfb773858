"""Column-exact messages for a requirement packaging will not read.

packaging says where its grammar stopped; a person wants to know what to
change. :func:`diagnose` finds the fault (a missing name, an unclosed
extra, an operator or version that is none, a bad marker) and its column,
and words it without packaging's grammar rule names.
"""

from __future__ import annotations

import re

from packaging._tokenizer import ParserSyntaxError
from packaging.markers import InvalidMarker, Marker
from packaging.requirements import InvalidRequirement
from packaging.specifiers import InvalidSpecifier, Specifier

from openstack_requirements.errors import ParseError

#: A package name at the start of a text (blanks before it allowed).
NAME_RE = re.compile(r'\s*([A-Za-z0-9][A-Za-z0-9._-]*)')

_TOKENS = {
    'RIGHT_PARENTHESIS': "')'",
    'LEFT_PARENTHESIS': "'('",
    'RIGHT_BRACKET': "']'",
    'LEFT_BRACKET': "'['",
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


def marker_reason(err: InvalidMarker) -> str:
    return 'invalid marker: ' + _plain(syntax_error(err)[0])


def diagnose(body: str, err: InvalidRequirement, start: int) -> ParseError:
    """A message a person can act on, with the column of the fault."""
    name = NAME_RE.match(body)
    if name is None:
        return ParseError('expected a package name', column=start + 1)
    pos = name.end()
    if body[pos:].lstrip().startswith('['):
        close = body.find(']', pos)
        if close < 0:
            return ParseError("expected ']' to close the extras", column=start + len(body) + 1)
        pos = close + 1
    rest_end = body.find(';', pos)
    spec_text = body[pos : rest_end if rest_end >= 0 else len(body)]
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
        marker_text = body[rest_end + 1 :]
        try:
            Marker(marker_text)
        except InvalidMarker as marker_err:
            offset = syntax_error(marker_err)[1]
            lead = len(marker_text) - len(marker_text.lstrip())
            return ParseError(
                marker_reason(marker_err), column=start + rest_end + 2 + max(offset, lead)
            )
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
        rest = rest[len(operator) :].lstrip()
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
                return ParseError('expected a version specifier', column=column)
            pos += len(item) + 1
            continue
        operator, version = split
        if operator is None:
            return ParseError(
                "expected a version operator ('>=', '==', '!=', '<', ...)", column=column
            )
        if operator == '=':
            return ParseError("unknown operator '=' (did you mean '=='?)", column=column)
        after = offset + pos + item.index(operator) + len(operator) + 1
        if not version:
            return ParseError(f"expected a version after '{operator}'", column=after)
        try:
            Specifier(operator + version)
        except InvalidSpecifier:
            if operator == '~=' and '.' not in version:
                reason = f"'~=' needs a version with at least two parts, not '{version}'"
            else:
                reason = f"invalid version '{version}' after '{operator}'"
            return ParseError(
                reason,
                column=offset
                + pos
                + item.index(version, item.index(operator) + len(operator))
                + 1,
            )
        pos += len(item) + 1
    return None
