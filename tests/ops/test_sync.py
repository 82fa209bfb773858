"""Syncing requirement lines with the global list: the policy, line by line."""

from __future__ import annotations

import pytest

from openstack_requirements.ops.sync import (
    ADDED,
    EXCLUDED_MINIMUM,
    REMOVED,
    UNKNOWN,
    GlobalList,
    Policy,
    sync_text,
)

GLOBAL = """\
# a comment of the global list
foo>=1.0,!=1.5,<3  # MIT
bar!=2.1,<3
Routes>=2.0
oslo.db>1.4.1  # Apache-2.0
mox>=0.5.3
two>1;python_version=='2.7'
two<2;python_version>='3.0'  # BSD
linter>=1.0
"""
EXCLUDED = 'linter\n'
GLOBAL_LIST = GlobalList.from_texts(GLOBAL, EXCLUDED, excluded_path='denylist.txt')

MERGE, EXACT = Policy.MERGE, Policy.EXACT


@pytest.mark.parametrize(
    'policy, project, expected',
    [
        # a higher project minimum is kept; the exclusion below it excludes
        # nothing and is left out
        (MERGE, 'foo>=2.0\n', 'foo>=2.0,<3  # MIT\n'),
        # a lower project minimum is raised to the global one
        (MERGE, 'foo>=0.5\n', 'foo>=1.0,!=1.5,<3  # MIT\n'),
        # the global line has no minimum (the 2018+ list): keep the project's
        (MERGE, 'bar>=2.0\n', 'bar>=2.0,!=2.1,<3\n'),
        # the project has none: take the global one, or none at all
        (MERGE, 'foo\n', 'foo>=1.0,!=1.5,<3  # MIT\n'),
        (MERGE, 'bar\n', 'bar!=2.1,<3\n'),
        # the project's own exclusions and caps give way to the global ones
        (MERGE, 'bar>=1,!=1.7,<2.5\n', 'bar>=1,!=2.1,<3\n'),
        # a pin states a minimum
        (MERGE, 'mox==0.6\n', 'mox>=0.6\n'),
        # a strict bound beats an inclusive one of the same version
        (MERGE, 'oslo.db>=1.4.1\n', 'oslo.db>1.4.1  # Apache-2.0\n'),
        # --exact: the global specifiers replace the project's
        (EXACT, 'foo>=2.0\n', 'foo>=1.0,!=1.5,<3  # MIT\n'),
        (EXACT, 'mox==0.5.3\n', 'mox>=0.5.3\n'),
        (EXACT, 'bar>=2.0\n', 'bar!=2.1,<3\n'),
    ],
)
def test_policy(policy: Policy, project: str, expected: str) -> None:
    new, rows, problems = sync_text(project, GLOBAL_LIST, policy)
    assert (new, problems) == (expected, [])
    assert [(r.old, r.new) for r in rows] == [(project.rstrip('\n'), expected.rstrip('\n'))]


@pytest.mark.parametrize('policy', [MERGE, EXACT])
@pytest.mark.parametrize(
    'project',
    [
        'foo>=1.0,!=1.5,<3\n',
        'foo<3,!=1.5,>=1.0 # another licence\n',
        'two>1 ; python_version == "2.7"\ntwo<2;python_version>="3.0"\n',
        'Routes>=2.0\n',
    ],
)
def test_in_sync_lines_are_untouched(policy: Policy, project: str) -> None:
    assert sync_text(project, GLOBAL_LIST, policy) == (project, [], [])


def test_merge_leaves_a_higher_minimum_with_vacuous_exclusions() -> None:
    project = 'foo!=1.5,>=2.0,<3\n'
    assert sync_text(project, GLOBAL_LIST, MERGE) == (project, [], [])


def test_extras_and_comment_are_the_projects_spelling_the_global_list_s() -> None:
    # oslo.db[...] and oslo_db are two entries: each is synced, none
    # dropped; a name is respelt as the global list spells it (the job
    # compares names as written)
    project = 'oslo.db[mysql,fixture]>1.3  # mine\nroutes>=1.0\noslo_db\n'
    new, rows, _ = sync_text(project, GLOBAL_LIST, EXACT)
    assert new == (
        'oslo.db[mysql,fixture]>1.4.1  # mine\nRoutes>=2.0\noslo.db>1.4.1  # Apache-2.0\n'
    )
    assert [(r.package, r.reason) for r in rows] == [
        ('oslo.db', 'specifiers'),
        ('Routes', 'specifiers, spelling'),
        ('oslo.db', 'specifiers, spelling'),
    ]
    again, rows, _ = sync_text(new, GLOBAL_LIST, EXACT)
    assert (again, rows) == (new, [])


def test_a_name_spelt_otherwise_is_respelt_only() -> None:
    """In policy but spelt otherwise: only the name changes, and the
    check of the job's spelling rule passes the result."""
    project = 'routes>=2.0  # mine\n'
    new, rows, _ = sync_text(project, GLOBAL_LIST, MERGE)
    assert new == 'Routes>=2.0  # mine\n'
    assert [(r.package, r.reason, r.line) for r in rows] == [('Routes', 'spelling', 1)]


def test_marker_variants_go_where_the_first_line_stood() -> None:
    project = '# head\nfoo>=1.0,!=1.5,<3\ntwo\n\n# tail\n'
    new, rows, _ = sync_text(project, GLOBAL_LIST, MERGE)
    assert new == (
        '# head\nfoo>=1.0,!=1.5,<3\n'
        "two>1;python_version=='2.7'\n"
        "two<2;python_version>='3.0'  # BSD\n"
        '\n# tail\n'
    )
    assert [(r.old, r.reason) for r in rows] == [('two', 'specifiers, markers'), ('', ADDED)]
    assert sync_text(new, GLOBAL_LIST, MERGE) == (new, [], [])


def test_variants_separated_by_a_comment_stay_when_in_sync() -> None:
    project = "two>1;python_version=='2.7'\n# between\ntwo<2;python_version>='3.0'\n"
    assert sync_text(project, GLOBAL_LIST, MERGE) == (project, [], [])


def test_out_of_sync_variants_are_gathered_in_global_order() -> None:
    project = "two<1;python_version>='3.0'\n# between\ntwo>0;python_version=='2.7'\n"
    new, rows, _ = sync_text(project, GLOBAL_LIST, EXACT)
    assert new == ("two>1;python_version=='2.7'\ntwo<2;python_version>='3.0'  # BSD\n# between\n")
    assert {r.reason for r in rows} == {'specifiers'}


def test_each_row_names_its_project_line() -> None:
    """A changed line's row (and its advice row), a variant removed, an
    unknown package: their own line; a variant added: the line it was
    made from."""
    project = (
        "# top\nfoo>=1.0;python_version<'3'\nfoo>=1.2;python_version>='3'\n"
        '\nunknown>=1\nmox>=0.1\ntwo<1\nbar>=2.1\n'
    )
    _, rows, _ = sync_text(project, GLOBAL_LIST, MERGE)
    assert [(r.package, r.reason, r.line) for r in rows] == [
        ('unknown', UNKNOWN, 5),  # found before any entry is synced
        ('foo', 'specifiers, markers', 2),
        ('foo', REMOVED, 3),
        ('mox', 'specifiers', 6),
        ('two', 'specifiers, markers', 7),
        ('two', ADDED, 7),
        ('bar', 'specifiers', 8),
        ('bar', EXCLUDED_MINIMUM, 8),
    ]
    assert [r.as_tuple() for r in rows][1] == (
        'requirements.txt',
        'foo',
        "foo>=1.0;python_version<'3'",
        'foo>=1.0,!=1.5,<3  # MIT',
        'specifiers, markers',
    )


def test_more_project_variants_than_global_lines() -> None:
    project = "foo>=1.0;python_version<'3'\nfoo>=1.2;python_version>='3'\n"
    new, rows, _ = sync_text(project, GLOBAL_LIST, MERGE)
    assert new == 'foo>=1.0,!=1.5,<3  # MIT\n'
    assert [r.reason for r in rows] == ['specifiers, markers', REMOVED]


def test_a_group_at_the_end_of_a_file_without_newline() -> None:
    new, _, _ = sync_text('x\ntwo', GLOBAL_LIST, EXACT, soft=True)
    assert new == ("x\ntwo>1;python_version=='2.7'\ntwo<2;python_version>='3.0'  # BSD")


def test_everything_else_passes_through() -> None:
    project = (
        '-r other.txt\n'
        '--index-url https://example.org/simple\n'
        '-e git+https://opendev.org/x/foo#egg=foo\n'
        'foo @ https://example.org/foo.tar.gz\n'
        'linter<0.1  # excluded\n'
        'unknown>=1\n'
        '\n'
        '   # indented comment\r\n'
    )
    assert sync_text(project, GLOBAL_LIST, MERGE, soft=True) == (project, [], [])


def test_unknown_packages_are_problems_in_hard_mode() -> None:
    new, rows, problems = sync_text('foo\n  Unknown>=1\n', GLOBAL_LIST, MERGE, path='req.txt')
    assert [str(p) for p in problems] == [
        "req.txt:2:3: 'Unknown' is not in global-requirements.txt or denylist.txt"
    ]
    assert [(r.package, r.reason) for r in rows][0] == ('Unknown', UNKNOWN)


def test_crlf_lines_keep_their_ending() -> None:
    new, _, _ = sync_text('# x\r\nfoo>=0.5\r\nbar\r\n', GLOBAL_LIST, MERGE)
    assert new == '# x\r\nfoo>=1.0,!=1.5,<3  # MIT\r\nbar!=2.1,<3\r\n'


@pytest.mark.parametrize('soft', [False, True])
def test_a_global_line_that_does_not_parse_is_a_problem(soft: bool) -> None:
    broken = GlobalList.from_texts(
        'foo>=1.0\nbar>=1.0\nbar>=;python_version>"3"\nbaz>=\n', global_path='g.txt'
    )
    new, rows, problems = sync_text(
        'foo\nbar>=0.5\nbaz\n', broken, MERGE, soft=soft, path='req.txt'
    )
    # bar's other variant would be half the story: neither is synced
    assert [str(p) for p in problems] == [
        "g.txt:3:6: expected a version after '>='",
        "g.txt:4:6: expected a version after '>='",
    ]
    assert new == 'foo>=1.0\nbar>=0.5\nbaz\n'
    # a broken line for a package the project does not use is not its
    # business (validate-constraints reads the whole list)
    assert sync_text('foo\n', broken, MERGE, path='req.txt')[2] == []


# -- the repros of issue 13: the merge policy --------------------------------

POLICY_GLOBAL = GlobalList.from_texts("""\
python-ldap==2.3.13  # PSF
compat~=1.4  # MIT
arrow===1.0
pinned==2.0
pecan!=1.4.0  # BSD
oslo.service!=4.5.0,<6  # Apache-2.0
capped<2
sphinx!=2.1.0  # BSD
""")


@pytest.mark.parametrize(
    'line',
    [
        'python-ldap==2.3.13\n',
        'compat~=1.4\n',
        'arrow===1.0  # MIT\n',
        'pinned==2.0 # mine\n',
        # the project's minimum beside the global exclusion of it (1.4.0's
        # post-releases admitted), or a strict one (none): its own decision
        'pecan>=1.4.0,!=1.4.0\n',
        'pecan>1.4.0  # BSD\n',
    ],
)
def test_a_line_as_the_global_list_states_it_is_untouched(line: str) -> None:
    assert sync_text(line, POLICY_GLOBAL, MERGE) == (line, [], [])


@pytest.mark.parametrize(
    'project, expected',
    [
        # a pin, ~= or === of the global list is taken as it stands
        ('pinned==1.0\n', 'pinned==2.0\n'),
        ('pinned>=1.0 # mine\n', 'pinned==2.0 # mine\n'),
        ('compat>=1.0\n', 'compat~=1.4  # MIT\n'),
        ('arrow>=2\n', 'arrow===1.0\n'),
    ],
)
def test_as_stated_global_entries_are_idempotent(project: str, expected: str) -> None:
    new, rows, _ = sync_text(project, POLICY_GLOBAL, MERGE)
    assert new == expected
    assert sync_text(new, POLICY_GLOBAL, MERGE) == (new, [], [])


@pytest.mark.parametrize(
    'project, expected, old, bound',
    [
        # the project's operator is kept, the exclusion added as on any line
        ('pecan>=1.4.0 # BSD\n', 'pecan>=1.4.0,!=1.4.0 # BSD\n', '>=1.4.0', '>=1.4.0'),
        (
            'oslo.service>=4.5.0\n',
            'oslo.service>=4.5.0,!=4.5.0,<6  # Apache-2.0\n',
            '>=4.5.0',
            '>=4.5.0',
        ),
        # a minimum above a global cap: the cap wins, the minimum goes
        ('capped>=3.0\n', 'capped<2\n', '>=3.0', ''),
    ],
)
def test_an_excluded_minimum_is_a_row_of_its_own(
    project: str, expected: str, old: str, bound: str
) -> None:
    new, rows, _ = sync_text(project, POLICY_GLOBAL, MERGE)
    assert new == expected
    assert [(r.old, r.new, r.reason) for r in rows] == [
        (project.rstrip('\n'), expected.rstrip('\n'), 'specifiers'),
        (old, bound, EXCLUDED_MINIMUM),
    ]
    assert sync_text(new, POLICY_GLOBAL, MERGE) == (new, [], [])


def test_extras_lines_are_entries_of_their_own() -> None:
    project = 'oslo.service>4.5.0,<6\noslo.service[threading]>=4.6.0  # Apache-2.0\n'
    new, rows, _ = sync_text(project, POLICY_GLOBAL, MERGE)
    assert new == ('oslo.service>4.5.0,<6\noslo.service[threading]>=4.6.0,<6  # Apache-2.0\n')
    assert [r.reason for r in rows] == ['specifiers']


@pytest.mark.parametrize(
    'project, expected',
    [
        ('sphinx>=2.0.0 # BSD\n', 'sphinx>=2.0.0,!=2.1.0 # BSD\n'),
        ('sphinx>=2.0.0\t# BSD\n', 'sphinx>=2.0.0,!=2.1.0\t# BSD\n'),
        # only the specifier and the marker change (a marker the checks
        # refuse without a global one goes)
        (
            '  Sphinx >= 2.0.0  ;sys_platform!="win32"   # x\n',
            '  sphinx >=2.0.0,!=2.1.0   # x\n',
        ),  # spelt as the global list
        ('sphinx[a,B] ;sys_platform!="win32"  # x\n', 'sphinx[a,B] !=2.1.0  # x\n'),
        # a Python version marker the checks accept stays, as written
        (
            'sphinx>=2.0 ; python_version>"3"  # x\n',
            'sphinx>=2.0,!=2.1.0 ; python_version>"3"  # x\n',
        ),
    ],
)
def test_a_changed_line_keeps_its_comment_and_the_space_before_it(
    project: str, expected: str
) -> None:
    new, _, _ = sync_text(project, POLICY_GLOBAL, MERGE)
    assert new == expected


@pytest.mark.parametrize(
    'project, global_, pairs, free',
    [
        # one line and one global line: paired, markers alike or not
        (['foo>=1'], ['foo>=2'], [0], []),
        (["foo>=1;python_version<'3.12'"], ['foo>=2'], [0], []),
        (['foo>=1'], ["foo>=2;sys_platform=='win32'"], [0], []),
        # variants: paired by markers, then in order; the rest left free
        (
            ["foo;python_version<'3.12'", 'foo;python_version>="3.12"'],
            ['foo;python_version>="3.12"', "foo;python_version<'3.12'"],
            [1, 0],
            [],
        ),
        (['foo', "foo;sys_platform=='win32'"], ['foo>=2'], [0], [1]),
        (['foo'], ["foo;sys_platform=='win32'", 'foo;sys_platform!="win32"'], [0, None], []),
    ],
)
def test_pair_variants(
    project: list[str], global_: list[str], pairs: list[int | None], free: list[int]
) -> None:
    from openstack_requirements.model import parse_line
    from openstack_requirements.ops.sync import pair_variants

    assert pair_variants([parse_line(t) for t in project], [parse_line(t) for t in global_]) == (
        pairs,
        free,
    )


MARKER_GLOBAL = GlobalList.from_texts("""\
requests>=2.32.0  # Apache-2.0
importlib-metadata>=4.0  # Apache-2.0
zvm;sys_platform!='win32'  # Apache-2.0
""")


@pytest.mark.parametrize(
    'project, expected',
    [
        # the project's Python version marker stays (the checks accept it)
        (
            'requests>=2.25.0;python_version>="3.12"\n',
            'requests>=2.32.0;python_version>="3.12"  # Apache-2.0\n',
        ),
        (
            "importlib_metadata>=1.7.0;python_version<'3.8'  # mine\n",
            "importlib-metadata>=4.0;python_version<'3.8'  # mine\n",
        ),
        # a marker the checks refuse without a global one goes
        ("requests>=2.33;sys_platform=='win32'\n", 'requests>=2.33  # Apache-2.0\n'),
        # the global line's marker wins over the project's
        ("zvm;python_version>='3.10'\n", "zvm;sys_platform!='win32'  # Apache-2.0\n"),
        # two variants against one unmarked global line: one unconditional line
        (
            "requests;python_version<'3.12'\nrequests>=2.33;python_version>='3.12'\n",
            'requests>=2.32.0  # Apache-2.0\n',
        ),
    ],
)
def test_a_project_marker_without_a_global_one(project: str, expected: str) -> None:
    for policy in (MERGE, EXACT):
        new, _, problems = sync_text(project, MARKER_GLOBAL, policy)
        if policy is EXACT:
            expected = expected.replace('>=2.33', '>=2.32.0')
        assert (new, problems) == (expected, [])
        assert sync_text(new, MARKER_GLOBAL, policy) == (new, [], [])


def test_a_kept_marker_in_policy_is_untouched() -> None:
    line = 'requests>=2.32.0;python_version>="3.12"\n'
    assert sync_text(line, MARKER_GLOBAL, MERGE) == (line, [], [])


def test_each_row_names_its_line() -> None:
    """A row is about the line rewritten, removed or unknown; an added
    marker variant is placed at the first line of its entry."""
    global_list = GlobalList.from_texts(
        'pecan!=1.4.0  # BSD\n'
        "oslo.service;python_version<'3.12'  # Apache-2.0\n"
        "oslo.service!=4.5.0;python_version>='3.12'  # Apache-2.0\n"
        'kombu  # BSD\n'
    )
    text = (
        '# comment\n'
        'pecan>=1.4.0  # BSD\n'
        '\n'
        'oslo.service>=1.24.0  # Apache-2.0\n'
        "kombu>=5.0;sys_platform=='linux'\n"
        "kombu>=5.0;sys_platform=='win32'\n"
        'unknown>=1.0\n'
    )
    _, rows, _ = sync_text(text, global_list, soft=False)
    assert [(r.line, r.package, r.reason) for r in rows] == [
        (7, 'unknown', UNKNOWN),
        (2, 'pecan', 'specifiers'),
        (2, 'pecan', EXCLUDED_MINIMUM),
        (4, 'oslo.service', 'markers'),
        (4, 'oslo.service', ADDED),
        (5, 'kombu', 'markers'),
        (6, 'kombu', REMOVED),
    ]
