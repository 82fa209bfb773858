"""update-requirements --exact against the reference, openstack-requirements
1.2.0 (the last release with update-requirements), on every corpus tree.

Every synced line must say the same thing (name, specifier set, markers) as
the reference's. Where the reference is wrong, the test shows it and says
why; see ``_assert_reference_defects``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from openstack_requirements.model import Line
from openstack_requirements.model.versions import normal_marker
from openstack_requirements.ops import sync
from openstack_requirements.ops.project import GOVERNED, read_project
from tests.conftest import DATA, TREES, AppResult, nearest_data
from tests.helpers import copy_tree

# differential tests: the reference tools, installed from the registry
pytestmark = [pytest.mark.network, pytest.mark.slow]

PAIRS = [
    (name, nearest_data(TREES / name).name) for name in sorted(p.name for p in TREES.iterdir())
] + [
    ('nova-2016-01-01', 'openstack-2015-09-11'),
    ('oslo.messaging-2026-05-13', 'openstack-2022-06-01'),
]
HEADER = '# The order of packages is significant, because pip processes them in the order\n'
UNKNOWN_RE = re.compile(r"'([^']+)' is not in global-requirements.txt")


def _reference_source(tmp_path: Path, data: Path) -> Path:
    """The reference insists on blacklist.txt; newer data has denylist.txt."""
    source = tmp_path / 'ref-source'
    source.mkdir()
    shutil.copyfile(data / 'global-requirements.txt', source / 'global-requirements.txt')
    excluded = data / 'blacklist.txt'
    if not excluded.exists():
        excluded = data / 'denylist.txt'
    shutil.copyfile(excluded, source / 'blacklist.txt')
    return source


def _run_reference(
    script: Path, source: Path, root: Path, *options: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(script), '--source', str(source), *options, str(root)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _key(line: Line) -> tuple[str, str, str]:
    req = line.requirement
    assert req is not None and req.key is not None
    return (req.key, str(sorted(str(s) for s in req.specifier)), normal_marker(req.marker_text))


def _synced(
    root: Path, global_list: sync.GlobalList, skip: frozenset[str]
) -> dict[str, list[tuple[str, str, str]]]:
    """Per source label, what each line of a global package says."""
    found = {}
    for source in read_project(root).sources:
        found[source.label] = sorted(
            _key(line)
            for line in source.requirement_lines()
            if line.key in global_list.lines
            and line.key not in skip
            and line.key not in global_list.excluded
            and not line.requirement.url
        )  # type: ignore[union-attr]
    return found


@pytest.mark.parametrize('name, data_name', PAIRS)
def test_exact_agrees_with_reference(
    tmp_path: Path,
    reference_python: Path,
    name: str,
    data_name: str,
    run_app: Callable[..., AppResult],
) -> None:
    data = DATA / data_name
    script = reference_python.parent / 'update-requirements'
    ref_source = _reference_source(tmp_path, data)
    global_list = sync.load_global(data)
    original, ref_root, our_root = (tmp_path / n for n in ('orig', 'ref', 'ours'))
    for root in (original, ref_root, our_root):
        copy_tree(TREES / name, root)

    # hard mode first: the same unknown packages
    ref_hard = _run_reference(script, ref_source, ref_root)
    ours_hard = run_app(
        'update-requirements', '--exact', '--source', str(data), str(our_root), '-f', 'json'
    )
    ref_unknown = set(UNKNOWN_RE.findall(ref_hard.stdout + ref_hard.stderr))
    our_unknown = {row['Package'] for row in ours_hard.json() if row['Reason'] == sync.UNKNOWN}
    assert ref_unknown == our_unknown
    assert ours_hard.code == (1 if our_unknown else 0)
    if our_unknown:
        # Reference defect: it rewrites the files although the run failed
        # (and drops the unknown lines); ours writes nothing.
        assert _tree_bytes(ref_root) != _tree_bytes(original)
        assert _tree_bytes(our_root) == _tree_bytes(original)
    for root in (ref_root, our_root):
        shutil.rmtree(root)
        copy_tree(TREES / name, root)

    ref = _run_reference(script, ref_source, ref_root, '--soft-update')
    assert ref.returncode == 0, ref.stderr
    ours = run_app(
        'update-requirements', '--exact', '--soft-update', '--source', str(data), str(our_root)
    )
    assert ours.code == 0, ours

    # Both leave hacking alone unless given -H.
    ref_synced = _synced(ref_root, global_list, frozenset())
    our_synced = _synced(our_root, global_list, frozenset())
    ref_labels = {label for label in ref_synced if not label.startswith('pyproject.toml')}
    assert ref_labels <= set(our_synced)
    for label in sorted(ref_labels):
        assert our_synced[label] == ref_synced[label], label

    _assert_reference_defects(original, ref_root, our_root, global_list)


def _tree_bytes(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob('*')) if p.is_file()
    }


def _by_place(root: Path) -> dict[tuple[str, str], list[Line]]:
    return {
        (s.label, line.key or ''): [x for x in s.requirement_lines() if x.key == line.key]
        for s in read_project(root).sources
        for line in s.requirement_lines()
    }


def _assert_reference_defects(
    original: Path, ref_root: Path, our_root: Path, global_list: sync.GlobalList
) -> None:
    """What the reference gets wrong, and ours does not."""
    before = _by_place(original)
    ref, ours = _by_place(ref_root), _by_place(our_root)
    for (label, key), old in before.items():
        variants = global_list.lines.get(key)
        if (
            not variants
            or key in global_list.excluded
            or key == 'hacking'
            or label.startswith('pyproject.toml')
        ):
            continue
        gline = variants[0]
        assert gline.requirement is not None
        old_req = old[0].requirement
        assert old_req is not None
        if old[0].comment and old[0].comment != gline.comment and (label, key) in ref:
            # The reference replaces the project's comment (often a more
            # precise licence) with the global one; ours keeps it.
            assert ref[(label, key)][0].comment == gline.comment
            assert ours[(label, key)][0].comment == old[0].comment
        if old_req.name != gline.requirement.name and (label, key) in ref:
            # The reference renames the package to the global spelling;
            # ours keeps the project's own spelling.
            assert ref[(label, key)][0].requirement.name == (  # type: ignore[union-attr]
                gline.requirement.name
            )
            assert ours[(label, key)][0].requirement.name == old_req.name  # type: ignore[union-attr]
    for relative in GOVERNED:
        path = original / relative
        if not path.is_file():
            continue  # others (trove's backup/requirements.txt) neither reads
        text = path.read_text()
        if not text.startswith(HEADER):
            # The reference prepends its "order is significant" header to
            # every file it writes, changed or not; ours adds nothing.
            assert (ref_root / relative).read_text().startswith(HEADER)
            assert not (our_root / relative).read_text().startswith(HEADER)
    cfg = original / 'setup.cfg'
    if cfg.exists() and '[extras]' in cfg.read_text():
        # The reference re-indents every extra (to two spaces) when it
        # rewrites setup.cfg; ours changes only the synced value lines.
        indents = {m.group(1) for m in re.finditer(r'^( +)\S', cfg.read_text(), re.M)}
        if indents != {'  '}:
            assert (ref_root / 'setup.cfg').read_bytes() != cfg.read_bytes()
        ours_cfg = (our_root / 'setup.cfg').read_text().splitlines()
        assert len(ours_cfg) == len(cfg.read_text().splitlines())
    toml = original / 'pyproject.toml'
    if toml.exists():
        # The reference does not know pyproject.toml at all.
        assert (ref_root / 'pyproject.toml').read_bytes() == toml.read_bytes()


SYNTHETIC_GLOBAL = """\
Routes>=2.0  # MIT
oslo.db>1.4.1  # Apache-2.0
foo>1;python_version=='2.7'
foo<2;python_version>='3.0'  # BSD
bar>=1.0  # BSD
"""
SYNTHETIC = """\
# project header
routes>=1.0
oslo.db[mysql,fixture]>1.3  # our own note
-e git+https://opendev.org/x/y#egg=y
foo
bar>=2.0  # Apache-2.0 really
"""


def test_synthetic_agrees_and_reference_defects(
    tmp_path: Path, reference_python: Path, run_app: Callable[..., AppResult]
) -> None:
    source = tmp_path / 'source'
    source.mkdir()
    (source / 'global-requirements.txt').write_text(SYNTHETIC_GLOBAL)
    (source / 'blacklist.txt').write_text('')
    roots = {}
    for who in ('ref', 'ours'):
        roots[who] = tmp_path / who
        roots[who].mkdir()
        (roots[who] / 'requirements.txt').write_text(SYNTHETIC)
        (roots[who] / 'setup.cfg').write_text(
            '[metadata]\nname = demo\n\n[extras]\nfoo =\n    foo\n'
        )
    done = _run_reference(reference_python.parent / 'update-requirements', source, roots['ref'])
    assert done.returncode == 0, done.stderr
    assert (
        run_app('update-requirements', '--exact', '--source', str(source), str(roots['ours'])).code
        == 0
    )
    global_list = sync.load_global(source)
    assert _synced(roots['ref'], global_list, frozenset()) == _synced(
        roots['ours'], global_list, frozenset()
    )
    ref = (roots['ref'] / 'requirements.txt').read_text()
    ours = (roots['ours'] / 'requirements.txt').read_text()
    assert ours == (
        '# project header\n'
        'Routes>=2.0  # MIT\n'
        'oslo.db[mysql,fixture]>1.4.1  # our own note\n'
        '-e git+https://opendev.org/x/y#egg=y\n'
        "foo>1;python_version=='2.7'\n"
        "foo<2;python_version>='3.0'  # BSD\n"
        'bar>=1.0  # Apache-2.0 really\n'
    )
    # The reference: adds its header; renames routes to the global
    # spelling (as ours does: the job compares names as written since
    # 2025); and overwrites the project's comments with the global ones (losing
    # "our own note" and a licence the project knows better). It also
    # re-sorts the extras; ours changes only the specifier and markers.
    assert ref.startswith(HEADER)
    assert 'Routes>=2.0 # MIT\n' in ref and 'routes' not in ref
    assert 'our own note' not in ref and 'oslo.db[fixture,mysql]>1.4.1 # Apache-2.0\n' in ref
    assert 'bar>=1.0 # BSD\n' in ref
    assert (
        (roots['ours'] / 'setup.cfg')
        .read_text()
        .endswith(
            "[extras]\nfoo =\n    foo>1:python_version=='2.7'\n"
            "    foo<2:python_version>='3.0'  # BSD\n"
        )
    )
