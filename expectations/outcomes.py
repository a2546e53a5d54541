"""The merged result of one suite run, small and JSON-friendly.

GX result objects are large and tied to one chunk; these dataclasses hold what an asset check,
a log line and the Data Docs need, summed over all chunks, and round-trip through JSON.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

CRITICAL, WARNING = "critical", "warning"


@dataclass(frozen=True)
class ExpectationOutcome:
    expectation: str
    column: str | None
    success: bool
    unexpected_count: int
    element_count: int
    sample: tuple = ()
    error: str | None = None  # set when GX could not evaluate the expectation (e.g. missing column)
    severity: str = CRITICAL  # GX's severity of the expectation: "warning" ones do not block

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExpectationOutcome:
        return cls(**{**data, "sample": tuple(data.get("sample", ()))})


@dataclass(frozen=True)
class SuiteResult:
    suite_name: str
    success: bool
    evaluated: int
    failed: int
    element_count: int
    outcomes: tuple[ExpectationOutcome, ...] = ()
    run_id: str = ""
    scope: str = ""  # which rows were validated, e.g. one delivery file
    validated_at: str = ""

    @property
    def failures(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success]

    @property
    def blocking(self) -> bool:
        """Failed on an expectation that is more than a warning: what follows must not run."""
        return any(o.severity != WARNING for o in self.failures)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["outcomes"] = [{**asdict(o), "sample": list(o.sample)} for o in self.outcomes]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SuiteResult:
        outcomes = tuple(ExpectationOutcome.from_dict(o) for o in data.get("outcomes", ()))
        return cls(**{**data, "outcomes": outcomes})

    def summary(self) -> str:
        """One line per failed expectation, for logs and check descriptions."""
        if self.success:
            return f"{self.suite_name}: {self.evaluated} expectations passed on {self.element_count} rows"
        lines = [f"{self.suite_name}: {self.failed} of {self.evaluated} expectations failed on {self.element_count} rows"]
        lines += [
            f"- {o.expectation}({o.column}): {o.unexpected_count} of {o.element_count} unexpected, e.g. {list(o.sample)}"
            + (f" [{o.error}]" if o.error else "") + (" (warning)" if o.severity == WARNING else "")
            for o in self.failures
        ]
        return "\n".join(lines)


@dataclass
class Tally:
    """Running sums for one expectation while chunks are validated."""

    expectation: str
    column: str | None
    success: bool = True
    unexpected_count: int = 0
    element_count: int = 0
    sample: list = field(default_factory=list)
    error: str | None = None
    severity: str = CRITICAL

    def freeze(self) -> ExpectationOutcome:
        return ExpectationOutcome(
            self.expectation, self.column, self.success, self.unexpected_count,
            self.element_count, tuple(self.sample), self.error, self.severity,
        )
