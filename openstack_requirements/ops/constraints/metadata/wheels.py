"""A wheel's own metadata (``.dist-info/METADATA``), read as little of the
wheel as its source lets: the zip directory, then the one member (by range
requests from a server), every read bounded."""

from __future__ import annotations

import os

from openstack_requirements.ops.constraints.metadata import archive, http, ranges, zipped
from openstack_requirements.ops.constraints.metadata.bounds import Limits
from openstack_requirements.ops.constraints.metadata.local import file_path, open_local

#: Where a wheel's requirements were read from.
WHEEL_METADATA = "the wheel's METADATA"
#: The end of a zip file read first: its directory, most often.
TAIL = 65536 + 22


def remote_headers(client: http.Client, url: str, limits: Limits) -> archive.HeaderScanner | None:
    """The metadata headers of the wheel at ``url`` (None: none read)."""
    remote = ranges.RemoteFile(client, url, limits.archive)
    tail = remote.tail(TAIL)
    assert remote.size is not None
    return headers_of(remote.read_at, remote.size, tail, limits, url)


def local_headers(url: str, limits: Limits) -> archive.HeaderScanner | None:
    """The metadata headers of a local wheel (a regular file only)."""
    fd = open_local(file_path(url), url)
    with os.fdopen(fd, 'rb') as handle:
        size = os.fstat(handle.fileno()).st_size
        tail_size = min(size, TAIL)

        def read_at(offset: int, length: int) -> bytes:
            return os.pread(handle.fileno(), length, offset)

        return headers_of(read_at, size, read_at(size - tail_size, tail_size), limits, url)


def headers_of(
    read_at: zipped.ReadAt, size: int, tail: bytes, limits: Limits, url: str
) -> archive.HeaderScanner | None:
    """The headers of the one ``*.dist-info/METADATA`` of a zip (None: not
    exactly one)."""
    opened = zipped.Zip(read_at, size, tail, limits, url)
    members = [e for e in opened.entries if _metadata_member(e.name)]
    if len(members) != 1:
        return None
    return archive.scan_member(opened.member(members[0]), limits, url)


def _metadata_member(member: str) -> bool:
    parts = member.split('/')
    return len(parts) == 2 and parts[0].endswith('.dist-info') and parts[1] == 'METADATA'
