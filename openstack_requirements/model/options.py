"""pip's options on a requirements-file line, read as pip reads them.

A line that starts with ``-`` holds options (``-r other.txt``, ``-i URL
--trusted-host HOST``, ``--pre``) or an editable requirement (``-e PATH``);
a requirement may be followed by per-requirement options (``--hash=...``).
Options are ``shlex``-split, then read like ``optparse`` reads them:
``--name=value``, ``--name value``, ``-xvalue``, ``-x value``, a unique
prefix of a long name.
"""

from __future__ import annotations

import shlex

from openstack_requirements.errors import ParseError
from openstack_requirements.model.requirement import Option

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
_PER_REQUIREMENT = ('--hash', '--config-settings', '--global-option', '--install-option')
_SHORT_PER_REQUIREMENT = ('-C',)  # --config-settings
# Every long option pip's requirement-file parser knows (for prefixes).
_LONG_OPTIONS = tuple(
    sorted(
        [o for o in _FILE_OPTIONS if o.startswith('--')]
        + ['--editable']
        + [o for o in _PER_REQUIREMENT if o != '--install-option']
    )
)


def editable_value(body: str, start: int) -> tuple[str, int] | None:
    """``(value, column from 0)`` of the path, URL or requirement of a line
    that starts with ``-e``/``--editable``; ``None`` for any other line."""
    first, rest = _split_first(body)
    if (
        first in _EDITABLE
        or (first[:2] == '-e' and len(first) > 2)
        or (first.startswith('--editable='))
    ):
        if first in _EDITABLE:
            flag, value = first, rest
        elif first.startswith('--'):
            flag, value = '--editable', (first[11:] + ' ' + rest).strip()
        else:
            flag, value = '-e', (first[2:] + ' ' + rest).strip()
        value_column = start + (body.rfind(value) if value else len(body)) + 1
        if not value:
            raise ParseError(f"expected a path or URL after '{flag}'", column=value_column)
        return value, value_column - 1
    return None


def parse_options(body: str, start: int) -> tuple[Option, ...]:
    """The options of a line that starts with one (not ``-e``)."""
    try:
        tokens = shlex.split(body)
    except ValueError as err:  # an open quotation, a final backslash
        raise ParseError(
            f'cannot split the options: {str(err).lower()}', column=start + 1
        ) from None
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
            if flag not in _FILE_OPTIONS and flag not in (*_SHORT_PER_REQUIREMENT, *_EDITABLE):
                raise ParseError(f"unknown option '{flag}'", column=column)
            attached = token[2:] or None
        else:
            raise ParseError(
                f"'{token}' is not an option (pip ignores it; "
                'a requirement goes on a line of its own)',
                column=column,
            )
        if flag in _EDITABLE:
            raise ParseError(f"'{flag}' must start its line", column=column)
        if flag in _PER_REQUIREMENT or flag in _SHORT_PER_REQUIREMENT:
            raise ParseError(f"'{flag}' needs a requirement on its line", column=column)
        name, takes_value = _FILE_OPTIONS[flag]
        if takes_value and attached == '':
            raise ParseError(f"expected a value after '{flag}'", column=column + len(token))
        if takes_value and attached is None:
            if index >= len(tokens):
                raise ParseError(f"expected a value after '{flag}'", column=start + len(body) + 1)
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
        raise ParseError(
            f"ambiguous option '{name}' (" + ', '.join(sorted(matches)) + ')', column=column
        )
    raise ParseError(f"unknown option '{name}'", column=column)


def _split_first(body: str) -> tuple[str, str]:
    parts = body.split(None, 1)
    return parts[0], (parts[1].strip() if len(parts) > 1 else '')


def split_trailing_options(body: str, start: int) -> tuple[str, tuple[str, ...]]:
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
            raise ParseError(f"unknown option '{name}' after a requirement", column=column)
        if '=' not in token:
            if i + 1 >= len(tokens):
                raise ParseError(f"expected a value after '{name}'", column=start + len(body) + 1)
            token = f'{token}={tokens[i + 1]}'
            i += 1
        options.append(token)
        i += 1
    return body[:index].rstrip(), tuple(options)
