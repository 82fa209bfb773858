"""The reference's own test cases of its check logic (openstack/requirements
HEAD: test_check.py, test_check_constraints.py, test_project.py and the URL
forms of test_requirement.py), ported as command lines: check-requirements
over a project, with only the files the reference's job reads (the global
list, the denylist, maybe backports.txt), and check-constraints. Each case
is named by the reference's; it agrees with the reference's verdict, or
says why ours differs on purpose ("improvement: ...")."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.test_reference_cases import write
from tests.conftest import AppResult

Run = Callable[..., AppResult]
P = pytest.param


# -- the requirements-check job (test_check), on the job's two files ---------

PYPROJECT = (
    '[project]\nname = "p"\n[build-system]\nrequires = ["pbr"]\nbuild-backend = "pbr.build"\n'
)


def check(
    run_app: Run,
    tmp_path: Path,
    global_: str,
    files: dict[str, str | None],
    *options: str,
    denylist: str = '',
    backports: str | None = None,
) -> AppResult:
    """check-requirements over a project of ``files`` (path -> text; a
    pyproject.toml building with pbr unless given, or ``None``: none),
    with only the files the reference's job reads: the global list, the
    denylist and maybe backports.txt."""
    data = tmp_path / 'data'
    write(data / 'global-requirements.txt', global_)
    write(data / 'denylist.txt', denylist)
    if backports is not None:
        write(data / 'backports.txt', backports)
    root = tmp_path / 'project'
    root.mkdir(exist_ok=True)
    for name, text in {'pyproject.toml': PYPROJECT, **files}.items():
        if text is not None:
            write(root / name, text)
    return run_app('check-requirements', str(root), '--source', str(data), '-f', 'json', *options)


def fired(result: AppResult) -> list[str]:
    return sorted({r['Check'] for r in result.json() if r['Severity'] == 'error'})


TWO_MARKERS = "name>=1.5;python_version=='3.5'\nname>=1.2,!=1.4;python_version=='2.6'\n"


@pytest.mark.parametrize(
    'project, global_, denylist, errors',
    [
        # TestValidateOne: the reference's _validate_one (True: a failure)
        P('name>=1.2,!=1.4\n', 'name>=1.2,!=1.4\n', '', [], id='unchanged'),
        P('name>=1.2,!=1.4\n', 'name>=1.2,!=1.4\n', 'name\n', [], id='denylisted'),
        P('name>=1.5\n', 'name>=1.2,!=1.4\n', 'name\n', [], id='denylisted_mismatch'),
        P('name>=1.2,!=1.4\n', '', '', ['in-global'], id='not_in_global_list'),
        P('name>=1.2,!=1.4\n', 'name>=1.2,!=1.4\n', '', [], id='new_item_matches_global_list'),
        P('name>=1.1,!=1.4\n', 'name>=1.2,!=1.4\n', '', [], id='new_item_lower_min'),
        P(
            'name>=1.2,!=1.4,!=1.5\n',
            'name>=1.2,!=1.4\n',
            '',
            ['exclusions'],
            id='new_item_extra_exclusion',
        ),
        P('name>=1.2\n', 'name>=1.2,!=1.4\n', '', [], id='new_item_missing_exclusion'),
        P(TWO_MARKERS, TWO_MARKERS, '', [], id='new_item_matches_global_list_with_extra'),
        P(
            "name>=1.2,!=1.4;python_version=='2.6'\n",
            TWO_MARKERS,
            '',
            ['line-count'],
            id='new_item_missing_extra_line',
        ),
        P(
            "name>=1.5;python_version=='3.6'\nname>=1.2,!=1.4;python_version=='2.6'\n",
            TWO_MARKERS,
            '',
            ['markers'],
            id='new_item_mismatches_global_list_with_extra',
        ),
    ],
)
def test_validate_one(
    run_app: Run, tmp_path: Path, project: str, global_: str, denylist: str, errors: list[str]
) -> None:
    result = check(run_app, tmp_path, global_, {'requirements.txt': project}, denylist=denylist)
    assert (result.code, fired(result)) == (1 if errors else 0, errors)
    assert result.stderr.startswith('check-requirements: upper-constraint skipped: ')


MATCHING = ('--select', 'in-global,markers,exclusions,spelling')
IS_IN_GLOBAL = (
    "name>=1.2,!=1.4\nwithmarker>=1.5;python_version=='3.5'\n"
    "withmarker>=1.2,!=1.4;python_version=='2.7'\n"
)


@pytest.mark.parametrize(
    'line, backports, match',
    [
        # TestIsReqInGlobalReqs: the rules matching one line with a global entry
        P('name>=1.2,!=1.4', None, True, id='match'),
        P("withmarker>=1.5;python_version=='3.5'", None, True, id='match_with_markers'),
        P("name;python_version=='3.5'", None, True, id='match_with_local_markers'),
        P('withmarker>=1.5', None, True, id='match_without_python3_markers'),
        P("name;python_version<'3.9'", 'name\n', True, id='backport'),
        P('wrongname>=1.2,!=1.4', None, False, id='name_mismatch'),
        P("name; sys_platform == 'win32'", None, False, id='marker_mismatch'),
        P('name>=1.3,!=1.4', None, True, id='min_mismatch'),
        P('name>=1.2,!=1.4,!=1.5', None, False, id='extra_exclusion'),
        P('name>=1.2', None, True, id='missing_exclusion'),
    ],
)
def test_is_requirement_in_global_reqs(
    run_app: Run, tmp_path: Path, line: str, backports: str | None, match: bool
) -> None:
    result = check(
        run_app,
        tmp_path,
        IS_IN_GLOBAL,
        {'requirements.txt': line + '\n'},
        *MATCHING,
        backports=backports,
    )
    assert result.code == (0 if match else 1), result


@pytest.mark.parametrize(
    'backports, match',
    [
        P('', False, id='notmatching_no_backport'),
        P('name\n', True, id='notmatching_with_backport'),
    ],
)
def test_backport_python_markers(
    run_app: Run, tmp_path: Path, backports: str, match: bool
) -> None:
    # TestBackportPythonMarkers: any python_version marker on a backport
    result = check(
        run_app,
        tmp_path,
        "name>=1.5;python_version=='3.10'\n",
        {'requirements.txt': "name>=1.5;python_version=='3.11'\n"},
        *MATCHING,
        backports=backports,
    )
    assert result.code == (0 if match else 1), result


@pytest.mark.parametrize(
    'global_, exclusions',
    [
        # TestGetExclusions: != and < are what a project may only copy
        P('name>=1.2', '', id='none'),
        P('name>=1.2,!=1.4', ',!=1.4', id='one'),
        P('name>=1.2,!=1.4,<2.0', ',!=1.4,<2.0', id='cap'),
    ],
)
def test_get_exclusions(run_app: Run, tmp_path: Path, global_: str, exclusions: str) -> None:
    copied = check(
        run_app,
        tmp_path,
        global_ + '\n',
        {'requirements.txt': f'name>=1.0{exclusions}\n'},
        *MATCHING,
    )
    assert copied.code == 0, copied
    own = check(
        run_app,
        tmp_path,
        global_ + '\n',
        {'requirements.txt': f'name>=1.0{exclusions},!=1.3\n'},
        *MATCHING,
    )
    assert [(r['Check'], r['Message'].split(' (global')[0]) for r in own.json()] == [
        ('exclusions', 'excludes versions the global list does not: !=1.3')
    ]


def packages_by_source(result: AppResult) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for row in result.json():
        found.setdefault(row['File'], []).append(row['Package'])
    return found


def test_requirements_list_setup_cfg_extras(run_app: Run, tmp_path: Path) -> None:
    # TestRequirementsList.test_extras__setup_cfg: each extra on its own
    result = check(
        run_app,
        tmp_path,
        'other\n',
        {
            'requirements.txt': 'requests>=2.0.0\n',
            'setup.cfg': '[extras]\ntest =\n  pytest>=6.0.0\n  flake8>=3.8.0\n'
            'dev =\n  black>=24.0.0\n  mypy>=0.900\n',
        },
        '--select',
        'in-global',
    )
    assert packages_by_source(result) == {
        'requirements.txt': ['requests'],
        'setup.cfg [extras] test': ['pytest', 'flake8'],
        'setup.cfg [extras] dev': ['black', 'mypy'],
    }


def test_requirements_list_pyproject(run_app: Run, tmp_path: Path) -> None:
    # TestRequirementsList.test_extras__pyproject_toml. Ours checks an
    # included group's lines where they are written (the reference copies
    # them into the including group and checks them twice)
    pyproject = (
        '[project]\nname = "p"\n'
        'dependencies = ["requests>=2.0.0", "six>=1.0.0"]\n'
        '[project.optional-dependencies]\nsecurity = ["cryptography>=3.0.0"]\n'
        '[dependency-groups]\ntest = ["pytest>=6.0.0", "coverage>=7.0.0"]\n'
        'typing = ["mypy>=0.900", "types-requests"]\n'
        'typing-test = [{include-group = "typing"}, {include-group = "test"}]\n'
        '[build-system]\nrequires = ["pbr"]\nbuild-backend = "pbr.build"\n'
    )
    result = check(
        run_app, tmp_path, 'other\n', {'pyproject.toml': pyproject}, '--select', 'in-global'
    )
    assert packages_by_source(result) == {
        'pyproject.toml [project.dependencies]': ['requests', 'six'],
        'pyproject.toml [project.optional-dependencies] security': ['cryptography'],
        'pyproject.toml [dependency-groups] test': ['pytest', 'coverage'],
        'pyproject.toml [dependency-groups] typing': ['mypy', 'types-requests'],
    }


# -- the parse cases with URLs (test_requirement), as the job reads them ----


@pytest.mark.parametrize(
    'line, name',
    [
        P('file:///path/to/thing#egg=thing', 'thing', id='url'),
        P('file:///path/to/oslo.thing#egg=oslo.thing', 'oslo.thing', id='oslo-url'),
        P('file:///path/to/thing#egg=thing # http://altpath#egg=boo', 'thing', id='url-comment'),
        P('-e file:///path/to/bar#egg=bar', 'bar', id='editable'),
        P(
            '-e git+http://github.com/path/to/oslo.bar#egg=oslo.bar',
            'oslo.bar',
            id='editable_vcs_git',
        ),
        P(
            '-e git+ssh://github.com/path/to/oslo.bar#egg=oslo.bar',
            'oslo.bar',
            id='editable_vcs_git_ssh',
        ),
    ],
)
def test_parse_url_forms(run_app: Run, tmp_path: Path, line: str, name: str) -> None:
    # The job passes the -e forms and crashes (a traceback, exit 1) on the
    # others. Improvement: ours names the package (the egg) and reports
    # the line as local, not checked; the change passes
    result = check(run_app, tmp_path, f'{name}\n', {'requirements.txt': line + '\n'})
    assert result.code == 0, result
    assert [(r['Check'], r['Severity'], r['Package']) for r in result.json()] == [
        ('pip-options', 'info', name)
    ]
    normalized = run_app('normalize-requirements', str(tmp_path / 'project' / 'requirements.txt'))
    assert normalized.stdout.split('#egg=')[0] == line.split('#egg=')[0]


def test_parse_a_tarball_url(run_app: Run, tmp_path: Path) -> None:
    # TestParseRequirementFailures 'url': the reference's parser refuses
    # it; its job lets it through unchecked (a tarballs.openstack.org URL
    # is passed through). Improvement: a remote URL bypasses the index
    # and the global list; ours fails it (direct-reference)
    line = 'http://tarballs.openstack.org/oslo.config/oslo.config-1.2.0a3.tar.gz#egg=oslo.config'
    result = check(run_app, tmp_path, 'oslo.config\n', {'requirements.txt': line + '\n'})
    assert (result.code, fired(result)) == (1, ['direct-reference'])


@pytest.mark.parametrize(
    'content',
    [
        # TestToReqs: several lines, extras
        P(
            'oslo.config>=1.11.0     # Apache-2.0\noslo.concurrency>=2.3.0 # Apache-2.0\n'
            'oslo.context>=0.2.0     # Apache-2.0\n',
            id='multiline',
        ),
        P(
            'oslo.config>=1.11.0 # Apache-2.0\n'
            'oslo.concurrency[fixtures]>=1.11.0 # Apache-2.0\n'
            'oslo.db[fixtures,mysql]>=1.11.0 # Apache-2.0\n',
            id='extras',
        ),
    ],
)
def test_to_reqs(run_app: Run, tmp_path: Path, content: str) -> None:
    global_ = 'oslo.config\noslo.concurrency\noslo.context\noslo.db\n'
    result = check(run_app, tmp_path, global_, {'requirements.txt': content})
    assert (result.code, result.json()) == (0, [])
    # each line is its package's: drop one from the list, that one fails
    result = check(
        run_app,
        tmp_path,
        global_.replace('oslo.config\n', ''),
        {'requirements.txt': content},
        '--select',
        'in-global',
    )
    assert [(r['Line'], r['Package']) for r in result.json()] == [(1, 'oslo.config')]


# -- pyproject.toml and extras as the job reads them (test_project) ---------

BUILD = '[build-system]\nrequires = ["pbr"]\nbuild-backend = "pbr.build"\n'


@pytest.mark.parametrize(
    'pyproject, severity, message',
    [
        # TestVerifyPyprojectToml, through the job's checks on master
        P('[project]\nname = "foo"\n' + BUILD, None, None, id='valid'),
        P(None, 'error', 'no pyproject.toml (required on master)', id='missing_file'),
        P(
            '[project]\nname = "foo"\n',
            'error',
            'no [build-system] build-backend',
            id='missing_build_system',
        ),
        P(
            '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n',
            'error',
            "[build-system] build-backend is 'setuptools.build_meta', not "
            "'pbr.build' (required on master)",
            id='invalid_build_backend',
        ),
        P(
            '[build-system]\nrequires = ["pbr>=6.0.0", "setuptools>=64.0.0"]\n'
            'build-backend = "pbr.build"\n',
            'warning',
            'no [project] table: not an error yet, it may become one',
            id='missing_project_table',
        ),
    ],
)
def test_verify_pyproject_toml(
    run_app: Run, tmp_path: Path, pyproject: str | None, severity: str | None, message: str | None
) -> None:
    result = check(
        run_app,
        tmp_path,
        'foo\n',
        {'requirements.txt': 'foo>=1\n', 'pyproject.toml': pyproject},
        '--select',
        'build-backend',
    )
    rows = [(r['Severity'], r['Message']) for r in result.json()]
    assert rows == ([] if severity is None else [(severity, message)])
    assert result.code == (1 if severity == 'error' else 0)


EXTRAS_TOML = (
    '[project]\nname = "p"\n[project.optional-dependencies]\n'
    '1 = [\n  "foo",\n]\n2 = [\n  "foo", # fred\n  "bar",\n]\n' + BUILD
)
EXTRAS_CFG = '[extras]\n1 =\n  foo\n2 =\n  foo # fred\n  bar\n'
GROUPS_TOML = (
    '[project]\nname = "testproject"\ndynamic = ["version"]\n'
    '[dependency-groups]\ntest = ["pytest", "coverage"]\n'
    'docs = ["sphinx", "sphinx-rtd-theme"]\ntyping = ["mypy", "types-requests"]\n'
    'typing-test = [\n    {include-group = "typing"},\n'
    '    {include-group = "test"},\n    "useful-types"\n]\n'
    'dev = [\n    {include-group = "typing-test"},\n'
    '    {include-group = "docs"},\n]\n' + BUILD
)


@pytest.mark.parametrize(
    'files, expected',
    [
        # TestProjectExtras and TestProjectDependencyGroups: what is read
        P(
            {'pyproject.toml': EXTRAS_TOML},
            {
                'pyproject.toml [project.optional-dependencies] 1': ['foo'],
                'pyproject.toml [project.optional-dependencies] 2': ['foo', 'bar'],
            },
            id='extras_pyproject_toml',
        ),
        P(
            {'pyproject.toml': '[project]\nname = "p"\n' + BUILD},
            {},
            id='extras_pyproject_toml__no_extras',
        ),
        P(
            {'setup.cfg': EXTRAS_CFG},
            {'setup.cfg [extras] 1': ['foo'], 'setup.cfg [extras] 2': ['foo', 'bar']},
            id='extras_setup_cfg',
        ),
        P({'setup.cfg': '[metadata]\nname = foo\n'}, {}, id='extras_setup_cfg__no_extras'),
        P({}, {}, id='no_setup_cfg'),
        P(
            {'pyproject.toml': GROUPS_TOML},
            {
                'pyproject.toml [dependency-groups] test': ['pytest', 'coverage'],
                'pyproject.toml [dependency-groups] docs': ['sphinx', 'sphinx-rtd-theme'],
                'pyproject.toml [dependency-groups] typing': ['mypy', 'types-requests'],
                'pyproject.toml [dependency-groups] typing-test': ['useful-types'],
            },
            id='dependency_groups_pyproject_toml',
        ),
        P(
            {'pyproject.toml': '[project]\nname = "testproject"\ndynamic = ["version"]\n' + BUILD},
            {},
            id='pyproject_toml__no_dependency_groups',
        ),
    ],
)
def test_project_extras_and_groups(
    run_app: Run, tmp_path: Path, files: dict[str, str], expected: dict[str, list[str]]
) -> None:
    # Improvement: an included group's lines are checked where they are
    # written (the reference copies them into every including group).
    # A requirements.txt holding a global package stands beside them: ours
    # refuses a project with no dependency file at all
    files = {'requirements.txt': 'other>=1\n', **files}
    result = check(run_app, tmp_path, 'other\n', files, '--select', 'in-global')
    assert packages_by_source(result) == expected


@pytest.mark.parametrize(
    'branch, errors',
    [
        P('master', ['build-backend'], id='no_pyproject_toml_master'),
        P('stable/2025.1', [], id='no_pyproject_toml'),
    ],
)
def test_no_pyproject_toml(run_app: Run, tmp_path: Path, branch: str, errors: list[str]) -> None:
    # test_no_pyproject_toml (extras, groups): none read, nothing fails;
    # on master the job wants one ("Invalid or missing pyproject.toml")
    result = check(
        run_app,
        tmp_path,
        'foo\n',
        {'requirements.txt': 'foo>=1\n', 'pyproject.toml': None},
        '--branch',
        branch,
    )
    assert (result.code, fired(result)) == (1 if errors else 0, errors)


# -- check-constraints (test_check_constraints) ------------------------------


def check_constraints(
    run_app: Run,
    tmp_path: Path,
    requirements: str,
    upper: str = 'six===1.10.0\nlxml===3.7.3\npbr===1.8.1\n',
    tests: str = 'pbr>=1.6\n',
) -> list[tuple[str, str, str]]:
    data = tmp_path / 'data'
    write(data / 'global-requirements.txt', 'six\nlxml>=2.3\npbr\n')
    write(data / 'upper-constraints.txt', upper)
    write(data / 'denylist.txt', 'hacking\n')
    root = tmp_path / 'project'
    write(root / 'requirements.txt', requirements)
    write(root / 'test-requirements.txt', tests)
    result = run_app('check-constraints', str(root), '--source', str(data), '-f', 'json')
    assert result.code == (1 if result.json() else 0)
    return [(r['Check'], r['File'], r['Package']) for r in result.json()]


@pytest.mark.parametrize(
    'requirements, upper, tests, expected',
    [
        P('pbr>=1.6\nlxml\nsix\n', None, None, [], id='good_project'),
        P(
            'pbr>=1.6\nlxml\nsix\n',
            'lxml===3.7.3\npbr===1.8.1\n',
            None,
            [('upper-constraint', 'requirements.txt', 'six')],
            id='project_missing_from_uc',
        ),
        P(
            'pbr>=1.6\nlxml\nsix\nSomeRandomModule #Some random module\n',
            None,
            None,
            [('in-global', 'requirements.txt', 'SomeRandomModule')],
            id='project_missing_from_gr',
        ),
        P(
            'pbr>=1.6\nlxml\nsix>1.10.0\nsomerandommodule\n',
            'six===1.10.0\npbr===1.8.1\n',
            'pbr>=1.6\nanotherrandommodule\n',
            [
                ('in-global', 'requirements.txt', 'somerandommodule'),
                ('in-global', 'test-requirements.txt', 'anotherrandommodule'),
                ('upper-constraint', 'requirements.txt', 'lxml'),
                ('upper-constraint', 'requirements.txt', 'six'),
            ],
            id='project_multiple_missing_from_uc_and_gr',
        ),
        P(
            'pbr>=1.6\nlxml\nsix>1.10.0\n',
            None,
            None,
            [('upper-constraint', 'requirements.txt', 'six')],
            id='project_req_bigger_then_uc',
        ),
        P(
            'pbr>=1.6\nlxml\nsix<1.10.0,>1.10.0\n',
            None,
            None,
            [('upper-constraint', 'requirements.txt', 'six')],
            id='project_req_not_include_uc_version',
        ),
    ],
)
def test_check_constraints(
    run_app: Run,
    tmp_path: Path,
    requirements: str,
    upper: str | None,
    tests: str | None,
    expected: list[tuple[str, str, str]],
) -> None:
    options = {k: v for k, v in (('upper', upper), ('tests', tests)) if v}
    assert sorted(check_constraints(run_app, tmp_path, requirements, **options)) == expected
