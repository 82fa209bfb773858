"""The one place in-memory caches are made, so that all can be cleared.

A large run parses the same few texts (versions, markers, specifiers,
whole requirement lines) many times; each is worked out once and kept in
a bounded cache, so that a long-running process does not grow without
end. Every cache of the model and the operations is made here:

* :func:`bounded`, a function's results by its arguments (``lru_cache``:
  the least recently used result goes when the cache is full);
* :class:`Table`, a mapping filled by hand that stops growing when full
  (where a hit needs more than a lookup, e.g. a line read again at
  another line number).

A cache is keyed by the values of every input its result depends on
(texts, numbers, enums, frozen dataclasses), never by an object's
identity, and never changes a result, only how long it takes.
:func:`clear_all` forgets every one: a benchmark's run or a test then
starts cold, as one run of a command does.

Pure: no I/O; the model and the operations both use it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Protocol, TypeVar

#: The size of a cache that names none: a run's distinct texts fit in it.
MAXSIZE = 65536

_F = TypeVar('_F', bound=Callable[..., object])
_K = TypeVar('_K')
_V = TypeVar('_V')


class _Clearable(Protocol):
    def cache_clear(self) -> None: ...

    def __len__(self) -> int: ...


_CACHES: list[_Clearable] = []


def bounded(maxsize: int = MAXSIZE) -> Callable[[_F], _F]:
    """Decorate a function of hashable values: each result kept, at most
    ``maxsize`` of them (the least recently used goes first)."""

    def decorate(function: _F) -> _F:
        cached = functools.lru_cache(maxsize=maxsize)(function)
        _CACHES.append(_LruCache(cached))
        return cached  # type: ignore[return-value]

    return decorate


class _LruCache:
    """An ``lru_cache`` wrapper as :func:`clear_all` and :func:`held` see
    it."""

    def __init__(self, cached: functools._lru_cache_wrapper[object]) -> None:
        self.cached = cached

    def cache_clear(self) -> None:
        self.cached.cache_clear()

    def __len__(self) -> int:
        return self.cached.cache_info().currsize


class Table(dict[_K, _V]):
    """A cache filled by hand: :meth:`put` stores until ``maxsize``
    entries are held, then stores nothing more (what is held stays
    valid); read it as a dict (``get``, ``in``)."""

    def __init__(self, maxsize: int = MAXSIZE) -> None:
        super().__init__()
        self.maxsize = maxsize
        _CACHES.append(self)

    def put(self, key: _K, value: _V) -> None:
        if len(self) < self.maxsize:
            self[key] = value

    def cache_clear(self) -> None:
        self.clear()


def clear_all() -> None:
    """Forget what every cache holds: the next run starts cold."""
    for cache in _CACHES:
        cache.cache_clear()


def held() -> int:
    """How many results all caches hold together (for tests)."""
    return sum(len(cache) for cache in _CACHES)
