"""Package indexes uncompressed, as apt serves and stores them.

gzip, xz and bzip2 are uncompressed here, in a thread that hands the
pieces over as they come, so that the reader works while the next piece
is uncompressed (the decompressors let go of the interpreter lock). lz4
and zstd (apt keeps its lists so on Debian images) go through the ``lz4``
or ``zstd`` program, else apt's own ``apt-helper cat-file``. The
compression is told by the first bytes, not by the name.
"""

from __future__ import annotations

import bz2
import lzma
import os
import queue
import shutil
import subprocess
import threading
import zlib
from collections.abc import Callable, Iterator
from typing import Any

from openstack_requirements.errors import FileError
from openstack_requirements.ops.files import read_bytes

#: Compressions by their first bytes: ``(magic, name, program)``; those
#: with a program are read through it.
_MAGIC = (
    (b'\x1f\x8b', 'gzip', None),
    (b'\xfd7zXZ\x00', 'xz', None),
    (b'BZh', 'bzip2', None),
    (b'\x04\x22\x4d\x18', 'lz4', 'lz4'),
    (b'\x28\xb5\x2f\xfd', 'zstd', 'zstd'),
)
_DECOMPRESSORS: dict[str, Callable[[], Any]] = {
    'gzip': lambda: zlib.decompressobj(wbits=16 + zlib.MAX_WBITS),
    'xz': lzma.LZMADecompressor,
    'bzip2': bz2.BZ2Decompressor,
}
APT_HELPER = '/usr/lib/apt/apt-helper'
#: Compressed bytes uncompressed at a time.
CHUNK = 1 << 20
_ERRORS = (OSError, EOFError, lzma.LZMAError, zlib.error, ValueError)


def uncompressed(path: str | os.PathLike[str]) -> bytes:
    """The bytes of ``path``, uncompressed."""
    return b''.join(pieces(path))


def pieces(path: str | os.PathLike[str]) -> Iterator[bytes]:
    """The bytes of ``path``, uncompressed, a piece at a time."""
    raw = read_bytes(path)
    for magic, kind, program in _MAGIC:
        if not raw.startswith(magic):
            continue
        if program is not None:
            return iter([_through_program(path, kind, program)])
        return _ahead(_streams(path, kind, raw))
    return iter([raw])


def _streams(path: str | os.PathLike[str], kind: str, raw: bytes) -> Iterator[bytes]:
    """Each stream of ``raw`` uncompressed (a file may hold several, one
    after another, as gzip and xz allow)."""
    view = memoryview(raw)
    try:
        while view:
            decompressor = _DECOMPRESSORS[kind]()
            pos = 0
            while not decompressor.eof:
                if pos >= len(view):
                    raise EOFError('the data ends before the end of the stream')
                piece = decompressor.decompress(view[pos : pos + CHUNK])
                pos += CHUNK
                if piece:
                    yield piece
            rest = decompressor.unused_data
            view = memoryview(rest + view[pos:]) if pos < len(view) else memoryview(rest)
            if not any(view):  # padding after the last stream
                break
    except _ERRORS as err:
        raise FileError(f'{path}: corrupt {kind} data ({err})') from None


def _ahead(produced: Iterator[bytes], depth: int = 4) -> Iterator[bytes]:
    """The items of ``produced``, made by a thread up to ``depth`` items
    ahead of the consumer; its error raised in the consumer's turn."""
    handed: queue.Queue[tuple[bytes | None, BaseException | None]] = queue.Queue(depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in produced:
                while not stop.is_set():
                    try:
                        handed.put((item, None), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            handed.put((None, None))
        except BaseException as err:  # handed over, raised by the consumer
            handed.put((None, err))

    worker = threading.Thread(target=produce, name='uncompress', daemon=True)
    worker.start()
    try:
        while True:
            item, error = handed.get()
            if error is not None:
                raise error
            if item is None:
                return
            yield item
    finally:
        stop.set()
        worker.join()


def _through_program(path: str | os.PathLike[str], kind: str, program: str) -> bytes:
    """An lz4 or zstd file, uncompressed by its own program, else by apt
    (which tells the compression by the name's suffix)."""
    found = shutil.which(program)
    if found is not None:
        command = [found, '-dc', '--', str(path)]
    elif os.access(APT_HELPER, os.X_OK) and str(path).endswith(f'.{program}'):
        command = [APT_HELPER, 'cat-file', str(path)]
    else:
        raise FileError(
            f'{path}: {kind}-compressed; reading it needs the {program} '
            f"program or apt's apt-helper (for a name ending .{program})"
        )
    try:
        done = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, check=False)
    except OSError as err:
        raise FileError(f'{path}: cannot run {command[0]}: {err.strerror}') from None
    if done.returncode:
        reason = done.stderr.decode('utf-8', 'replace').strip().splitlines()
        raise FileError(f'{path}: corrupt {kind} data' + (f' ({reason[-1]})' if reason else ''))
    return done.stdout
