"""The repros of the safety review, through the real App: nothing written
outside a project, nothing read from outside it, read-only files kept."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.mark.parametrize('argv', [
    ('edit-constraints', '{path}', 'pbr', 'pbr===6.1.1'),
    ('normalize-requirements', '--save', '{path}'),
    ('lint', '--fix', '{path}'),
])
def test_read_only_file_refused_by_every_writer(run_app, tmp_path: Path,
                                                argv: tuple[str, ...]) -> None:
    path = tmp_path / 'global-requirements.txt'
    text = 'six >= 1.0\npbr>=1.0\n'
    path.write_text(text)
    path.chmod(0o444)
    result = run_app(*(a.format(path=path) for a in argv))
    assert (result.code, result.stderr) == (
        1, f'{path}: read-only file; nothing was written\n')
    assert path.read_text() == text
