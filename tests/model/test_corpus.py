"""The real data: every corpus line, every shipped and corpus file."""

from __future__ import annotations

from pathlib import Path

import pytest

from openstack_requirements.errors import ParseError
from openstack_requirements.model import RequirementsFile, parse_line
from tests.conftest import CORPUS_LINES, DATA, TEST_DATA, TREES

REQUIREMENT_FILES = sorted(
    [p for p in DATA.glob('*/*.txt') if p.name != 'projects.txt']
    + list(TREES.glob('*/**/*requirements*.txt'))
)


def test_corpus_lines_parse_or_are_listed_as_rejected() -> None:
    rejected = []
    lines = CORPUS_LINES.read_text(encoding='utf-8').splitlines()
    for number, text in enumerate(lines, 1):
        try:
            parse_line(text, path='requirement-lines.txt', lineno=number)
        except ParseError as err:
            rejected.append(str(err))
    expected = [
        line
        for line in (TEST_DATA / 'corpus-rejected.txt').read_text(encoding='utf-8').splitlines()
        if not line.startswith('#')
    ]
    assert len(lines) > 20000
    assert rejected == expected


@pytest.mark.parametrize('path', REQUIREMENT_FILES, ids=lambda p: f'{p.parent.name}/{p.name}')
def test_real_files_round_trip_byte_for_byte(path: Path) -> None:
    text = path.read_text(encoding='utf-8')
    assert RequirementsFile.parse(text, str(path)).render() == text


def test_shipped_global_requirements_are_canonical() -> None:
    root = Path(__file__).resolve().parents[2]
    text = (root / 'global-requirements.txt').read_text(encoding='utf-8')
    assert RequirementsFile.parse(text).canonical().render() == text
