"""The package's layout holds what doc/source/contributor/ promises: every
check registered, every data file a check needs provided, imports one way
and without cycles, the cli light at start-up, modules of one concept."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import json
import re
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from openstack_requirements.ops.checks import base, context
from tests.conftest import ROOT

PACKAGE = ROOT / 'openstack_requirements'
#: The shared plumbing at the top of ops/, and at most this many modules.
PLUMBING = {'files', 'data', 'git', 'findings'}
MAX_PLUMBING = 5
MAX_LINES = 500


def modules(under: str = 'openstack_requirements') -> list[str]:
    """The modules of a package, by their files (nothing imported)."""
    top = ROOT / Path(*under.split('.'))
    names = []
    for path in sorted(top.rglob('*.py')):
        parts = path.relative_to(ROOT).with_suffix('').parts
        names.append('.'.join(parts[:-1] if parts[-1] == '__init__' else parts))
    return names


def module_path(name: str) -> Path:
    path = ROOT / Path(*name.split('.'))
    return path / '__init__.py' if path.is_dir() else path.with_suffix('.py')


# -- checks ----------------------------------------------------------------------


def check_classes() -> dict[str, type[base.Check]]:
    """Every concrete Check subclass of ops/checks, by ``module:Class``."""
    found = {}
    for name in modules('openstack_requirements.ops.checks'):
        module = importlib.import_module(name)
        for cls_name, cls in vars(module).items():
            if (
                inspect.isclass(cls)
                and issubclass(cls, base.Check)
                and cls.__module__ == name
                and not inspect.isabstract(cls)
                and 'name' in vars(cls)
            ):
                found[f'{name}:{cls_name}'] = cls
    return found


def test_every_check_is_registered() -> None:
    registered = {ep.value: ep.name for ep in entry_points(group=base.NAMESPACE)}
    classes = check_classes()
    assert sorted(set(classes) - set(registered)) == [], (
        'a Check subclass not in setup.cfg [entry_points] '
        f'{base.NAMESPACE} (then reinstall: tox -e py3 --notest -r)'
    )
    assert sorted(set(registered) - set(classes)) == []
    assert {target: classes[target].name for target in registered} == registered


def test_every_need_is_a_data_file_the_context_provides() -> None:
    fields = {field.name for field in dataclasses.fields(context.Context)}
    provided = {name for name in context.DATA_NAMES if name in fields}
    provided |= {'distributions'}  # the package indexes of --packages
    for cls in check_classes().values():
        assert set(cls.needs) <= provided, (cls.name, cls.needs)
        assert set(cls.also) <= {base.PROJECT, base.DATA, base.RESOLVER}, cls.name


# -- imports ---------------------------------------------------------------------


def imports(name: str, top_level_only: bool = False) -> set[str]:
    """The package modules ``name`` imports (``top_level_only``: at import
    time, leaving out function bodies and ``if TYPE_CHECKING``)."""
    tree = ast.parse(module_path(name).read_text(encoding='utf-8'))
    package = name if module_path(name).name == '__init__.py' else name.rsplit('.', 1)[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if top_level_only and isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            if (
                top_level_only
                and isinstance(child, ast.If)
                and 'TYPE_CHECKING' in ast.unparse(child.test)
            ):
                continue
            if isinstance(child, ast.ImportFrom):
                source = child.module or ''
                if child.level:
                    source = '.'.join(
                        package.split('.')[: len(package.split('.')) - child.level + 1]
                        + ([source] if source else [])
                    )
                for alias in child.names:
                    candidate = f'{source}.{alias.name}'
                    found.add(candidate if module_path(candidate).exists() else source)
            elif isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            visit(child)

    visit(tree)
    return {m for m in found if m.startswith('openstack_requirements')}


def layer(name: str) -> str:
    parts = name.split('.')
    if len(parts) < 2 or parts[1] in ('errors', 'cache'):
        return 'base'
    if parts[1] == 'ops' and (len(parts) == 2 or parts[2] in PLUMBING):
        return 'plumbing'
    return {'model': 'model', 'ops': 'jobs', 'cli': 'cli'}[parts[1]]


ORDER = ['base', 'model', 'plumbing', 'jobs', 'cli']


def test_imports_go_one_way() -> None:
    """model <- ops <- cli; the plumbing of ops <- its jobs; errors and
    the cache helper below everything."""
    upward = []
    for name in modules():
        for target in imports(name):
            if ORDER.index(layer(target)) > ORDER.index(layer(name)):
                upward.append(f'{name} -> {target}')
    assert upward == []


def test_no_import_cycle() -> None:
    graph = {name: imports(name, top_level_only=True) for name in modules()}
    cycles = []

    def walk(name: str, path: list[str]) -> None:
        for target in sorted(graph.get(name, ())):
            if target in path:
                cycles.append(path[path.index(target) :] + [target])
            elif target in graph and target not in done:
                walk(target, [*path, target])
        done.add(name)

    done: set[str] = set()
    for name in graph:
        if name not in done:
            walk(name, [name])
    # a package's __init__ importing its own modules is not a cycle
    cycles = [c for c in cycles if not all(m.startswith(c[0]) or c[0].startswith(m) for m in c)]
    assert cycles == []


def test_no_cli_module_imports_the_operations_at_import_time() -> None:
    """Start-up stays light: what a command does is imported when it runs.
    Every cli module imported, then the app's --help: no ops module is
    loaded (the time it takes is measured by tools/bench_parse.py)."""
    names = [n for n in modules('openstack_requirements.cli')]
    code = (
        f'import importlib, sys\nfor name in {names!r}:\n'
        '    importlib.import_module(name)\n'
        'from openstack_requirements.cli.app import main\n'
        'try:\n    main(["--help"])\nexcept SystemExit:\n    pass\n'
        'import json\n'
        'print(json.dumps(sorted(m for m in sys.modules '
        'if m.startswith("openstack_requirements.ops"))))\n'
    )
    done = subprocess.run(
        [sys.executable, '-c', code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert json.loads(done.stdout.splitlines()[-1]) == []


# -- modules of one concept ------------------------------------------------------


def test_modules_stay_small() -> None:
    large = {
        str(path.relative_to(ROOT)): n
        for path in PACKAGE.rglob('*.py')
        if (n := len(path.read_text(encoding='utf-8').splitlines())) > MAX_LINES
    }
    assert large == {}


def test_the_top_of_ops_is_plumbing_only() -> None:
    ops = PACKAGE / 'ops'
    top = {path.stem for path in ops.glob('*.py') if path.stem != '__init__'}
    assert top <= PLUMBING and len(top) <= MAX_PLUMBING
    jobs = {path.name for path in ops.iterdir() if (path / '__init__.py').is_file()}
    assert jobs == {'project', 'sync', 'constraints', 'checks', 'reports', 'distro', 'minimums'}


@pytest.mark.parametrize(
    'name',
    [n for n in modules('openstack_requirements.cli') if n != 'openstack_requirements.cli.base'],
)
def test_a_lister_prints_text_one_way(name: str) -> None:
    """A list command that prints text (a diff, a file) sets ``self.text``
    (cli/base.py's Lister): no command writes to the app's stdout around
    cliff's formatter, nor overrides produce_output."""
    tree = ast.parse(module_path(name).read_text(encoding='utf-8'))
    for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        if not any(ast.unparse(b).endswith('Lister') for b in cls.bases):
            continue
        methods = {n.name for n in cls.body if isinstance(n, ast.FunctionDef)}
        assert 'produce_output' not in methods, cls.name
        assert 'self.app.stdout' not in ast.unparse(cls), cls.name


def test_the_contributor_recipes_name_real_files() -> None:
    """Every file or directory a recipe of doc/source/contributor/ names
    exists (``ops/...`` is under openstack_requirements/)."""
    named = set()
    for page in (ROOT / 'doc' / 'source' / 'contributor').glob('*.rst'):
        for literal in re.findall(r'``([^`\s]+)``', page.read_text(encoding='utf-8')):
            if '/' in literal and re.fullmatch(r'[\w./-]+', literal):
                named.add(literal)
    assert len(named) > 20
    missing = [
        name
        for name in sorted(named)
        if 'NAME' not in name and not any((place / name).exists() for place in (ROOT, PACKAGE))
    ]
    assert missing == []
