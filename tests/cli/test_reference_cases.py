"""The reference's own test cases (openstack/requirements, 2015/2023/HEAD)
for parsing, validate, edit and update, ported as black-box runs of our
commands. Each case agrees with the reference, or says why ours differs
on purpose ("improvement: ..."). The cases of its check logic (the
requirements-check job, check-constraints) are in
test_reference_check_cases.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from openstack_requirements.ops import sync
from tests.conftest import AppResult

Run = Callable[..., AppResult]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


# -- parsing and rendering (test_requirement), through normalize ------------


@pytest.mark.parametrize(
    'line, expected',
    [
        ('swift', 'swift'),
        ('alembic>=0.4.1', 'alembic>=0.4.1'),
        # the reference's normalizer sorts specifiers by weight, as ours does
        ('alembic>=0.4.1,!=1.1.8', 'alembic>=0.4.1,!=1.1.8'),
        ('# foo', '# foo'),
        ('Pint>=0.5  # BSD', 'Pint>=0.5  # BSD'),
        # a ';' inside a comment is no marker separator
        ('Pint>=0.5  # BSD;fred', 'Pint>=0.5  # BSD;fred'),
        ('Babel>=1.3', 'Babel>=1.3'),
        ("pywin32;sys_platform=='win32'", "pywin32;sys_platform=='win32'"),
        ('oslo.db[fixtures,mysql]', 'oslo.db[fixtures,mysql]'),
        # improvement: the reference raises (a traceback) on URL and option
        # lines; ours passes them through untouched, as pip reads them
        ('-e git+https://foo.com#egg=foo', '-e git+https://foo.com#egg=foo'),
        ('-f http://tarballs.openstack.org/', '-f http://tarballs.openstack.org/'),
        # a URL in the comment is only comment
        (
            'file:///path/to/thing#egg=thing # http://altpath#egg=boo',
            'file:///path/to/thing#egg=thing  # http://altpath#egg=boo',
        ),
    ],
)
def test_parse_and_render(run_app: Run, tmp_path: Path, line: str, expected: str) -> None:
    path = write(tmp_path / 'r.txt', line + '\n')
    result = run_app('normalize-requirements', str(path))
    assert (result.code, result.stdout) == (0, expected + '\n')


def test_a_hash_without_a_blank_before_it_is_no_comment(run_app: Run, tmp_path: Path) -> None:
    # improvement: the reference takes "# Sadface" for a comment; pip
    # (whose reading ours follows) does not, and refuses the marker
    path = write(tmp_path / 'r.txt', "Sphinx<=1.2; python_version=='2.7'# Sadface\n")
    result = run_app('normalize-requirements', str(path))
    assert result.code == 1
    assert result.stderr.startswith(
        f'{path}:1:35: invalid marker: expected end of marker expression'
    )
    path.write_text("Sphinx<=1.2; python_version=='2.7' # Sadface\n")
    assert run_app('normalize-requirements', str(path)).stdout == (
        "Sphinx<=1.2;python_version=='2.7'  # Sadface\n"
    )


# -- validate-constraints (test_constraints, bounds policy) -----------------


def validate(
    run_app: Run, tmp_path: Path, global_: str, upper: str, denylist: str = 'flake8\nhacking\n'
) -> list[tuple[str, str]]:
    data = tmp_path / 'data'
    write(data / 'global-requirements.txt', global_)
    write(data / 'upper-constraints.txt', upper)
    write(data / 'denylist.txt', denylist)
    result = run_app(
        'validate-constraints',
        '--source',
        str(data),
        '--select',
        'constraint-format,constraint-matches-global,coverage,no-global-lower-bounds',
        '-f',
        'json',
    )
    return [(r['Check'], r['Package']) for r in result.json()]


@pytest.mark.parametrize(
    'global_, upper, expected',
    [
        ('bar\n', 'foo===1.2.5\nbar===1.0\n', []),
        ('foo>=1.2\n', 'foo===1.2.5\n', [('no-global-lower-bounds', 'foo')]),
        (
            'oslo.concurrency>=2.3.0\n',
            'oslo.concurrency===2.2.0\n',
            [
                ('constraint-matches-global', 'oslo.concurrency'),
                ('no-global-lower-bounds', 'oslo.concurrency'),
            ],
        ),
        (
            'foo>=1.2,<2.0\n',
            'foo===2.0.1\n',
            [('constraint-matches-global', 'foo'), ('no-global-lower-bounds', 'foo')],
        ),
        ('foo\n', 'foo==1.2.5\n', [('constraint-format', 'foo')]),
        # bounds policy: one finding per package whose line has a >=
        ('cffi!=1.1.2\nother\n', 'cffi===1.0\nother===1.0\n', []),
        (
            'cffi>=1.1.1,!=1.1.0\nother>=1,>=2,!=1.1.0\n',
            'cffi===1.2\nother===2.1\n',
            [('no-global-lower-bounds', 'cffi'), ('no-global-lower-bounds', 'other')],
        ),
    ],
)
def test_validate(
    run_app: Run, tmp_path: Path, global_: str, upper: str, expected: list[tuple[str, str]]
) -> None:
    assert sorted(validate(run_app, tmp_path, global_, upper)) == expected


@pytest.mark.parametrize(
    'upper, denylist, expected',
    [
        ('foo===1.0\nbar===2.1\n', 'flake8\nhacking\n', []),
        ('foo===1.0\n', 'flake8\nhacking\nbar\n', []),
        ('foo===1.0\nbar===2.1\n', 'bar\n', [('coverage', 'bar')]),
        ('foo===1.0\n', 'flake8\n', [('coverage', 'bar')]),
    ],
)
def test_coverage(
    run_app: Run, tmp_path: Path, upper: str, denylist: str, expected: list[tuple[str, str]]
) -> None:
    assert validate(run_app, tmp_path, 'foo\nbar\n', upper, denylist) == expected


# -- edit-constraints (test_edit_constraint) --------------------------------


@pytest.mark.parametrize(
    'text, name, replacement, expected',
    [
        # improvement: the reference puts the replacement at the top of the
        # file (its help says at the end); ours replaces the line in place
        (
            'bar===1\nfoo===1.0.2\nquux==3\n',
            'foo',
            '-e /path/to/foo',
            'bar===1\n-e /path/to/foo\nquux==3\n',
        ),
        (
            'file:///path/to/foo#egg=foo\n-e file:///path/to/bar#egg=bar\n',
            'foo',
            '-e file:///path/to/foo#egg=foo',
            '-e file:///path/to/foo#egg=foo\n-e file:///path/to/bar#egg=bar\n',
        ),
        (
            'foo-baz===1.0.2\n',
            'foo_baz',
            '-e file:///path#egg=foo_baz',
            '-e file:///path#egg=foo_baz\n',
        ),
        (
            "foo==1.2;python_version=='2.7'\nfoo==1.3;python_version=='3.4'\n",
            'foo',
            'foo==1.3',
            'foo==1.3\n',
        ),
        ('foo==1.2\n', 'foo', '', ''),
        ('bar===1\n', 'foo', 'foo==1.2', 'bar===1\nfoo==1.2\n'),
    ],
)
def test_edit(
    run_app: Run, tmp_path: Path, text: str, name: str, replacement: str, expected: str
) -> None:
    path = write(tmp_path / 'uc.txt', text)
    result = run_app('edit-constraints', str(path), name, '--', replacement)
    assert result.code == 0, result
    assert path.read_text() == expected


# -- update-requirements (test_update) --------------------------------------

MARKERS_GLOBAL = "foo<2;python_version=='2.7'\nfoo>1;python_version!='2.7'\n"


def update(
    run_app: Run, tmp_path: Path, global_: str, project: str, *options: str, denylist: str = ''
) -> tuple[AppResult, str]:
    data = tmp_path / 'data'
    write(data / 'global-requirements.txt', global_)
    write(data / 'denylist.txt', denylist)
    root = tmp_path / 'project'
    path = write(root / 'requirements.txt', project)
    result = run_app(
        'update-requirements', '--source', str(data), *options, str(root), '-f', 'json'
    )
    return result, path.read_text()


@pytest.mark.parametrize('options', [(), ('--exact',)])
@pytest.mark.parametrize(
    'global_, project, expected',
    [
        # both global marker lines for a bare project line
        (MARKERS_GLOBAL, 'foo\n', MARKERS_GLOBAL),
        # improvement: lines already in sync stay where they are (the
        # reference moves the comment between them below the group)
        (
            MARKERS_GLOBAL,
            "foo<2;python_version=='2.7'\n# mine\nfoo>1;python_version!='2.7'\n",
            "foo<2;python_version=='2.7'\n# mine\nfoo>1;python_version!='2.7'\n",
        ),
        (MARKERS_GLOBAL, MARKERS_GLOBAL, MARKERS_GLOBAL),
        # a project variant the global list lacks is removed
        ('foo>1\n', "foo<2;python_version=='2.7'\nfoo>1;python_version!='2.7'\n", 'foo>1\n'),
        # an editable line is kept
        (
            'foo>1\n',
            'foo>0\n-e https://opendev.org/openstack/neutron.git#egg=neutron\n',
            'foo>1\n-e https://opendev.org/openstack/neutron.git#egg=neutron\n',
        ),
        # the project's extras are kept
        ('oslo.db>1.4.1\n', 'oslo.db[fixture,mysql]>1.3\n', 'oslo.db[fixture,mysql]>1.4.1\n'),
        # a pin becomes the global minimum; a cap the global list lacks goes
        (
            'mox>=0.5.3\npython-swiftclient>=1.2\n',
            'mox==0.5.3\npython-swiftclient>=1.2,<2\n',
            'mox>=0.5.3\npython-swiftclient>=1.2\n',
        ),
        # improvement: the project's comment stays (the reference puts the
        # global one instead); a line without one takes the global's; the
        # name is spelt as the global list spells it, as the reference does
        (
            'Routes>=2.0  # MIT\nbar>=1.0  # BSD\n',
            'routes>=1.0\nbar>=0.5  # Apache-2.0 really\n',
            'Routes>=2.0  # MIT\nbar>=1.0  # Apache-2.0 really\n',
        ),
    ],
)
def test_update(
    run_app: Run,
    tmp_path: Path,
    global_: str,
    project: str,
    expected: str,
    options: tuple[str, ...],
) -> None:
    result, text = update(run_app, tmp_path, global_, project, *options)
    assert result.code == 0, result
    assert text == expected


def test_update_unknown_packages(run_app: Run, tmp_path: Path) -> None:
    result, text = update(run_app, tmp_path, 'foo>1\n', 'foo\nthisisnotarealdependency\n')
    assert result.code == 1
    assert [r['Package'] for r in result.json() if r['Reason'] == sync.UNKNOWN] == [
        'thisisnotarealdependency'
    ]
    assert text == 'foo\nthisisnotarealdependency\n'  # nothing written
    # in the excluded list: no error
    result, _ = update(
        run_app,
        tmp_path,
        'foo>1\n',
        'foo\nthisisnotarealdependency\n',
        denylist='thisisnotarealdependency\n',
    )
    assert result.code == 0
    # soft: kept
    result, text = update(
        run_app, tmp_path, 'foo>1\n', 'foo\nthisisnotarealdependency\n', '--soft-update'
    )
    assert (result.code, text) == (0, 'foo>1\nthisisnotarealdependency\n')


def test_update_not_a_directory(run_app: Run, tmp_path: Path) -> None:
    write(tmp_path / 'data' / 'global-requirements.txt', 'foo\n')
    path = write(tmp_path / 'file', 'x\n')
    result = run_app('update-requirements', '--source', str(tmp_path / 'data'), str(path))
    assert result.code == 1
    assert result.stderr.startswith(f'{path}: not a directory')
