#!/usr/bin/env python3
"""Zuul's requirements-check job: a project change against the global requirements.

    project-requirements-change.py [--local] [--reqs DIR] SRC_DIR [BRANCH]

SRC_DIR is the project's git checkout at the change; BRANCH (default
master) is the branch it targets; the requirements data is --reqs DIR, or
else this checkout's. Exit 0: the requirements match; 1: they do not.
The rules are the package's (openstack_requirements), run as
check-requirements runs them; this script only finds the package.
"""

import sys
from pathlib import Path

#: The checkout this script lives in (playbooks/files/ under it).
CHECKOUT = Path(__file__).resolve().parents[2]

try:
    from openstack_requirements.cli import requirements_job
except ImportError:  # not installed: run the checkout's own copy
    sys.path.insert(0, str(CHECKOUT))
    from openstack_requirements.cli import requirements_job

if __name__ == '__main__':
    sys.exit(requirements_job.main(default_reqs=CHECKOUT,
                                   prog=Path(sys.argv[0]).name))
