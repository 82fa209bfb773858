"""The pure model: requirement lines and files, no I/O."""

from openstack_requirements.model.reqfile import (
    LazyRequirementsFile,
    RequirementsFile,
    split_logical,
)
from openstack_requirements.model.requirement import (
    Kind,
    Line,
    Option,
    Requirement,
    canonical,
    parse_line,
    parse_requirement,
    render_specifier,
    sorted_specifiers,
    split_comment,
)

__all__ = [
    'Kind', 'LazyRequirementsFile', 'Line', 'Option', 'Requirement',
    'RequirementsFile', 'canonical',
    'parse_line', 'parse_requirement', 'render_specifier', 'sorted_specifiers',
    'split_comment', 'split_logical',
]
