"""Archives that inflate far beyond their size, written without holding
them: small ones for the default run (against small limits), huge ones
for ``tox -e hostile``."""

from __future__ import annotations

import io
import tarfile
import zipfile
import zlib
from pathlib import Path

_BLOCK = 1 << 20


def _tar_header(name: str, size: int) -> bytes:
    entry = tarfile.TarInfo(name)
    entry.size = size
    return entry.tobuf(format=tarfile.GNU_FORMAT)


def _deflate_zeros(out: io.BufferedWriter, compressor: zlib._Compress, size: int) -> None:
    block = bytes(_BLOCK)
    left = size
    while left > 0:
        out.write(compressor.compress(block[: min(left, _BLOCK)]))
        left -= _BLOCK


def tar_gz(
    path: Path,
    name: str,
    version: str,
    *,
    zeros_before: int = 0,
    pkg_info: bytes | None = None,
    pkg_info_zeros: int = 0,
) -> Path:
    """``name-version.tar.gz``: a member of ``zeros_before`` zero bytes,
    then PKG-INFO (``pkg_info``, followed by ``pkg_info_zeros`` zero
    bytes: a header line that never ends)."""
    base = f'{name}-{version}'
    if pkg_info is None:
        pkg_info = (f'Metadata-Version: 2.2\nName: {name}\nVersion: {version}\n\n').encode()
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    with open(path, 'wb') as out:
        if zeros_before:
            out.write(compressor.compress(_tar_header(f'{base}/big.bin', zeros_before)))
            _deflate_zeros(out, compressor, zeros_before)
            out.write(compressor.compress(bytes(-zeros_before % 512)))
        size = len(pkg_info) + pkg_info_zeros
        out.write(compressor.compress(_tar_header(f'{base}/PKG-INFO', size)))
        out.write(compressor.compress(pkg_info))
        _deflate_zeros(out, compressor, pkg_info_zeros)
        out.write(compressor.compress(bytes(-size % 512) + bytes(1024)))
        out.write(compressor.flush())
    return path


def gzip_zeros(size: int, prefix: bytes = b'') -> bytes:
    """``prefix`` and ``size`` zero bytes, gzip-compressed."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    out = io.BytesIO()
    out.write(compressor.compress(prefix))
    block = bytes(_BLOCK)
    left = size
    while left > 0:
        out.write(compressor.compress(block[: min(left, _BLOCK)]))
        left -= _BLOCK
    out.write(compressor.flush())
    return out.getvalue()


def wheel(path: Path, name: str, version: str, *, metadata_zeros: int = 0) -> Path:
    """``name-version-py3-none-any.whl`` whose METADATA's headers never
    end: ``metadata_zeros`` zero bytes after ``Description:``."""
    dist = name.replace('-', '_')
    info = f'{dist}-{version}.dist-info'
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        head = (
            f'Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n'
            + ('Description: ' if metadata_zeros else '\n')
        ).encode()
        with archive.open(
            f'{info}/METADATA', 'w', force_zip64=metadata_zeros > (1 << 31)
        ) as handle:
            handle.write(head)
            block = bytes(_BLOCK)
            left = metadata_zeros
            while left > 0:
                handle.write(block[: min(left, _BLOCK)])
                left -= _BLOCK
        archive.writestr(
            f'{info}/WHEEL', 'Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n'
        )
        archive.writestr(f'{info}/RECORD', '')
    return path
