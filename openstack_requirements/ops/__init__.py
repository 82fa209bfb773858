"""Operations: reading projects, syncing, checks, constraints, resolvers."""


def clear_caches() -> None:
    """Forget what every in-memory cache of the model and the operations
    holds (parsed lines, markers, versions, synced pairs): the next run
    starts cold. A cache never changes a result (each is keyed by all its
    result depends on), only how long it takes."""
    from openstack_requirements.model import parsing, versions
    from openstack_requirements.ops import project, sync

    parsing.clear_caches()
    for cached in (versions.parse_version, versions._implied,
                   versions.normal_marker):
        cached.cache_clear()
    project.clear_caches()
    sync.clear_caches()
