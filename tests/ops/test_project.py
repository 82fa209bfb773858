"""Reading project trees: every dependency source, lossless rendering."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from openstack_requirements.errors import FileError, ParseError
from openstack_requirements.model import canonical
from openstack_requirements.ops.project import read_project, sources
from tests.conftest import TREES

SETUP_CFG = """[metadata]
name = demo

[extras]
# a comment kept in place
test =
  Foo_Bar>=1.0 # BSD
  baz:python_version<'3.12'
inline = one>=1

[options.extras_require]
docs =
    sphinx
"""

PYPROJECT = """[project]
name = "demo"
dependencies = [
    "pbr>=6.1.1", # Apache-2.0
    # a comment line
    "oslo.config>=5.2.0",
]

[project.optional-dependencies]
kafka = ["confluent-kafka>=1.3.0"]

[dependency-groups]
test = ["pytest", {include-group = "lint"}]
lint = ["ruff"]
"""


def _tree(tmp_path: Path) -> Path:
    (tmp_path / 'requirements.txt').write_text('pbr>=2.0 # Apache-2.0\n')
    (tmp_path / 'doc').mkdir()
    (tmp_path / 'doc' / 'requirements.txt').write_text('sphinx\n')
    (tmp_path / 'setup.cfg').write_text(SETUP_CFG)
    (tmp_path / 'pyproject.toml').write_text(PYPROJECT)
    return tmp_path


def test_every_source_is_found(tmp_path: Path) -> None:
    project = read_project(_tree(tmp_path))
    assert [(s.label, [line.key for line in s.requirement_lines()]) for s in project.sources] == [
        ('requirements.txt', ['pbr']),
        ('doc/requirements.txt', ['sphinx']),
        ('setup.cfg [extras] test', ['foo-bar', 'baz']),
        ('setup.cfg [extras] inline', ['one']),
        ('setup.cfg [options.extras_require] docs', ['sphinx']),
        ('pyproject.toml [project.dependencies]', ['pbr', 'oslo-config']),
        ('pyproject.toml [project.optional-dependencies] kafka', ['confluent-kafka']),
        ('pyproject.toml [dependency-groups] test', ['pytest']),
        ('pyproject.toml [dependency-groups] lint', ['ruff']),
    ]
    test_extra = project.sources[2]
    assert [line.lineno for line in test_extra.requirement_lines()] == [7, 8]


def test_edits_touch_only_edited_lines(tmp_path: Path) -> None:
    project = read_project(_tree(tmp_path))
    cfg, toml = project.files[2], project.files[3]
    test = cfg.sources[0]
    new_cfg = cfg.render(
        {test.label: [canonical(test.lines[0], ':'), test.lines[0], test.lines[1]]}
    )
    assert new_cfg == SETUP_CFG.replace(
        '  Foo_Bar>=1.0 # BSD\n', '  Foo_Bar>=1.0  # BSD\n  Foo_Bar>=1.0 # BSD\n'
    )
    deps = toml.sources[0]
    pbr = deps.lines[0]
    bumped = pbr.with_requirement(
        pbr.requirement.replace(specifier=pbr.requirement.specifier & '<7')
    )
    new_toml = toml.render({deps.label: [bumped, deps.lines[1]]})
    assert new_toml == PYPROJECT.replace('"pbr>=6.1.1",', '"pbr>=6.1.1,<7",')


@pytest.mark.parametrize('tree', sorted(TREES.iterdir()), ids=lambda p: p.name)
def test_corpus_trees_render_unchanged(tree: Path) -> None:
    for dependency_file in read_project(tree).files:
        same = {s.label: s.lines for s in dependency_file.sources}
        assert dependency_file.render(same) == dependency_file.text


def test_missing_and_empty_directories(tmp_path: Path) -> None:
    with pytest.raises(FileError, match='no such project directory'):
        read_project(tmp_path / 'nope')
    with pytest.raises(FileError, match='no dependency files'):
        read_project(tmp_path)


def test_malformed_toml_is_located(tmp_path: Path) -> None:
    (tmp_path / 'pyproject.toml').write_text('[project]\ndependencies = [\n  "a" "b",\n]\n')
    with pytest.raises(ParseError) as info:
        read_project(tmp_path)
    assert str(info.value).startswith(f'{tmp_path / "pyproject.toml"}:3:')


def test_repeated_lines_keep_their_own_numbers(tmp_path: Path) -> None:
    # lines are parsed once per distinct text; each keeps its own place
    (tmp_path / 'requirements.txt').write_text('pbr\n\npbr\r\npbr')
    lines = read_project(tmp_path).sources[0].lines
    assert [(line.lineno, line.newline, line.key) for line in lines] == [
        (1, '\n', 'pbr'),
        (2, '\n', None),
        (3, '\r\n', 'pbr'),
        (4, '', 'pbr'),
    ]


def test_select_listed_projects(tmp_path: Path) -> None:
    from openstack_requirements.ops.project import select

    (tmp_path / 'openstack' / 'nova').mkdir(parents=True)
    (tmp_path / 'oslo.db').mkdir()
    listed = tmp_path / 'projects.txt'
    listed.write_text('openstack/nova\n\n# note\nopenstack/oslo.db  # db\nx/gone\n')
    selection = select(['here'], listed, [tmp_path])
    assert selection.found == [
        ('here', Path('here')),
        ('openstack/nova', tmp_path / 'openstack' / 'nova'),
        ('openstack/oslo.db', tmp_path / 'oslo.db'),
    ]
    assert selection.missing == ['x/gone']
    assert selection.where == str(tmp_path)
    with pytest.raises(FileError, match='no such directory'):
        select((), listed, [tmp_path / 'nope'])
    with pytest.raises(FileError, match='--root goes with a projects list'):
        select(['here'], None, [tmp_path])


def test_select_roots_in_order_and_by_default_beside_the_list(tmp_path: Path) -> None:
    """The first root holding a checkout wins; without a root, the
    checkouts are beside the one holding the list (Zuul's
    src/HOST/ORG/NAME, devstack's /opt/stack/NAME)."""
    from openstack_requirements.ops.project import select

    zuul = tmp_path / 'src' / 'opendev.org'
    listed = zuul / 'openstack' / 'requirements' / 'projects.txt'
    listed.parent.mkdir(parents=True)
    listed.write_text('openstack/nova\nopenstack/oslo.db\nopenstack/gone\n')
    (zuul / 'openstack' / 'nova').mkdir()
    (zuul / 'openstack' / 'oslo.db').mkdir()
    other = tmp_path / 'other'
    (other / 'nova').mkdir(parents=True)
    assert select((), listed).listed == [
        ('openstack/nova', zuul / 'openstack' / 'nova'),
        ('openstack/oslo.db', zuul / 'openstack' / 'oslo.db'),
        ('openstack/gone', None),
    ]
    assert dict(select((), listed, [other, zuul]).found) == {
        'openstack/nova': other / 'nova',
        'openstack/oslo.db': zuul / 'openstack' / 'oslo.db',
    }
    assert select((), listed, [other, other]).where == str(other)


def test_select_refuses_a_checkout_outside_its_root(tmp_path: Path) -> None:
    from openstack_requirements.ops.project import select

    (tmp_path / 'elsewhere').mkdir()
    root = tmp_path / 'root'
    root.mkdir()
    (root / 'nova').symlink_to(tmp_path / 'elsewhere')
    listed = tmp_path / 'projects.txt'
    listed.write_text('openstack/nova\n')
    with pytest.raises(FileError, match='openstack/nova: resolves to .*, outside'):
        select((), listed, [root])
    # a command that only reads the checkout's Zuul files follows it
    assert select((), listed, [root], confined=False).found == [('openstack/nova', root / 'nova')]


@pytest.mark.parametrize(
    'text, expected',
    [
        # the same string in [build-system] requires, above
        (
            '[build-system]\nrequires = ["pbr>=6.1.1"]\n\n[project]\nname = "x"\n'
            'dependencies = [\n  "pbr>=6.1.1",\n]\n',
            {'[project.dependencies]': [7]},
        ),
        # [dependency-groups] first in the file
        (
            '[dependency-groups]\ntest = ["pytest"]\n\n[project]\nname = "x"\n'
            'dependencies = ["pytest"]\n[project.optional-dependencies]\nfoo = [\n'
            '"pytest",\n]\n',
            {
                '[project.dependencies]': [6],
                '[project.optional-dependencies] foo': [9],
                '[dependency-groups] test': [2],
            },
        ),
        # dotted and quoted keys
        (
            '[project]\nname = "x"\noptional-dependencies.a = [\n  "pytest"]\n'
            '[dependency-groups]\n"a" = ["pytest"]\n',
            {'[project.optional-dependencies] a': [4], '[dependency-groups] a': [6]},
        ),
    ],
)
def test_pyproject_positions_come_from_the_table(
    tmp_path: Path, text: str, expected: dict[str, list[int]]
) -> None:
    (tmp_path / 'pyproject.toml').write_text(text)
    project = read_project(tmp_path)
    assert {
        s.label.removeprefix('pyproject.toml '): [line.lineno for line in s.lines]
        for s in project.sources
    } == expected


def test_a_cached_line_read_again_elsewhere_is_that_line_moved() -> None:
    # sources.read_line rebuilds a remembered line field by field: a field
    # added to Line must be carried over too
    text = 'oslo.config>=9.0.0 # Apache-2.0'
    first = sources.read_line(text, path='a.txt', lineno=1, newline='\n')
    again = sources.read_line(text, path='b.txt', lineno=7, newline='\r\n')
    assert again == dataclasses.replace(first, lineno=7, newline='\r\n')
