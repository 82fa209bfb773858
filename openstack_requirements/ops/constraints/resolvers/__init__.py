"""Resolver drivers: turn a requirements file into exact pins for one
Python version without installing anything.

Drivers are stevedore plugins in the ``openstack_requirements.resolvers``
namespace (``uv``, ``pip``); see :mod:`.base` for the interface.
"""

from openstack_requirements.ops.constraints.resolvers.base import (
    NAMESPACE,
    ResolutionError,
    Resolver,
    ResolverOptions,
    Target,
    load,
    resolve_all,
    target_for,
)

__all__ = [
    'NAMESPACE',
    'ResolutionError',
    'Resolver',
    'ResolverOptions',
    'Target',
    'load',
    'resolve_all',
    'target_for',
]
