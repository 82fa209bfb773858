"""update-requirements: sync projects' dependencies with the global list.

The names below are the job's API; each lives in the module of its
concept. :mod:`.commit` (a commit per project) and :mod:`.normalize` (a
file in canonical form) are imported on their own.
"""

from openstack_requirements.ops.sync.run import (
    ADDED,
    COLUMNS,
    EXCLUDED_MINIMUM,
    REMOVED,
    UNKNOWN,
    EntryKey,
    EntrySync,
    GlobalList,
    Merge,
    Place,
    Policy,
    ProjectSync,
    Row,
    SourceSync,
    Style,
    Synced,
    SyncRun,
    entry_key,
    entry_rows,
    file_style,
    load_global,
    merge,
    pair_variants,
    plan,
    sync_entry,
    sync_line,
    sync_lines,
    sync_project,
    sync_text,
    write,
)

__all__ = [
    'ADDED', 'COLUMNS', 'EXCLUDED_MINIMUM', 'REMOVED', 'UNKNOWN',
    'EntryKey', 'EntrySync', 'GlobalList', 'Merge', 'Place', 'Policy',
    'ProjectSync', 'Row', 'SourceSync', 'Style', 'SyncRun', 'Synced',
    'entry_key', 'entry_rows', 'file_style', 'load_global', 'merge',
    'pair_variants', 'plan', 'sync_entry', 'sync_line', 'sync_lines',
    'sync_project', 'sync_text', 'write',
]
