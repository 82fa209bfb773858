"""update-requirements: sync projects' dependencies with the global list.

From the smallest piece to the whole: :mod:`.policy` (the merge policy:
the specifiers a synced line states), :mod:`.line` (one line),
:mod:`.entry` (the marker variants of one package in one source),
:mod:`.source` (one list of lines), :mod:`.run` (projects, a whole run);
:mod:`.global_list` is what they sync with, :mod:`.report` what they
report. :mod:`.commit` (a commit per project) and :mod:`.normalize` (a
file in canonical form) are imported on their own.

The names below are the job's API.
"""

from openstack_requirements.ops.sync.entry import (
    EntrySync,
    entry_rows,
    pair_variants,
    sync_entry,
)
from openstack_requirements.ops.sync.global_list import GlobalList, load_global
from openstack_requirements.ops.sync.line import Style, Synced, sync_line
from openstack_requirements.ops.sync.policy import Merge, Policy, merge
from openstack_requirements.ops.sync.report import (
    ADDED,
    COLUMNS,
    EXCLUDED_MINIMUM,
    REMOVED,
    UNKNOWN,
    Row,
)
from openstack_requirements.ops.sync.run import (
    ProjectSync,
    SyncRun,
    file_style,
    plan,
    sync_project,
    write,
)
from openstack_requirements.ops.sync.source import (
    EntryKey,
    Place,
    SourceSync,
    entry_key,
    sync_lines,
    sync_text,
)

__all__ = [
    'ADDED',
    'COLUMNS',
    'EXCLUDED_MINIMUM',
    'REMOVED',
    'UNKNOWN',
    'EntryKey',
    'EntrySync',
    'GlobalList',
    'Merge',
    'Place',
    'Policy',
    'ProjectSync',
    'Row',
    'SourceSync',
    'Style',
    'SyncRun',
    'Synced',
    'entry_key',
    'entry_rows',
    'file_style',
    'load_global',
    'merge',
    'pair_variants',
    'plan',
    'sync_entry',
    'sync_line',
    'sync_lines',
    'sync_project',
    'sync_text',
    'write',
]
