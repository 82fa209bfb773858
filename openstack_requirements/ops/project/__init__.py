"""A project tree: its dependency files, read losslessly, and which
projects a command looks at.

The names below are the job's API; each lives in the module of its
concept.
"""

from openstack_requirements.ops.project.tree import (
    GOVERNED,
    SETUP_CFG_SECTIONS,
    SUBDIRS,
    TOOL_TABLE,
    TOP_PATTERNS,
    DependencyFile,
    Project,
    PyprojectToml,
    RequirementsTxt,
    SetupCfg,
    Source,
    check_pattern,
    check_tree,
    find_listed_projects,
    project_includes,
    read_project,
    read_projects_list,
    requirement_paths,
)

__all__ = [
    'GOVERNED', 'SETUP_CFG_SECTIONS', 'SUBDIRS', 'TOOL_TABLE', 'TOP_PATTERNS',
    'DependencyFile', 'Project', 'PyprojectToml', 'RequirementsTxt', 'SetupCfg',
    'Source', 'check_pattern', 'check_tree', 'find_listed_projects',
    'project_includes', 'read_project', 'read_projects_list', 'requirement_paths',
]
