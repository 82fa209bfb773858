"""The project contract checks, each with passing and failing inputs.

Several cases are those where the reference job is wrong: it compares
specifiers and names as text and crashes on ``-r`` lines and direct
references.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from openstack_requirements.ops.checks import base
from openstack_requirements.ops.checks import project as contract
from openstack_requirements.ops.checks.context import Context
from openstack_requirements.ops.project import read_project

GLOBAL = """\
name!=1.4  # Apache-2.0
PyYAML  # MIT
oslo.config  # Apache-2.0
capped<2.0  # BSD
withmarker;python_version=='3.10'  # MIT
withmarker!=1.4;python_version=='3.11'  # MIT
py3only;python_version>='3.8'  # MIT
platformed;sys_platform!='win32'  # MIT
importlib-metadata;python_version<'3.10'  # Apache-2.0
"""
UPPER = """\
# a comment header, as in the 2025+ file
name===1.5
PyYAML===6.0
oslo.config===9.0.0
capped===1.9
withmarker===1.6
py3only===2.0
platformed===1.0
importlib-metadata===6.0
denied===1.0
"""


@pytest.fixture
def context(tmp_path: Path):
    """A factory: project files (name -> text) -> Context."""
    data = tmp_path / 'data'
    data.mkdir()
    (data / 'global-requirements.txt').write_text(GLOBAL)
    (data / 'upper-constraints.txt').write_text(UPPER)
    (data / 'denylist.txt').write_text('# linters\nflake8\ndenied\n')
    (data / 'backports.txt').write_text('importlib-metadata\n')

    def make(branch: str = 'master', **files: str) -> Context:
        root = tmp_path / 'project'
        root.mkdir(exist_ok=True)
        for name, text in files.items():
            stem, _, suffix = name.rpartition('_')  # test_requirements_txt
            path = root / f'{stem.replace("_", "-")}.{suffix}'

            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        return Context.from_source(data, project=read_project(root), branch=branch)

    return make


def run(check: base.Check, context: Context) -> list[tuple[int | None, str, str]]:
    return [(f.line, f.package, f.message) for f in check.check(context)]


def test_in_global(context) -> None:
    ctx = context(requirements_txt='name>=1\nunknown>=1\nflake8\nDenied>=0\n')
    assert run(contract.InGlobal(), ctx) == [
        (2, 'unknown', 'not in the global requirements (nor in the denylist)')
    ]


def test_in_global_compares_canonical_names(context) -> None:
    ctx = context(requirements_txt='pyyaml>=5\noslo_config>=1\n')
    assert run(contract.InGlobal(), ctx) == []


def mismatch(name: str, spelt: str) -> str:
    return (
        f'could not find a global requirements entry to match package '
        f'{name}: the global list spells it {spelt!r}'
    )


@pytest.mark.parametrize(
    'branch', ['master', 'main', 'stable/2025.1', 'stable/2026.1', 'feature/x']
)
def test_spelling_as_written_on_today_s_branches(context, branch: str) -> None:
    # the job's parser keeps the name as written since 2025-10-27 (master),
    # 2026-02 (stable/2025.1, 2025.2): it fails pyyaml against PyYAML
    ctx = context(
        branch=branch,
        requirements_txt='pyyaml>=5\noslo_config>=1\nname>=1\nimportlib_metadata>=1\nFlake8\n',
    )
    findings = list(contract.Spelling().check(ctx))
    assert [(f.line, f.severity, f.message) for f in findings] == [
        (1, 'error', mismatch('pyyaml', 'PyYAML')),
        (2, 'error', mismatch('oslo_config', 'oslo.config')),
        (4, 'error', mismatch('importlib_metadata', 'importlib-metadata')),
    ]
    # the line's other rules still hold under the canonical name
    assert run(contract.Exclusions(), ctx) == []
    assert run(contract.Markers(), ctx) == []


@pytest.mark.parametrize(
    'branch', ['unmaintained/2024.1', 'unmaintained/zed', 'stable/2024.2', 'stable/yoga']
)
def test_spelling_as_pkg_resources_on_older_branches(context, branch: str) -> None:
    # pkg_resources folded runs of characters other than letters, digits
    # and '.' to '-': importlib_metadata passed, case and dots counted
    ctx = context(
        branch=branch,
        requirements_txt='pyyaml>=5\noslo_config>=1\nname>=1\nimportlib_metadata>=1\n',
    )
    assert run(contract.Spelling(), ctx) == [
        (1, 'pyyaml', mismatch('pyyaml', 'PyYAML')),
        (2, 'oslo_config', mismatch('oslo_config', 'oslo.config')),
    ]
    # either rule on any branch, when asked for
    ctx.names = 'written'
    assert len(run(contract.Spelling(), ctx)) == 3
    ctx.names = 'pkg_resources'
    ctx.branch = 'master'
    assert len(run(contract.Spelling(), ctx)) == 2


def test_lower_bound(context) -> None:
    ctx = context(requirements_txt='name\nPyYAML>=5\noslo.config~=9.0\ncapped>1\nflake8\n')
    assert run(contract.LowerBound(), ctx) == [(1, 'name', 'no lower bound')]


@pytest.mark.parametrize(
    'line, bad',
    [
        ('name>=1.2', None),
        ('name>=1.2,!=1.4', None),
        ('name>=1.2,!=1.4.0', None),  # the reference: '!=1.4.0' not in {'!=1.4'}
        ('name>=1.2,!=1.4,!=1.5', '!=1.5'),
        ('name>=1.2,<3', '<3'),
        ('capped>=1,<2.0', None),
        ('capped>=1,<2', None),  # same cap, other spelling
        ('capped>=1,<3', None),  # a looser cap excludes less
        ('capped>=1,<1.5', '<1.5'),
        ('capped>=1,!=2.5', None),  # excluded by the global cap already
        ('name~=1.2', '~=1.2'),  # the implied cap <2
        ('capped~=1.2', None),  # <2 implied, the global caps <2.0
        ('capped>=1,<=1.9', '<=1.9'),  # leaves (1.9, 2.0) out
        ('capped>=1,<=2.0', None),
        ('name>=1,!=1.4.*', '!=1.4.*'),  # the global excludes 1.4 only
    ],
)
def test_exclusions_as_version_sets(context, line: str, bad: str | None) -> None:
    ctx = context(requirements_txt=line + '\n')
    findings = run(contract.Exclusions(), ctx)
    if bad is None:
        assert findings == []
    else:
        assert len(findings) == 1
        assert findings[0][2].startswith(
            f'excludes versions the global list does not: {bad} (global: '
        )


@pytest.mark.parametrize(
    'line, agree',
    [
        ("withmarker>=1;python_version=='3.10'", True),
        ('withmarker>=1;python_version == "3.10"', True),  # other spelling
        ('withmarker>=1', True),  # global: py3 only
        ("withmarker>=1;python_version=='3.12'", False),
        ("name>=1;python_version>='3.9'", True),  # local py3 marker
        ("name>=1;sys_platform=='win32'", False),
        ('py3only>=1', True),
        ('platformed>=1', False),
        ("importlib-metadata>=1;python_version<'3.12'", True),  # a backport
    ],
)
def test_markers(context, line: str, agree: bool) -> None:
    ctx = context(requirements_txt=line + '\n')
    findings = run(contract.Markers(), ctx)
    assert (findings == []) is agree, findings


def test_markers_message(context) -> None:
    ctx = context(requirements_txt="name>=1;sys_platform=='win32'\n")
    assert run(contract.Markers(), ctx) == [
        (1, 'name', 'markers \'sys_platform == "win32"\' match no global entry (global: (none))')
    ]


def test_exclusions_use_the_entry_with_the_same_markers(context) -> None:
    ctx = context(
        requirements_txt=(
            "withmarker>=1;python_version=='3.10'\nwithmarker>=1,!=1.4;python_version=='3.11'\n"
        )
    )
    assert run(contract.Exclusions(), ctx) == []
    ctx = context(requirements_txt="withmarker>=1,!=1.4;python_version=='3.10'\n")
    assert len(run(contract.Exclusions(), ctx)) == 1


def test_line_count(context) -> None:
    ctx = context(requirements_txt="withmarker>=1;python_version=='3.10'\n")
    assert run(contract.LineCount(), ctx) == [
        (1, 'withmarker', 'withmarker: 1 line(s), the global list has 2')
    ]
    # one unmarked line stands for Python 3 marker variants
    assert run(contract.LineCount(), context(requirements_txt='withmarker>=1\n')) == []
    both = "withmarker>=1;python_version=='3.10'\nwithmarker>=1;python_version=='3.11'\n"
    assert run(contract.LineCount(), context(requirements_txt=both)) == []


def test_line_count_per_extra(context) -> None:
    ctx = context(requirements_txt='name[a]>=1\nname[b]>=1\nname[a]>=1.1\n')
    assert run(contract.LineCount(), ctx) == [
        (1, 'name', 'name[a]: 2 line(s), the global list has 1')
    ]
    # a line repeated exactly counts once, as the job counts records as a set
    ctx = context(requirements_txt='name[a]>=1\nname[b]>=1\nname[a]>=1\n')
    assert run(contract.LineCount(), ctx) == []


def test_duplicates(context) -> None:
    ctx = context(
        requirements_txt='name>=1  # one\nName>=1.1  # two\n'
        "withmarker>=1;python_version=='3.10'\n"
        "withmarker>=1;python_version=='3.11'\n"
    )
    assert run(contract.Duplicates(), ctx) == [(2, 'Name', 'duplicate entry for this package')]


def test_upper_constraint(context) -> None:
    ctx = context(
        requirements_txt='name>=1.6\nPyYAML>=5,<6\ncapped>=1\n'
        'platformed>=1\nunknown-pkg>=1\nflake8>=1\n'
    )
    assert run(contract.UpperConstraint(), ctx) == [
        (1, 'name', '>=1.6 does not admit the upper constraint 1.5'),
        (2, 'PyYAML', '>=5,<6 does not admit the upper constraint 6.0'),
    ]


def test_upper_constraint_missing_pin(context, tmp_path: Path) -> None:
    ctx = context(requirements_txt='name>=1\nPyYAML>=1\n')
    (tmp_path / 'data' / 'upper-constraints.txt').write_text('name===1.5\n')
    ctx = Context.from_source(tmp_path / 'data', project=ctx.project)
    assert run(contract.UpperConstraint(), ctx) == [(2, 'PyYAML', 'not in upper-constraints')]


def test_upper_constraint_leaves_the_unpinned_alone(tmp_path: Path) -> None:
    """freezer lists setuptools, neutron (2023.1) wmi: the constraints never
    pin pip, setuptools or wheel (pip freeze leaves them out) nor the
    Windows-only modules, so no pin is no error; a pin there is (2016's
    wheel, 2022's setuptools) is checked as any other."""
    data = tmp_path / 'data'
    data.mkdir()
    (data / 'global-requirements.txt').write_text(
        "pip\nsetuptools!=24.0.0\nwheel\nname\nwmi;sys_platform=='win32'\n"
    )
    (data / 'upper-constraints.txt').write_text('wheel===0.26.0\nname===1.0\n')
    (data / 'denylist.txt').write_text('\n')
    root = tmp_path / 'project'
    root.mkdir()
    (root / 'requirements.txt').write_text(
        "setuptools>=21.0.0\nPip>=20\nwheel>=0.30\nname>=1\nwmi>=1.4.9;sys_platform=='win32'\n"
    )
    ctx = Context.from_source(data, project=read_project(root))
    assert run(contract.UpperConstraint(), ctx) == [
        (3, 'wheel', '>=0.30 does not admit the upper constraint 0.26.0')
    ]


def test_upper_constraint_admits_pre_releases(context, tmp_path: Path) -> None:
    ctx = context(requirements_txt='name>=1\n')
    data = tmp_path / 'data' / 'upper-constraints.txt'
    data.write_text('name===2.0rc1\n')
    ctx = Context.from_source(tmp_path / 'data', project=ctx.project)
    assert run(contract.UpperConstraint(), ctx) == []


def test_every_source_is_checked(context) -> None:
    ctx = context(
        setup_cfg='[extras]\ntest =\n  nosuch>=1\n',
        pyproject_toml=(
            '[build-system]\nrequires = ["pbr"]\nbuild-backend = "pbr.build"\n'
            '[project]\nname = "p"\ndependencies = ["name>=1"]\n'
            '[project.optional-dependencies]\nkafka = ["other>=1"]\n'
            '[dependency-groups]\nlint = ["stranger>=1"]\n'
        ),
    )
    findings = list(contract.InGlobal().check(ctx))
    assert [(f.file, f.package) for f in findings] == [
        ('setup.cfg [extras] test', 'nosuch'),
        ('pyproject.toml [project.optional-dependencies] kafka', 'other'),
        ('pyproject.toml [dependency-groups] lint', 'stranger'),
    ]


def test_pip_options_do_not_crash(context) -> None:
    # the reference job raises on '-r' and '-c' lines
    ctx = context(
        requirements_txt='-r test-requirements.txt\n-c upper.txt\nname>=1\n',
        test_requirements_txt='PyYAML>=5\n',
    )
    every = base.run(
        [
            c()
            for c in (
                contract.InGlobal,
                contract.LowerBound,
                contract.Exclusions,
                contract.Markers,
                contract.LineCount,
                contract.UpperConstraint,
            )
        ],
        ctx,
    )
    assert every == []
    assert run(contract.PipOptions(), ctx) == [
        (1, '', 'pip option --requirement test-requirements.txt is not checked'),
        (2, '', 'pip option --constraint upper.txt is not checked'),
    ]


def test_pip_options_several_on_a_line(context) -> None:
    ctx = context(requirements_txt='-i https://mirror/simple --trusted-host mirror\nname>=1\n')
    assert run(contract.PipOptions(), ctx) == [
        (1, '', 'pip option --index-url https://mirror/simple is not checked'),
        (1, '', 'pip option --trusted-host mirror is not checked'),
    ]


def test_direct_reference(context) -> None:
    # the reference crashes (UnboundLocalError) on a PEP 508 direct reference
    ctx = context(requirements_txt='name @ https://example.com/name-1.0.tar.gz\nPyYAML>=5\n')
    assert run(contract.DirectReference(), ctx) == [
        (
            1,
            'name',
            "direct reference 'https://example.com/name-1.0.tar.gz': the "
            'contract needs a named requirement from the package index',
        )
    ]
    assert run(contract.LowerBound(), ctx) == []
    assert run(contract.UpperConstraint(), ctx) == []


def test_local_editables_are_reported_not_refused(context) -> None:
    ctx = context(requirements_txt='-e .\n-e file:../sibling#egg=sibling\nname>=1\n')
    assert run(contract.DirectReference(), ctx) == []
    assert run(contract.PipOptions(), ctx) == [
        (1, '', 'local requirement -e . is not checked'),
        (2, 'sibling', 'local requirement -e file:../sibling#egg=sibling is not checked'),
    ]
    assert run(contract.InGlobal(), ctx) == []


PBR = '[build-system]\nrequires = ["pbr"]\nbuild-backend = "pbr.build"\n'
NO_PROJECT = 'no [project] table: not an error yet, it may become one'


@pytest.mark.parametrize(
    'branch, pyproject, message',
    [
        ('master', None, 'no pyproject.toml (required on master)'),
        ('main', '[project]\nname = "p"\n', 'no [build-system] build-backend'),
        (
            'master',
            '[project]\nname = "p"\n[build-system]\nbuild-backend = "pbr.build"\n',
            'no [build-system] requires',
        ),
        ('master', '[project]\nname = "p"\n' + PBR, None),
        # the reference HEAD's test_invalid_build_backend
        (
            'master',
            '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n',
            "[build-system] build-backend is 'setuptools.build_meta', not "
            "'pbr.build' (required on master)",
        ),
        (
            'stable/2025.1',
            '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n',
            None,
        ),
        ('stable/2025.1', None, None),
    ],
)
def test_build_backend(context, branch: str, pyproject: str | None, message: str | None) -> None:
    files = {'requirements_txt': 'name>=1\n'}
    if pyproject is not None:
        files['pyproject_toml'] = pyproject
    ctx = context(branch=branch, **files)
    assert run(contract.BuildBackend(), ctx) == ([] if message is None else [(None, '', message)])


@pytest.mark.parametrize(
    'branch, pyproject, expected',
    [
        # the reference HEAD's test_missing_project_table: a warning on master
        ('master', PBR, [('warning', NO_PROJECT)]),
        ('main', PBR + '[project.optional-dependencies]\n', []),
        (
            'master',
            '[build-system]\nbuild-backend = "pbr.build"\n',
            [('error', 'no [build-system] requires'), ('warning', NO_PROJECT)],
        ),
        # as the reference, said only once the build system is right
        (
            'master',
            '[build-system]\nbuild-backend = "setuptools.build_meta"\n',
            [
                (
                    'error',
                    "[build-system] build-backend is 'setuptools.build_meta', "
                    "not 'pbr.build' (required on master)",
                )
            ],
        ),
        ('stable/2025.1', PBR, []),
    ],
)
def test_a_pyproject_without_a_project_table_is_a_warning(
    context, branch: str, pyproject: str, expected: list[tuple[str, str]]
) -> None:
    ctx = context(branch=branch, requirements_txt='name>=1\n', pyproject_toml=pyproject)
    assert [(f.severity, f.message) for f in contract.BuildBackend().check(ctx)] == expected


def test_data_lines_that_do_not_parse(tmp_path: Path) -> None:
    """A global or constraint line that does not parse is reported where it
    stands, once, for the packages the project uses; in-global and
    upper-constraint do not call those packages missing."""
    data = tmp_path / 'data'
    data.mkdir()
    (data / 'global-requirements.txt').write_text('good\nbroken>=1,<\nunused!!1\n')
    (data / 'upper-constraints.txt').write_text('good===1.0\nbroken===1.0;python_version>\n')
    root = tmp_path / 'project'
    root.mkdir()
    (root / 'requirements.txt').write_text('good>=1\nbroken>=1\n')
    (root / 'test-requirements.txt').write_text('broken>=1\n')
    context = Context.from_source(data, project=read_project(root))
    found = [(f.file, f.line, f.package, f.message) for f in contract.DataLines().check(context)]
    assert found == [
        (
            'global-requirements.txt',
            2,
            'broken',
            "column 12: expected a version after '<': broken>=1,< (needed by requirements.txt:2)",
        ),
        (
            'upper-constraints.txt',
            2,
            'broken',
            'column 29: invalid marker: '
            'expected a marker variable or quoted string: '
            'broken===1.0;python_version> (needed by requirements.txt:2)',
        ),
    ]
    assert run(contract.InGlobal(), context) == []
    assert run(contract.UpperConstraint(), context) == []


@pytest.mark.parametrize(
    'line, bad',
    [
        ('name>=1.4', '>=1.4 names 1.4, which the global list excludes (!=1.4)'),
        ('name>=1.4,!=1.4', None),  # the line admits no 1.4: what the sync writes
        ('name>1.4', None),
        ('name>=1.4.post1', None),
        ('capped>=1,<=2.0', '<=2.0 names 2.0, which the global list excludes (<2.0)'),
    ],
)
def test_global_specifiers_name_only_what_the_line_admits(
    context, line: str, bad: str | None
) -> None:
    findings = run(contract.GlobalSpecifiers(), context(requirements_txt=line + '\n'))
    assert [message for _, _, message in findings] == ([bad] if bad else [])
