"""Physical and logical lines, split exactly as pip splits a requirements file.

pip decodes a file (dropping a byte-order mark), splits it with
:meth:`str.splitlines` -- on every line break Python knows, not only
``\\n`` -- and joins a line ending in ``\\`` with the next one unless it is
a whole-line comment; the last line may end in ``\\`` too. Ours splits the
same way, but keeps every terminator so a file is written back byte for
byte.

Everything here is linear in its input.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

#: Every line break :meth:`str.splitlines` splits on (``\\r\\n`` is one).
LINE_BREAKS = '\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029'
#: The byte-order mark pip drops from the start of a file.
BOM = '\ufeff'

_BREAK_RE = re.compile('[' + LINE_BREAKS + ']')
# pip's whole-line comment: a '#' at the start, maybe after blanks.
_WHOLE_COMMENT_RE = re.compile(r'\s*#')


def split_physical(text: str) -> list[tuple[str, str]]:
    """``(content, terminator)`` for each physical line of ``text``.

    ``''.join(c + t for c, t in split_physical(text)) == text``; the
    terminator of the last line is ``''`` when the text does not end in a
    line break.
    """
    result = []
    for chunk in text.splitlines(True):
        last = chunk[-1]
        if last == '\n' and chunk.endswith('\r\n'):
            result.append((chunk[:-2], '\r\n'))
        elif last in LINE_BREAKS:
            result.append((chunk[:-1], last))
        else:
            result.append((chunk, ''))
    return result


def count_physical(text: str) -> int:
    """How many physical lines the text of one logical line spans."""
    chunks = len(text.splitlines())
    return chunks + (1 if not text or text[-1] in LINE_BREAKS else 0)


def is_whole_comment(content: str) -> bool:
    """A line pip takes as a comment as a whole (it never continues)."""
    return _WHOLE_COMMENT_RE.match(content) is not None


def split_logical(text: str) -> Iterator[tuple[int, str, str]]:
    """``(first line number, text, terminator)`` for each logical line.

    As pip reads files, a line ending in ``\\`` continues on the next
    one, unless it is a whole-line comment. ``text`` keeps the inner
    terminators of a continued line, and a byte-order mark at the start of
    the file stays in the first line's text: joined with their
    terminators, the logical lines give back ``text`` exactly.
    """
    pending: list[str] = []
    start = 1
    for lineno, (content, newline) in enumerate(split_physical(text), 1):
        if not pending:
            start = lineno
        bare = content[1:] if lineno == 1 and content[:1] == BOM else content
        if newline and bare.endswith('\\') and not is_whole_comment(bare):
            pending.append(content + newline)
            continue
        pending.append(content)
        yield start, ''.join(pending), newline
        pending = []
    if pending:  # a continuation on the very last line
        content, newline = split_physical(pending[-1])[0]
        pending[-1] = content
        yield start, ''.join(pending), newline


class StrayBreak(ValueError):
    """A line break inside one logical line that does not continue it
    (pip would split the line there)."""

    def __init__(self, offset: int, column: int, content: str, char: str) -> None:
        #: The physical line (from 0) and column (from 1) of the break.
        self.offset = offset
        self.column = column
        self.content = content
        self.reason = f'line break U+{ord(char):04X} inside a line'
        super().__init__(self.reason)


def logical_text(text: str, first: bool = True) -> tuple[str, list[tuple[int, int, str]]]:
    """pip's reading of one logical line, and where each part came from.

    Returns the joined text (backslashes of continued lines removed, a
    byte-order mark dropped when ``first`` is true) and, for each physical
    line, ``(start in the joined text, characters dropped at its start,
    content)``, to place a column back on its physical line. Raises
    :class:`StrayBreak` for a line break that does not continue a line.
    """
    parts = split_physical(text)
    if not parts or parts[-1][1]:
        parts.append(('', ''))
    pieces: list[str] = []
    places: list[tuple[int, int, str]] = []
    at = 0
    last = len(parts) - 1
    for index, (content, newline) in enumerate(parts):
        if index == 0 and first and content[:1] == BOM:
            content = content[1:]
        comment = is_whole_comment(content)
        if index < last and (comment or not content.endswith('\\')):
            raise StrayBreak(index, len(content) + 1, content, newline[0])
        if comment and index:
            piece, dropped = ' ' + content, -1  # pip sets a comment apart
        elif not comment and content.endswith('\\'):
            piece = content.strip('\\')
            dropped = len(content) - len(content.lstrip('\\'))
        else:
            piece, dropped = content, 0
        places.append((at, dropped, content))
        pieces.append(piece)
        at += len(piece)
    return ''.join(pieces), places


def place(places: list[tuple[int, int, str]], column: int) -> tuple[int, int, str]:
    """``(physical line from 0, column, content)`` of ``column`` (from 1)
    of the joined text that :func:`logical_text` returned with ``places``."""
    index = 0
    for candidate, (at, _, _) in enumerate(places):
        if at <= column - 1:
            index = candidate
    at, dropped, content = places[index]
    return index, max(column - at + dropped, 1), content
