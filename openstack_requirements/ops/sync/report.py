"""What a sync reports: its rows (the columns of update-requirements'
output, each with the project line it is about) and the problems that stop
it."""

from __future__ import annotations

import dataclasses

from openstack_requirements.ops.findings import ERROR, Finding

COLUMNS = ('File', 'Package', 'Old', 'New', 'Reason')

UNKNOWN = 'not in global requirements'
ADDED = 'added marker variant'
REMOVED = 'removed marker variant'
#: A project minimum the global list excludes: the row shows the bound as
#: the project states it and as it is written (kept beside the exclusion;
#: empty when a global cap refuses it); the project should raise it.
EXCLUDED_MINIMUM = 'minimum excluded by the global list: raise it'


@dataclasses.dataclass(frozen=True)
class Row:
    """One line of the report, about one line of a project's file."""

    file: str
    package: str
    old: str
    new: str
    reason: str
    #: The number of the project line it is about (for a marker variant
    #: added, the line it was made from): not a column of the report.
    line: int

    def as_tuple(self) -> tuple[str, str, str, str, str]:
        return (self.file, self.package, self.old, self.new, self.reason)


def stop(path: str, line: int, column: int, message: str) -> Finding:
    """A place that stops the sync, shown ``file:line:column: message``."""
    return Finding('sync', ERROR, path, line, '', message, column)
