"""Benchmarks, side by side with the reference tools: ``tox -e bench``.

``python tools/bench.py [TOPIC ...]`` runs the named topics (default: all).
Each topic is a module ``tools/bench_TOPIC.py`` with ``main(argv) -> int``
that prints its own table. Figures are measured, never asserted.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOPICS = (
    'parse',
    'update',
    'constraints',
    'checks',
    'impact',
    'distro',
    'index',
    'health',
    'minimums',
)


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(HERE.parent))
    chosen = [a for a in argv if not a.startswith('-')] or list(TOPICS)
    options = [a for a in argv if a.startswith('-')]
    status = 0
    for topic in chosen:
        try:
            module = importlib.import_module(f'tools.bench_{topic}')
        except ModuleNotFoundError as err:
            print(f'== {topic}: not available ({err})')
            continue
        print(f'== {topic}')
        sys.stdout.flush()
        status |= module.main(options)
    return status


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
