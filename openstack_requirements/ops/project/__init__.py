"""A project tree: its dependency files, read losslessly, and which
projects a command looks at.

The names below are the job's API; each lives in the module of its
concept.
"""

from openstack_requirements.ops.project.pyproject import PyprojectToml
from openstack_requirements.ops.project.requirements_txt import RequirementsTxt
from openstack_requirements.ops.project.selection import Selection, read_projects_list, select
from openstack_requirements.ops.project.setup_cfg import SETUP_CFG_SECTIONS, SetupCfg
from openstack_requirements.ops.project.sources import DependencyFile, Source
from openstack_requirements.ops.project.tree import (
    GOVERNED,
    SUBDIRS,
    TOOL_TABLE,
    TOP_PATTERNS,
    Project,
    check_pattern,
    check_tree,
    project_includes,
    read_project,
    requirement_paths,
)

__all__ = [
    'GOVERNED',
    'SETUP_CFG_SECTIONS',
    'SUBDIRS',
    'TOOL_TABLE',
    'TOP_PATTERNS',
    'DependencyFile',
    'Project',
    'PyprojectToml',
    'RequirementsTxt',
    'SetupCfg',
    'Selection',
    'Source',
    'check_pattern',
    'check_tree',
    'select',
    'project_includes',
    'read_project',
    'read_projects_list',
    'requirement_paths',
]
