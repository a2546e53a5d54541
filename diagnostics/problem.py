"""One problem a user can act on, and how it reads on the console and in Dagster.

A problem names where it is (a landing file, or a relation for what only shows after dbt), the
line and column when known, up to five offending values with their lines, the rule they broke and
what to do. The console and the asset checks print the same text, so one fix reads the same in both.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

MAX_EXAMPLES = 5
MAX_VALUE_CHARS = 80


class Example(NamedTuple):
    value: str | None  # None: the value is missing
    line: int | None = None
    file: str | None = None  # set when the problem's place is a relation, not the file itself


@dataclass(frozen=True)
class Problem:
    where: str  # landing-relative file, or the relation or dbt model it was found in
    rule: str
    todo: str
    line: int | None = None
    column: str | None = None
    examples: tuple[Example, ...] = ()
    blocking: bool = True  # False: the refresh went on without these rows or this file
    found_by: str = ""  # the stage or check that found it

    def heading(self) -> str:
        place = ", ".join(filter(None, [self.where, self.line and f"line {self.line}",
                                        self.column and f"column {self.column}"]))
        return f"{place}: {self.rule}"

    def text(self) -> list[str]:
        """The heading, the offending values with their lines, what to do."""
        lines = [self.heading()]
        if self.examples:
            lines.append("values: " + ", ".join(_example(e) for e in self.examples[:MAX_EXAMPLES]))
        lines.append(f"what to do: {self.todo}")
        if self.found_by:
            lines.append(f"found by: {self.found_by}")
        return lines


def _example(example: Example) -> str:
    if example.value is None:
        shown = "(empty)"
    else:
        value = str(example.value)
        shown = repr(value if len(value) <= MAX_VALUE_CHARS else value[:MAX_VALUE_CHARS] + "…")
    place = ", ".join(filter(None, [example.file, example.line is not None and f"line {example.line}"]))
    return f"{shown} ({place})" if place else shown


def format_problems(problems: Iterable[Problem]) -> list[str]:
    """Numbered, errors first, then by place; each problem's later lines indented under its number."""
    ordered = sorted(problems, key=lambda p: (not p.blocking, p.where, p.line or 0))
    lines = []
    for number, problem in enumerate(ordered, 1):
        first, *rest = problem.text()
        label = "error" if problem.blocking else "warning"
        lines.append(f"{number}. [{label}] {first}")
        lines += [f"   {line}" for line in rest]
    return lines


def problems_markdown(problems: Iterable[Problem]) -> str:
    """The same list for an asset check's metadata (Dagster renders it as Markdown)."""
    lines = format_problems(problems)
    return "```\n" + "\n".join(lines) + "\n```" if lines else "none"
