"""Differential tests against the reference, openstack-requirements==1.2.0.

Same verdicts, or each difference explained. The reference's console
scripts sit beside its interpreter.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from openstack_requirements.ops.checks.data import UNPINNED
from tests.conftest import DATA, TREES, nearest_data

# differential tests: the reference tools, installed from the registry
pytestmark = [pytest.mark.network, pytest.mark.slow]


def reference(python: Path, script: str, *args: str) -> tuple[int, str]:
    done = subprocess.run(
        [str(python.parent / script), *args],
        capture_output=True,
        text=True,
        cwd=python.parent,
        timeout=120,
    )
    return done.returncode, done.stdout + done.stderr


def sections(output: str) -> dict[str, list[str]]:
    """The reference's output, by section banner."""
    found: dict[str, list[str]] = {}
    current = ''
    for line in output.splitlines():
        if line.startswith(('Checking ', 'Validating ')):
            current = line
            found[current] = []
        elif line.strip():
            found.setdefault(current, []).append(line)
    return found


def by_section(output: str) -> dict[str, set[str]]:
    """Packages the reference flags, keyed like our checks."""
    flagged: dict[str, set[str]] = {
        'constraint-format': set(),
        'constraint-matches-global': set(),
        'bounds': set(),
        'global-canonical': set(),
        'coverage': set(),
    }
    for banner, lines in sections(output).items():
        for line in lines:
            if banner.startswith('Checking requirements on'):
                flagged['bounds'].add(line.split()[1])
            elif banner.startswith('Validating'):
                if line.startswith('-'):
                    flagged['global-canonical'].add(re.split(r'[!<>=;\[ ]', line[1:])[0])
            elif banner.endswith('upper-constraints.txt'):
                flagged['constraint-format'].add(line)
            elif banner.endswith('global-requirements.txt'):
                flagged['constraint-matches-global'].add(line.split()[3])
            elif "'" in line:
                flagged['coverage'].add(line.split("'")[1])
    return flagged


def ours(run_app, source: Path, *args: str) -> dict[str, set[str]]:
    result = run_app(
        'validate-constraints',
        '--source',
        str(source),
        '-f',
        'json',
        '--select',
        'constraint-format,constraint-matches-global,'
        'global-canonical,coverage,no-global-lower-bounds',
        *args,
    )
    flagged: dict[str, set[str]] = {}
    for row in result.json():
        flagged.setdefault(row['Check'], set()).add(row['Package'])
    return flagged


@pytest.mark.parametrize(
    'date, denylist', [('2019-06-01', 'blacklist.txt'), ('2026-08-22', 'denylist.txt')]
)
def test_validate_constraints(reference_python: Path, run_app, date: str, denylist: str) -> None:
    source = DATA / f'openstack-{date}'
    code, output = reference(
        reference_python,
        'validate-constraints',
        str(source / 'global-requirements.txt'),
        str(source / 'upper-constraints.txt'),
        str(source / denylist),
    )
    theirs = by_section(output)
    mine = ours(run_app, source)
    packages = {
        re.match(r'[\w.-]+', line)[0]  # type: ignore[index]
        for line in (source / 'global-requirements.txt').read_text().splitlines()
        if line[:1].isalnum()
    }

    # Same verdicts: every pin matches the global list; coverage is complete.
    assert (
        theirs['constraint-matches-global']
        == set()
        == mine.get('constraint-matches-global', set())
    )
    assert theirs['coverage'] == set() == mine.get('coverage', set())

    # Explained 1: 1.2.0 carries the 2017-09 bounds policy (every package
    # *needs* a >=); since 2018-04 the policy is the opposite, and neither
    # data set has any >=, so the reference flags every package.
    assert theirs['bounds'] == packages
    assert mine.get('no-global-lower-bounds', set()) == set()

    # Explained 2: canonical order of !=4.0.5rc1 and !=4.0.5. The reference
    # sorts with LooseVersion (final before rc); PEP 440 puts the rc first.
    # 2019's file followed the old order, 2026's the new one.
    if date == '2019-06-01':
        assert theirs['global-canonical'] == set()
        assert mine['global-canonical'] == {'pysaml2'}
    else:
        assert theirs['global-canonical'] == {'pysaml2'}
        assert mine.get('global-canonical', set()) == set()

    # Explained 3: the 2026 file opens with a 7-line comment header; the
    # reference reads each comment line as an invalid constraint.
    if date == '2026-08-22':
        assert len(theirs['constraint-format']) == 7
        assert all('# ' in line for line in theirs['constraint-format'])
    else:
        assert theirs['constraint-format'] == set()
    assert mine.get('constraint-format', set()) == set()
    assert code == 1  # for the reasons above; ours: see test_validate.py


REF_LINE = re.compile(
    r'^(?P<key>\S+) (?:from (?P<file>\S+) not found in (?P<where>\S+)|'
    r'must be <= (?P<version>\S+) from upper-constraints)'
)


@pytest.mark.parametrize('tree', sorted(p.name for p in TREES.iterdir()))
def test_check_constraints(reference_python: Path, run_app, tree: str) -> None:
    data = nearest_data(TREES / tree)
    denylist = data / ('denylist.txt' if (data / 'denylist.txt').is_file() else 'blacklist.txt')
    files = (
        '-u',
        str(data / 'upper-constraints.txt'),
        '-g',
        str(data / 'global-requirements.txt'),
        '-b',
        str(denylist),
    )
    code, output = reference(reference_python, 'check-constraints', str(TREES / tree), *files)
    theirs = set()
    current = ''
    for line in output.splitlines():
        if line.startswith('Comparing '):
            current = line.split()[1]
        match = REF_LINE.match(line)
        if match:
            check = 'in-global' if match['where'] == 'global-requirements' else 'upper-constraint'
            theirs.add((check, match['file'] or current, match['key']))
    result = run_app('check-constraints', str(TREES / tree), *files, '-f', 'json')
    # the reference reads only requirement files; ours every source (the
    # corpus extras and groups hold no finding, so the sets are equal)
    mine = {(r['Check'], r['File'], r['Package'].lower()) for r in result.json()}
    # Explained: the constraints never pin the installers (nor the
    # Windows-only modules); the reference asks for a pin, ours does not
    unpinned = {
        f
        for f in theirs
        if f[0] == 'upper-constraint' and f[2] in UNPINNED and not upper_pins(data, f[2])
    }
    assert unpinned == (
        {('upper-constraint', 'requirements.txt', 'setuptools')}
        if tree == 'nova-2016-01-01'
        else set()
    )
    assert mine == theirs - unpinned
    assert result.code == (1 if mine else 0)
    assert code == (1 if theirs else 0)


def upper_pins(data: Path, key: str) -> list[str]:
    return [
        line
        for line in (data / 'upper-constraints.txt').read_text().splitlines()
        if line.lower().startswith(f'{key}===')
    ]
