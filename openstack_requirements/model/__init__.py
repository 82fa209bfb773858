"""The pure model: requirement lines and files, no I/O."""

from openstack_requirements.model.lines import (
    LINE_BREAKS,
    split_logical,
    split_physical,
)
from openstack_requirements.model.parsing import (
    parse_line,
    parse_requirement,
    split_comment,
)
from openstack_requirements.model.reqfile import (
    LazyRequirementsFile,
    RequirementsFile,
)
from openstack_requirements.model.requirement import (
    Kind,
    Line,
    Option,
    Requirement,
    canonical,
)
from openstack_requirements.model.specifiers import render_specifier, sorted_specifiers

__all__ = [
    'LINE_BREAKS',
    'Kind',
    'LazyRequirementsFile',
    'Line',
    'Option',
    'Requirement',
    'RequirementsFile',
    'canonical',
    'parse_line',
    'parse_requirement',
    'render_specifier',
    'sorted_specifiers',
    'split_comment',
    'split_logical',
    'split_physical',
]
