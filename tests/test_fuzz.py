"""Fuzzing from the real corpus: normalize, update (requirements files,
setup.cfg, pyproject.toml) and edit-constraints never raise anything but
the toolkit's own one-line errors, and every file they write reads back.

Seeds are the lines of ``tests/data/requirement-lines.txt`` and the
dependency files of the corpus trees, mutated with what breaks parsers:
every line break pip knows, control characters, quotes and backslashes,
very long numbers and runs of blanks. The default run is bounded to a few
seconds; ``tox -e fuzz`` runs many more cases (``OSR_FUZZ_EXAMPLES``).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openstack_requirements.errors import ParseError, RequirementsError
from openstack_requirements.model import RequirementsFile
from openstack_requirements.ops import constraints, files, sync
from openstack_requirements.ops.project import read_project
from openstack_requirements.ops.sync import normalize
from tests.conftest import CORPUS_LINES, DATA, TREES

EXAMPLES = int(os.environ.get('OSR_FUZZ_EXAMPLES', '40'))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

CORPUS = [line for line in CORPUS_LINES.read_text().splitlines() if line]
TREE_LINES = sorted(
    {
        line.strip()
        for tree in TREES.iterdir()
        for path in tree.rglob('*')
        if path.is_file() and path.suffix in ('.txt', '.cfg')
        for line in path.read_text().splitlines()
        if line.strip()
    }
)
GLOBAL_TEXT = (DATA / 'openstack-2026-08-22' / 'global-requirements.txt').read_text()
GLOBAL = sync.GlobalList.from_texts(GLOBAL_TEXT)

#: What breaks parsers: pip's line breaks, controls, quoting, huge numbers.
NASTY = [
    '\n',
    '\r',
    '\r\n',
    '\x0b',
    '\x0c',
    '\x1c',
    '\x1d',
    '\x1e',
    '\x85',
    '\u2028',
    '\u2029',
    '\ufeff',
    '\x00',
    '\x1f',
    '\t',
    ' ',
    '\\',
    '\\\n',
    '"',
    "'",
    '#',
    ';',
    ':',
    ',',
    '[',
    ']',
    '(',
    ')',
    '=',
    '==',
    '>=',
    '<',
    '!=',
    '~=',
    '===',
    '@',
    '*',
    '.',
    '-e ',
    '-r ',
    '-c ',
    '--hash=sha256:',
    '; python_version',
    ' and ',
    'é',
    '9' * 5000,
    ' ' * 3000,
    ',' * 50,
]

seeds = st.sampled_from(CORPUS + TREE_LINES)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(seeds)
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(['insert', 'insert', 'delete', 'swap']))
        if kind == 'insert':
            text = text[:at] + draw(st.sampled_from(NASTY)) + text[at:]
        elif kind == 'delete':
            text = text[:at] + text[at + draw(st.integers(1, 5)) :]
        else:
            text = text[:at] + draw(seeds) + text[at:]
    return text


def lines_of(draw_lines: list[str], ending: str) -> str:
    return ''.join(line + '\n' for line in draw_lines[:-1]) + (
        draw_lines[-1] + ending if draw_lines else ''
    )


texts = st.builds(
    lines_of, st.lists(mutated(), min_size=1, max_size=8), st.sampled_from(['\n', '', '\r\n'])
)


def reads_back(path: Path) -> None:
    """A written requirements file parses again."""
    RequirementsFile.parse(files.read_text(path), str(path))


@FUZZ
@given(texts)
def test_normalize(text: str) -> None:
    with tempfile.TemporaryDirectory() as place:
        path = Path(place) / 'requirements.txt'
        path.write_text(text, encoding='utf-8', newline='')
        try:
            change = normalize.normalize_file(path)
            normalize.save(change)
        except RequirementsError:
            assert path.read_bytes() == text.encode('utf-8')
            return
        reads_back(path)


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string."""
    escaped = []
    for char in text:
        if char in '"\\':
            escaped.append('\\' + char)
        elif ord(char) < 0x20 or char == '\x7f':
            escaped.append(f'\\u{ord(char):04x}')
        else:
            escaped.append(char)
    return '"' + ''.join(escaped) + '"'


@FUZZ
@given(
    requirements=texts,
    cfg=st.lists(mutated(), min_size=1, max_size=5),
    toml=st.lists(mutated(), min_size=1, max_size=5),
    cfg_ending=st.sampled_from(['\n', '']),
    global_extra=st.lists(mutated(), max_size=3),
)
def test_update(
    requirements: str, cfg: list[str], toml: list[str], cfg_ending: str, global_extra: list[str]
) -> None:
    global_list = GLOBAL
    if global_extra:
        global_list = sync.GlobalList.from_texts(
            GLOBAL_TEXT + ''.join(line + '\n' for line in global_extra)
        )
    with tempfile.TemporaryDirectory() as place:
        root = Path(place) / 'project'
        root.mkdir()
        (root / 'requirements.txt').write_text(requirements, newline='')
        (root / 'setup.cfg').write_text(
            '[metadata]\nname = demo\n\n[extras]\ntest =\n'
            + ''.join(f'    {line}\n' for line in cfg).removesuffix('\n')
            + cfg_ending,
            newline='',
        )
        (root / 'pyproject.toml').write_text(
            '[project]\nname = "demo"\ndependencies = [\n'
            + ''.join(f'    {toml_string(line)},\n' for line in toml)
            + ']\n',
            newline='',
        )
        before = {p.name: p.read_bytes() for p in root.iterdir()}
        for policy in sync.Policy:
            try:
                run = sync.plan([root], global_list, policy, soft=True)
                if run.failed:
                    continue
                run.changeset.write()
            except RequirementsError:
                after = {p.name: p.read_bytes() for p in root.iterdir()}
                assert after == before  # nothing half-written
                continue
            read_project(root)  # every file written reads back
            before = {p.name: p.read_bytes() for p in root.iterdir()}
        assert not [p for p in root.iterdir() if files.TEMP_MARK in p.name]


@FUZZ
@given(text=texts, name=mutated(), replacement=st.one_of(st.none(), mutated()))
def test_edit_constraints(text: str, name: str, replacement: str | None) -> None:
    with tempfile.TemporaryDirectory() as place:
        path = Path(place) / 'upper-constraints.txt'
        path.write_text(text, encoding='utf-8', newline='')
        try:
            current = RequirementsFile.parse(text, str(path))
            edited = constraints.edit(current, name, replacement)
            files.Changeset([files.Change(str(path), text, edited.render())]).write()
        except RequirementsError:
            assert path.read_bytes() == text.encode('utf-8')
            return
        reads_back(path)


@pytest.mark.parametrize(
    'text, column, digits',
    [('pbr>=' + '9' * 5000 + '\n', 6, 5000), ('pbr<' + '1' * 4400 + '.0  # MIT\n', 5, 4400)],
)
def test_huge_version_is_refused_and_the_file_kept(text: str, column: int, digits: int) -> None:
    """A number longer than Python reads (4300 digits at most, fewer if
    the interpreter is told so) is refused at its column; nothing written."""
    limit = min(sys.get_int_max_str_digits() or 4300, 4300)
    with tempfile.TemporaryDirectory() as place:
        path = Path(place) / 'requirements.txt'
        path.write_text(text)
        with pytest.raises(ParseError) as info:
            normalize.save(normalize.normalize_file(path))
        assert str(info.value) == (
            f'{path}:1:{column}: a number of {digits} digits (Python reads at most {limit})'
        )
        assert path.read_text() == text


@pytest.mark.parametrize('tree', sorted(p.name for p in TREES.iterdir()))
def test_trees_sync_and_read_back(tree: str) -> None:
    """The real trees, synced by both policies, read back; a second sync
    by the same policy changes nothing."""
    import shutil

    with tempfile.TemporaryDirectory() as place:
        root = Path(place) / tree
        shutil.copytree(TREES / tree, root)
        for policy in sync.Policy:
            run = sync.plan([root], GLOBAL, policy, soft=True)
            assert not run.errors
            run.changeset.write()
            read_project(root)
            again = sync.plan([root], GLOBAL, policy, soft=True)
            assert not again.errors and not again.changeset.pending, policy
            assert not again.rows, (policy, again.rows)
