"""Local package sources: a path or a ``file:`` URL the user named, read
only when it is a regular file (a FIFO, a device or a directory could be
read for ever), each read bounded."""

from __future__ import annotations

import os
import stat
import urllib.parse
import urllib.request

from openstack_requirements.ops.constraints.metadata.bounds import MetadataError, Refused


def file_path(url: str) -> str:
    return urllib.request.url2pathname(urllib.parse.urlsplit(url).path)


def open_local(path: str, url: str) -> int:
    """A descriptor of the regular file ``path`` (a FIFO, a device or a
    directory is refused: it could be read for ever)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, 'O_NONBLOCK', 0))
    except OSError as err:
        raise MetadataError(err.strerror or str(err), url) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise Refused('not a regular file', url)
    return fd


def read_local(path: str, url: str, limit: int) -> bytes:
    fd = open_local(path, url)
    with os.fdopen(fd, 'rb') as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise Refused(f'larger than {limit} bytes', url)
    return data


def local_place(location: str) -> str | None:
    """The path of a local source (a path or a ``file:`` URL), else None."""
    if location.startswith('file:'):
        return file_path(location)
    if '://' in location:
        return None
    return location
