"""One finding type for every problem the toolkit reports about a place:
a check's finding, a lint problem, a line that stops a sync."""

from __future__ import annotations

import dataclasses
from typing import Final, Literal

#: How bad a finding is.
Severity = Literal['error', 'warning', 'info']
ERROR: Final = 'error'
WARNING: Final = 'warning'
INFO: Final = 'info'
SEVERITIES: tuple[Severity, ...] = (ERROR, WARNING, INFO)


@dataclasses.dataclass(frozen=True)
class Finding:
    """One problem: what found it (a check, a lint rule, the sync), how
    bad it is, and where (file, line, and column when known)."""

    check: str
    severity: Severity
    file: str
    line: int | None
    package: str
    message: str
    column: int | None = None

    def row(self) -> tuple[str, str, str, int | None, str, str]:
        return (self.check, self.severity, self.file, self.line, self.package, self.message)

    def __str__(self) -> str:
        """``file:line:column: message``, as far as the place is known."""
        place = ':'.join(
            str(part) for part in (self.file, self.line, self.column) if part not in (None, '')
        )
        return f'{place}: {self.message}' if place else self.message
