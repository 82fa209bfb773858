"""The exception root for every expected failure of the toolkit.

An expected failure is bad input (a malformed line, a missing file, an
unknown option value) or a failed operation (a resolver conflict). The
command-line app turns any of these into one line on stderr and exit 1;
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class RequirementsError(Exception):
    """Root of every error the toolkit raises on purpose."""

    def render(self) -> str:
        """The text shown to a user: one line, maybe followed by detail."""
        return str(self)


class ParseError(RequirementsError):
    """A line that cannot be read, with its place and a caret under it."""

    def __init__(
        self,
        reason: str,
        *,
        path: str | None = None,
        line: int = 1,
        column: int = 1,
        source: str = '',
    ) -> None:
        self.reason = reason
        self.path = path
        self.line = line
        self.column = column
        self.source = source
        super().__init__(str(self))

    def located(self, path: str | None, line_offset: int = 0) -> ParseError:
        """A copy placed in ``path``, ``line_offset`` lines further down."""
        return ParseError(
            self.reason,
            path=path if path is not None else self.path,
            line=self.line + line_offset,
            column=self.column,
            source=self.source,
        )

    def __str__(self) -> str:
        where = self.path or '<string>'
        return f'{where}:{self.line}:{self.column}: {self.reason}'

    def render(self) -> str:
        if not self.source:
            return str(self)
        caret = ' ' * (self.column - 1) + '^'
        return f'{self}\n    {self.source}\n    {caret}'


class FileError(RequirementsError):
    """A file that cannot be read or written."""
