"""``requirements.txt`` and every pip requirements file: one source, the
whole file."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from openstack_requirements.model import Line, split_logical
from openstack_requirements.ops.files import read_text
from openstack_requirements.ops.project.sources import (
    LINES,
    DependencyFile,
    Source,
    read_line,
)


class RequirementsTxt(DependencyFile):
    @classmethod
    def read(cls, path: Path, label: str) -> RequirementsTxt:
        return cls.from_text(path, read_text(path), label)

    @classmethod
    def from_text(cls, path: Path, text: str, label: str) -> RequirementsTxt:
        lines = [
            read_line(body, path=str(path), lineno=lineno, newline=newline)
            for lineno, body, newline in split_logical(text)
        ]
        return cls(path, text, [Source(label, path, None, None, lines)])

    @classmethod
    def read_back(cls, path: Path, text: str, label: str) -> dict[str, list[str]]:
        # from_text's lines without building them anew: a text already
        # read (the unchanged lines, and lines shared across projects)
        # reads as it did; any other is parsed
        texts = []
        for lineno, body, newline in split_logical(text):
            if (body, False, lineno == 1) not in LINES:
                read_line(body, path=str(path), lineno=lineno, newline=newline)
            texts.append(body)
        return {label: texts}

    def render(self, new: Mapping[str, list[Line]]) -> str:
        source = self.sources[0]
        lines = new.get(source.label, source.lines)
        return ''.join(line.text + line.newline for line in lines)
