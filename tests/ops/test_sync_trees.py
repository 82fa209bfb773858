"""Syncing whole project trees: every dependency file, real trees."""

from __future__ import annotations

import difflib
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

from openstack_requirements.model import parse_line
from openstack_requirements.model.versions import lower_bound, normal_marker
from openstack_requirements.ops import sync
from openstack_requirements.ops.checks.context import python3_only
from openstack_requirements.ops.project import read_project
from openstack_requirements.ops.sync import policy as merge_policy
from tests.conftest import DATA, TREES, AppResult, nearest_data
from tests.helpers import contradictions, copy_tree

GLOBAL = """\
pbr>=2.0  # Apache-2.0
zVMCloudConnector;sys_platform!='win32'  # Apache 2.0 License
oslo.vmware>=3.6.0,!=3.7.0  # Apache-2.0
pytest!=8.0.0
sphinx>=2.0,!=2.1.0  # BSD
"""
GLOBAL_LIST = sync.GlobalList.from_texts(GLOBAL)


def _sync(
    root: Path, policy: sync.Policy = sync.Policy.MERGE, soft: bool = False
) -> sync.ProjectSync:
    return sync.sync_project(read_project(root), GLOBAL_LIST, policy, soft)


def test_setup_cfg_keeps_each_lines_marker_separator(tmp_path: Path) -> None:
    cfg = (
        '[metadata]\nname = demo\n\n[extras]\n'
        "zvm =\n  zVMCloudConnector>=1.3.0:sys_platform=='win32'\n"
        'vmware =\n    oslo.vmware>=3.6.0 # Apache-2.0\n'
        "other = zVMCloudConnector;sys_platform=='darwin'\n"
        '\n[options.extras_require]\ndocs =\n    sphinx\n'
    )
    (tmp_path / 'setup.cfg').write_text(cfg)
    result = _sync(tmp_path)
    assert [c.new for c in result.changes] == [
        cfg.replace(":sys_platform=='win32'\n", ":sys_platform!='win32'  # Apache 2.0 License\n")
        .replace(
            '    oslo.vmware>=3.6.0 # Apache-2.0\n',
            '    oslo.vmware>=3.6.0,!=3.7.0 # Apache-2.0\n',
        )
        .replace(
            "other = zVMCloudConnector;sys_platform=='darwin'\n",
            "other = zVMCloudConnector;sys_platform!='win32'  # Apache 2.0 License\n",
        )
        .replace('    sphinx\n', '    sphinx>=2.0,!=2.1.0  # BSD\n')
    ]


PYPROJECT = """\
[project]
name = "demo"
dependencies = [
    # kept
    "pbr>=6.1.1", # Apache-2.0
    'oslo.vmware',
    "unlisted",
]

[project.optional-dependencies]
zvm = ["zVMCloudConnector>=1.3.0"]

[dependency-groups]
test = ["pytest>=7", {include-group = "docs"}]
docs = ["sphinx"]
"""


def test_pyproject_edits_strings_only(tmp_path: Path) -> None:
    (tmp_path / 'pyproject.toml').write_text(PYPROJECT)
    result = _sync(tmp_path, soft=True)
    assert [c.new for c in result.changes] == [
        PYPROJECT.replace("'oslo.vmware'", "'oslo.vmware>=3.6.0,!=3.7.0'")
        .replace(
            '"zVMCloudConnector>=1.3.0"', '"zVMCloudConnector>=1.3.0;sys_platform!=\'win32\'"'
        )
        .replace('"pytest>=7"', '"pytest>=7,!=8.0.0"')
        .replace('["sphinx"]', '["sphinx>=2.0,!=2.1.0"]')
    ]
    assert [r.file for r in result.rows] == [
        f'{tmp_path}/pyproject.toml [project.dependencies]',
        f'{tmp_path}/pyproject.toml [project.optional-dependencies] zvm',
        f'{tmp_path}/pyproject.toml [dependency-groups] test',
        f'{tmp_path}/pyproject.toml [dependency-groups] docs',
    ]


def test_pyproject_same_string_elsewhere_is_left_alone(tmp_path: Path) -> None:
    # the first "pytest" of the text is not a dependency: the edit in place
    # is checked by reading the result back, and tomlkit does it instead
    text = (
        '[build-system]\nrequires = ["pytest"]\n\n'
        '[dependency-groups]\ntest = ["pytest"]  # tests\n'
    )
    (tmp_path / 'pyproject.toml').write_text(text)
    assert [c.new for c in _sync(tmp_path).changes] == [
        text.replace('test = ["pytest"]', 'test = ["pytest!=8.0.0"]')
    ]


def test_pyproject_marker_variants_are_inserted(tmp_path: Path) -> None:
    two = sync.GlobalList.from_texts("two>1;python_version=='2.7'\ntwo<2;python_version>='3.0'\n")
    text = '[project]\nname = "x"\ndependencies = [\n    "two",  # note\n    "other",\n]\n'
    (tmp_path / 'pyproject.toml').write_text(text)
    result = sync.sync_project(read_project(tmp_path), two, soft=True)
    assert [c.new for c in result.changes] == [
        text.replace(
            '    "two",  # note\n',
            '    "two>1;python_version==\'2.7\'",  # note\n    "two<2;python_version>=\'3.0\'",\n',
        )
    ]


# -- real trees ---------------------------------------------------------------

_TOML_ITEM = re.compile(r"""^\s*(?:[\w-]+\s*=\s*\[\s*)?(["'])(.*?)\1""")


def _key(path: Path, physical: str) -> str | None:
    """The package a physical line of a dependency file names, if any."""
    text = physical.rstrip('\r\n')
    try:
        if path.name == 'pyproject.toml':
            match = _TOML_ITEM.match(text)
            return parse_line(match.group(2)).key if match else None
        if path.name == 'setup.cfg':
            value = (
                text.split('=', 1)[1]
                if '=' in text.split(';')[0] and not text[:1].isspace()
                else text
            )
            return parse_line(value.strip(), pbr=True).key
        return parse_line(text).key
    except Exception:
        return None


def _assert_only_global_lines_changed(
    path: Path, old: str, new: str, global_list: sync.GlobalList
) -> None:
    synced = set(global_list.lines) - global_list.excluded
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == 'equal':
            continue
        for line in a[i1:i2] + b[j1:j2]:
            assert _key(path, line) in synced, (path, line)


def _assert_policy_holds(root: Path, global_list: sync.GlobalList, policy: sync.Policy) -> None:
    """Every line of a global package now says what the policy asks."""
    for source in read_project(root).sources:
        for line in source.requirement_lines():
            req = line.requirement
            assert req is not None
            variants = global_list.lines.get(req.key or '')
            if not variants or req.url or req.editable or req.key in global_list.excluded:
                continue
            by_marker = {
                normal_marker(g.requirement.marker_text): g.requirement
                for g in variants
                if g.requirement
            }
            ours = normal_marker(req.marker_text)
            if list(by_marker) == [''] and python3_only(ours):
                ours = ''  # the project's Python version marker, kept
            assert ours in by_marker, (source.label, line.text)
            theirs = by_marker[ours].specifier
            assert contradictions(list(req.specifier)) <= contradictions(list(theirs)), line.text
            if policy is sync.Policy.EXACT:
                assert req.specifier == theirs, line.text
                continue
            upper = {s for s in theirs if s.operator not in ('>=', '>')}
            mine = {s for s in req.specifier if s.operator not in ('>=', '>')}
            assert mine <= upper, line.text
            assert upper - mine <= {s for s in upper if s.operator == '!='}
            # the lower bound is at least the global one
            low = lower_bound(
                SpecifierSet(','.join(str(s) for s in theirs if s.operator in ('>=', '>')))
            )
            if low is not None:
                mine_low = lower_bound(req.specifier)
                assert mine_low is not None, line.text
                assert not merge_policy._stricter(low, mine_low), line.text


def _entries(root: Path) -> dict[str, set[tuple[str, frozenset[str]]]]:
    return {
        source.label: {
            sync.entry_key(line) for line in source.requirement_lines() if line.key is not None
        }
        for source in read_project(root).sources
    }


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob('*')) if p.is_file()
    }


TREE_IDS = sorted(p.name for p in TREES.iterdir())


@pytest.mark.slow
@pytest.mark.parametrize('policy', list(sync.Policy), ids=lambda p: p.value)
@pytest.mark.parametrize(
    'name, data_name',
    [(name, nearest_data(TREES / name).name) for name in TREE_IDS]
    + [
        # an older list with minimums everywhere: many lines change
        ('nova-2016-01-01', 'openstack-2015-09-11'),
        ('oslo.messaging-2026-05-13', 'openstack-2022-06-01'),
    ],
)
def test_real_tree(
    tmp_path: Path,
    name: str,
    data_name: str,
    policy: sync.Policy,
    run_app: Callable[..., AppResult],
) -> None:
    source = TREES / name
    root = tmp_path / name
    copy_tree(source, root)
    data = DATA / data_name
    global_list = sync.load_global(data)
    before = _snapshot(root)
    entries_before = _entries(root)
    argv = ['update-requirements', '--source', str(data), str(root), '-f', 'json'] + (
        ['--exact'] if policy is sync.Policy.EXACT else []
    )

    # hard mode: writes nothing when any package is unknown
    hard = run_app(*argv)
    unknown = [row for row in hard.json() if row['Reason'] == sync.UNKNOWN]
    assert hard.code == (1 if unknown else 0), hard
    if unknown:
        assert _snapshot(root) == before
        assert 'nothing was written' in hard.stderr
    else:
        shutil.rmtree(root)
        copy_tree(source, root)

    planned = sync.plan([root], global_list, policy, soft=True)
    assert not planned.errors
    for change in planned.changeset.pending:
        _assert_only_global_lines_changed(
            Path(change.path), change.old or '', change.new, global_list
        )
    soft = run_app(*argv, '--soft-update')
    assert soft.code == 0, soft
    assert soft.json() == [
        dict(zip(sync.COLUMNS, row.as_tuple(), strict=True)) for row in planned.rows
    ]
    after = _snapshot(root)
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {str(Path(c.path).relative_to(root)) for c in planned.changeset.pending}
    _assert_policy_holds(root, global_list, policy)
    # no entry (name and extras) lost or added, in any source
    assert _entries(root) == entries_before
    again = run_app(*argv, '--soft-update', '--check')
    assert (again.code, again.json()) == (0, [])
    assert _snapshot(root) == after
