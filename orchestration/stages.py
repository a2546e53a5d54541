"""One console line per stage of a refresh, from the run's Dagster events.

A Dagster logger receives every event of the run as it happens; this one tallies them per stage
(ingestion per source, dbt build, validation, publishing, report). The run's execution plan says
which steps each stage has, so a stage's line comes when its last step has ended, whatever order
the executor picks (dbt's seeds, which read no raw table, may run before ingestion). A stage
whose steps never ran, because a blocking check upstream failed, says so at the end of the run.
At the end, one machine-readable line with each stage's seconds (its steps' wall time summed)
goes to stdout, which the headless refresh diverts into its log file: the benchmark reads it.
"""
from __future__ import annotations

import json
import logging
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import dagster as dg

from ingestion.contract import load_contracts
from orchestration.console import TIMINGS
from orchestration.late_data import METADATA_KEY as SAID_AS_IS  # observation metadata said as a line of its own

# Step key prefix -> stage, in the order the stages run.
STAGES = {"raw__": "ingestion", "dbt_": "dbt build", "warehouse_expectations": "validation",
          "serving__": "publishing", "report__": "report"}
ENDED = (dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE, dg.DagsterEventType.STEP_SKIPPED)
SUMMED = ("new_files", "rows_loaded", "rows_quarantined")  # ingestion materialization metadata


def stage_of(step_key: str) -> str:
    return next((stage for prefix, stage in STAGES.items() if step_key.startswith(prefix)), step_key)


@dataclass
class Tally:
    assets: set[dg.AssetKey] = field(default_factory=set)  # materialized (daily models: once per day)
    checks_passed: int = 0
    checks_failed: int = 0
    checks_warned: int = 0  # failed with severity WARN: blocked nothing
    steps_run: int = 0
    paths: list[str] = field(default_factory=list)  # files written (the report)
    failed_steps: list[str] = field(default_factory=list)
    numbers: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def outcome(self) -> str:
        parts = []
        if self.checks_passed or self.checks_failed or self.checks_warned:
            warned = f", {self.checks_warned} warned" if self.checks_warned else ""
            parts.append(f"checks {self.checks_passed} passed, {self.checks_failed} failed{warned}")
        if self.failed_steps:
            parts.append("FAILED: " + "; ".join(self.failed_steps))
        return "; ".join(parts)


def _failure(step_key: str, error) -> str:
    if error is not None and error.cls_name == "DagsterAssetCheckFailedError":
        return f"{step_key} (a blocking check failed)"
    message = error.message.strip().splitlines()[0] if error is not None else "failed"
    return f"{step_key} ({message})"


class StageReporter:
    """Tallies a run's events per stage (per source within ingestion); says each stage's line once it ended."""

    def __init__(self, say: Callable[[str], None], instance: dg.DagsterInstance):
        self.say = say
        self.instance = instance
        self.pending: dict[str, set[str]] | None = None  # stage -> steps not ended, from the plan
        self.tallies: dict[tuple[str, str], Tally] = {}  # (stage, source within ingestion) -> tally
        self.published: dict[str, int] = {}  # table -> rows, from the serving copy's materialization
        self.notices: set[str] = set()  # lines said as they came (one per run, not per asset)
        self._sources = {c.entity: c.source for c in load_contracts().values()}
        self.seconds: dict[str, float] = defaultdict(float)  # stage -> its steps' wall time
        self._step_started: dict[str, float] = {}

    def _plan(self, run_id: str) -> dict[str, set[str]]:
        run = self.instance.get_run_by_id(run_id)
        plan = self.instance.get_execution_plan_snapshot(run.execution_plan_snapshot_id)
        pending: dict[str, set[str]] = defaultdict(set)
        for key in plan.step_keys_to_execute:
            pending[stage_of(key)].add(key)
        return pending

    def _tally(self, step_key: str) -> Tally:
        stage = stage_of(step_key)
        part = self._sources.get(step_key.removeprefix("raw__"), "") if stage == "ingestion" else ""
        return self.tallies.setdefault((stage, part), Tally())

    def handle(self, event: dg.DagsterEvent, run_id: str) -> None:
        if self.pending is None:
            self.pending = self._plan(run_id)
        kind, data, step = event.event_type, event.event_specific_data, event.step_key
        if kind == dg.DagsterEventType.ASSET_MATERIALIZATION:
            tally = self._tally(step)
            tally.assets.add(event.asset_key)
            metadata = data.materialization.metadata
            for name in SUMMED:
                if name in metadata:
                    tally.numbers[name] += int(metadata[name].value)
            if "tables" in metadata:
                self.published = dict(metadata["tables"].value)
            if "path" in metadata:
                tally.paths.append(str(metadata["path"].value))
        elif kind == dg.DagsterEventType.ASSET_OBSERVATION:
            notice = data.asset_observation.metadata.get(SAID_AS_IS)
            if notice is not None and notice.value not in self.notices:
                self.notices.add(notice.value)
                self.say(notice.value)
        elif kind == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            tally = self._tally(step)
            warned = not data.passed and data.severity == dg.AssetCheckSeverity.WARN
            tally.checks_passed += data.passed
            tally.checks_failed += not data.passed and not warned
            tally.checks_warned += warned
        elif kind == dg.DagsterEventType.STEP_START:
            self._tally(step).steps_run += 1
            self._step_started[step] = time.monotonic()
        elif kind == dg.DagsterEventType.STEP_FAILURE:
            self._tally(step).failed_steps.append(_failure(step, data.error))
        if kind in ENDED:
            if step in self._step_started:
                self.seconds[stage_of(step)] += time.monotonic() - self._step_started.pop(step)
            steps = self.pending.get(stage_of(step), set())
            steps.discard(step)
            if not steps:
                self._say(stage_of(step))

    def finish(self) -> None:
        """At the end of the run: the lines of stages still open, in stage order."""
        for stage in [*STAGES.values(), *sorted(self.pending or {})]:
            if (self.pending or {}).get(stage) or any(key[0] == stage for key in self.tallies):
                self._say(stage)
        print(TIMINGS + json.dumps({stage: round(s, 3) for stage, s in self.seconds.items()}), flush=True)

    def _say(self, stage: str) -> None:
        if self.pending is not None:
            self.pending.pop(stage, None)
        tallies = {key: self.tallies.pop(key) for key in sorted(k for k in self.tallies if k[0] == stage)}
        if not any(t.steps_run for t in tallies.values()):
            self.say(f"{stage}: not run, a blocking check upstream failed")
            return
        for (_, part), tally in tallies.items():
            self.say(f"{' '.join(filter(None, [stage, part]))}: {self._describe(stage, tally)}")

    def _describe(self, stage: str, tally: Tally) -> str:
        numbers = tally.numbers
        if stage == "ingestion":
            what = (f"{len(tally.assets)} entities, {numbers['new_files']} new file(s), {numbers['rows_loaded']:,} rows loaded, "
                    f"{numbers['rows_quarantined']:,} quarantined")
        elif stage == "dbt build":
            what = f"{len(tally.assets)} models and seeds built"
        elif stage == "validation":
            what = "Great Expectations suites of the staging models and the marts"
        elif stage == "publishing":
            what = f"{len(self.marts())} marts published" if self.published else "nothing published"
        elif tally.paths:
            what = "written to " + ", ".join(tally.paths)
        else:
            what = f"{len(tally.assets)} asset(s) built"
        return "; ".join(filter(None, [what, tally.outcome()]))

    def marts(self) -> list[str]:
        return [table for table in self.published if table.startswith("marts.")]


class _EventHandler(logging.Handler):
    def __init__(self, reporter: StageReporter):
        super().__init__(logging.DEBUG)
        self.reporter = reporter

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", {})
        try:
            if meta.get("dagster_event") is not None:
                self.reporter.handle(meta["dagster_event"], meta["run_id"])
        except Exception:  # as any logging handler: a console line lost must not fail the run
            self.handleError(record)


def stage_logger(reporter: StageReporter) -> dg.LoggerDefinition:
    """A Dagster logger that feeds the run's events to `reporter` (configure it as `stages: {}`)."""

    @dg.logger(description="One console line per stage of the headless refresh.")
    def stages(_init_context) -> logging.Logger:
        logger = logging.Logger("crm_refresh_stages", logging.DEBUG)
        logger.addHandler(_EventHandler(reporter))
        return logger

    return stages
