"""minimums over the corpus trees (tests/data/trees): the install sets, and
--fix's writing, which must keep every byte but the raised versions."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.version import Version

from openstack_requirements.model.versions import lower_bound
from openstack_requirements.ops.minimums.check import FALSE, Outcome
from openstack_requirements.ops.minimums.fix import fix
from openstack_requirements.ops.minimums.run import Checked
from openstack_requirements.ops.minimums.sets import install_sets, is_base
from openstack_requirements.ops.project import read_project
from tests.conftest import TREES

TREE_PATHS = sorted(p for p in TREES.iterdir() if p.is_dir())


@pytest.mark.parametrize('tree', TREE_PATHS, ids=[p.name for p in TREE_PATHS])
def test_every_requirement_is_in_a_set_and_the_base_in_all(tree: Path) -> None:
    project = read_project(tree)
    sets = install_sets(project)
    assert sets
    ids = [{id(e) for e in s.entries} for s in sets]
    for dependency_file in project.files:
        for source in dependency_file.sources:
            named = [
                line
                for line in source.requirement_lines()
                if line.requirement and line.requirement.name and not line.requirement.url
            ]
            found = [e for s in sets for e in s.entries if e.source is source]
            assert {e.line.lineno for e in found} == {line.lineno for line in named}
            if is_base(source):
                for entry in found:
                    assert all(id(entry) in members for members in ids)


def _raised(minimum: Version) -> Version:
    return Version('.'.join(str(part) for part in minimum.release) + '.1')


@pytest.mark.parametrize('tree', TREE_PATHS, ids=[p.name for p in TREE_PATHS])
def test_fix_changes_only_the_raised_versions(tree: Path, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / tree.name
    shutil.copytree(tree, root)
    project = read_project(root)
    sets = install_sets(project)
    checked = Checked(tree.name, project, sets, ['3.12'])
    raised = {}
    for install_set in sets:
        for entry in install_set.entries:
            stated = [s for s in entry.specifier if s.operator in ('>=', '>')]
            if entry.minimum is None or not stated or id(entry) in raised:
                continue
            if any(s.operator in ('==', '===', '~=') for s in entry.specifier):
                continue
            target = _raised(entry.minimum)
            raised[id(entry)] = (entry, target)
            checked.outcomes.append(
                Outcome(FALSE, '3.12', install_set.label, entry, target, 'test', entry.minimum)
            )
    assert raised, 'the tree has minimums to raise'
    changeset, skipped = fix([checked])
    assert skipped == []
    changeset.write()
    again = read_project(root)
    before = {(s.label, line.lineno): line for s in project.sources for line in s.lines}
    after = {(s.label, line.lineno): line for s in again.sources for line in s.lines}
    assert before.keys() == after.keys()
    edited = {(e.source.label, e.line.lineno): target for e, target in raised.values()}
    for place, old in before.items():
        new = after[place]
        if place not in edited:
            assert new.text == old.text
            continue
        requirement, was = new.requirement, old.requirement
        assert requirement is not None and was is not None
        bound = lower_bound(requirement.specifier)
        assert bound is not None and Version(bound.version) == edited[place]
        assert (requirement.name, requirement.extras, requirement.marker_text) == (
            was.name,
            was.extras,
            was.marker_text,
        )
        assert new.comment == old.comment
        if [s.operator for s in was.specifier if s.operator in ('>=', '>')] != ['>=']:
            continue  # a '>' becomes '>=': the specifier is rendered anew
        assert len(new.text) - len(old.text) == len(str(edited[place])) - len(
            str(lower_bound(was.specifier).version)  # type: ignore[union-attr]
        )


@pytest.mark.parametrize(
    'name, expected',
    [
        ('nova-2026-08-21', ['3.11', '3.12']),  # pyproject.toml: >=3.11
        ('nova-2022-06-01', ['3.8', '3.11', '3.12']),  # setup.cfg [metadata]: >=3.8
        ('trove-2026-08-14', ['3.11', '3.12']),  # setup.cfg: >= 3.11
        ('nova-2016-01-01', ['3.8', '3.11', '3.12']),  # none declared
    ],
)
def test_the_pythons_a_project_admits(name: str, expected: list[str]) -> None:
    from openstack_requirements.ops.minimums.sets import supported

    assert supported(read_project(TREES / name), ['3.8', '3.11', '3.12']) == expected
