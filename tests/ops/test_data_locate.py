"""One locator for the governance data files: a file given on its option,
else --source, else beside the given global list, else the default data."""

from __future__ import annotations

from pathlib import Path

import pytest

from openstack_requirements.errors import FileError
from openstack_requirements.ops import data


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    found = {}
    for name in ('cwd', 'source', 'beside'):
        place = found[name] = tmp_path / name
        place.mkdir()
        for file in (data.GLOBAL, data.UPPER, 'blacklist.txt'):
            (place / file).write_text(f'{name}\n')
    (found['source'] / 'denylist.txt').write_text('source\n')
    monkeypatch.chdir(found['cwd'])
    return found


def test_given_then_source_then_beside_then_default(places) -> None:
    source, beside = places['source'], places['beside'] / data.GLOBAL
    assert data.locate(data.UPPER, 'mine.txt', source=source) == Path('mine.txt')
    assert data.locate(data.UPPER, source=source, beside=beside) == source / data.UPPER
    assert data.locate(data.UPPER, beside=beside) == places['beside'] / data.UPPER
    assert data.locate(data.UPPER) == places['cwd'] / data.UPPER
    assert data.place() == places['cwd']


def test_denylist_before_blacklist(places) -> None:
    assert (
        data.locate(data.DENYLIST_NAMES, source=places['source'])
        == places['source'] / 'denylist.txt'
    )
    assert (
        data.locate(data.DENYLIST_NAMES, source=places['beside'])
        == places['beside'] / 'blacklist.txt'
    )


def test_missing_file_is_none_or_an_error(places) -> None:
    assert data.locate(data.XFAILS, source=places['source']) is None
    with pytest.raises(FileError) as err:
        data.locate(data.PROJECTS, source=places['source'], required=True)
    assert err.value.render() == f'{places["source"]}: no {data.PROJECTS}'


def test_a_link_out_of_the_directory_is_refused(places, tmp_path) -> None:
    link = places['source'] / data.PROJECTS
    link.symlink_to(tmp_path / 'cwd' / data.GLOBAL)
    with pytest.raises(FileError, match='outside'):
        data.locate(data.PROJECTS, source=places['source'])
