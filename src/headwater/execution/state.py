"""What one run accumulates while its steps execute: events, outputs, failures.

The in-process executor keeps one ``RunState`` for the whole run; out-of-process executors
keep one in the orchestrating process and build one per step in the step's process.

Events reach the instance live. The framework's own events gather and are written as one
batch (one transaction) just before control passes to user code (an op's body, an IO
manager): whatever user code then does (block, crash, be killed), what happened before it
is in the instance. While user code runs, every event that records something (a warning or
error, an asset event) is written at once, with whatever is pending; DEBUG and INFO log
lines are written by a background thread within ``LOG_FLUSH_S``, in batches.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from headwater.events import ErrorInfo, EventType, RunEvent, make_event
from headwater.execution.asset_events import CheckScope
from headwater.execution.partitions import RunPartitions
from headwater.loggers import RunLoggers
from headwater.resources import Resources
from headwater.resources.context import context_view
from headwater.storage import Instance, Run

if TYPE_CHECKING:
    from headwater.asset_key import AssetKey
    from headwater.assets.definition import AssetsDefinition
    from headwater.execution.plan import Step
    from headwater.jobs.job import JobDefinition

__all__ = ["LOG_FLUSH_S", "GroupedResourceEvents", "ResourceEvents", "RunState"]

# How long a DEBUG/INFO line logged by user code may wait to be written with others.
LOG_FLUSH_S = 0.05
_LOG_MESSAGE = EventType.LOG_MESSAGE
_log = logging.getLogger(__name__)
# The scope of a step that can evaluate no check (read only, never added to).
_NO_CHECKS = CheckScope([], [])


# Pending events written at once: large enough to amortize a transaction, small enough
# that a chatty step streams.
_FLUSH_AT = 5000


class RunState:
    """Everything one in-process run accumulates: events, outputs, failures."""

    def __init__(
        self,
        *,
        job: JobDefinition,
        run: Run,
        instance: Instance,
        run_config: Mapping[str, Any],
        processed: Mapping[str, Any],
        job_inputs: Mapping[str, Any],
        partitions: RunPartitions,
    ) -> None:
        self.job = job
        self.run = run
        self.run_id = run.run_id
        self.job_name = job.name
        self.instance = instance
        self.run_config = run_config
        self.processed = processed
        self.job_inputs = job_inputs
        self.partitions = partitions
        self.partition_key = partitions.key
        self.resources = Resources()
        # Appended to without a lock (a list's append, copy and slice deletion are each
        # atomic), so that user code may log from its own threads; flushes take what they
        # write, under ``_write_lock``, so that two batches reach the instance in order.
        self._pending: list[RunEvent] = []
        self._write_lock = threading.Lock()
        # Whether user code is running (see the module docstring).
        self._live = False
        # Whether the run's last event is written (see end()).
        self._ended = False
        # Whether the background thread is due to write the pending log lines.
        self._armed = False
        self.outputs: dict[tuple[str, str], Any] = {}
        self._scopes: dict[str, CheckScope] = {}
        self._op_resources: dict[Any, tuple[Resources, Resources]] = {}
        self._op_resources_of: Resources | None = None
        self.failed: set[str] = set()
        self.skipped: set[str] = set()
        # Skipped steps that recorded no event (downstream of a failure).
        self.untouched: set[str] = set()
        self.first_error: BaseException | None = None
        # (step, output) pairs produced, with or without a value kept in memory.
        self.produced: set[tuple[str, str]] = set()
        # (step, dynamic output) → the mapping keys it yielded, in order.
        self.mapping_keys: dict[tuple[str, str], list[str]] = {}
        # (step, output) → the blocking check that failed on it: its dependents skip.
        self.blocked: dict[tuple[str, str], str] = {}
        self.data_versions: dict[str, str] = {}
        # (step, output) → (IO manager key, its OutputContext) for outputs a manager stored.
        self.io_outputs: dict[tuple[str, str], tuple[str, Any]] = {}
        # (step, output) → its metadata, kept only for steps with hooks (their context).
        self.output_metadata: dict[tuple[str, str], Mapping[str, Any]] = {}
        self.failed_checks: list[str] = []
        self.blocked_steps: dict[str, str] = {}
        # Executor config `retries: {disabled: {}}` turns RetryPolicy and RetryRequested off.
        self.retries_enabled = True
        layer = job.asset_layer
        self._layer = layer
        self.selected_keys: frozenset[Any] = layer.selected_keys if layer else frozenset()
        # The loggers run config `loggers:` selects, built in each process that runs steps.
        self.loggers = RunLoggers.for_run(job, run_config, processed, run.run_id)

    def emit(self, event: RunEvent) -> None:
        if self.loggers is not None:
            self.loggers.handle(event)
        pending = self._pending
        pending.append(event)
        if self._live:
            if event.event_type is not _LOG_MESSAGE or event.level >= logging.WARNING:
                self.flush()
            elif len(pending) >= _FLUSH_AT:
                # User code logging faster than the background writer drains (a Pipes
                # process streaming its logs) writes as it goes: memory stays flat.
                self.flush()
            elif not self._armed:
                self._armed = True
                _FLUSHER.watch(self)
        elif len(pending) >= _FLUSH_AT:
            # A step that logs a lot (a Pipes process streaming its logs) is written as it
            # goes: memory stays flat.
            self.flush()

    def flush(self) -> None:
        """Write pending events to the instance as one batch.

        Raises:
            Exception: the instance failed to write; the events are lost to it (the
                caller reports the failure).
        """
        pending = self._pending
        lock = self._write_lock
        lock.acquire()  # not `with`: this is on every step's path, and its protocol costs
        try:
            if pending and not self._ended:
                batch = pending[:]
                # Only what was copied: a line another thread logs meanwhile stays pending.
                del pending[: len(batch)]
                self.instance.store_events(batch)
        finally:
            lock.release()

    def enter_user_code(self) -> bool:
        """Write what is pending, then write events live until :meth:`leave_user_code`.

        Returns:
            Whether user code was already running (give it back to ``leave_user_code``).
        """
        was_live = self._live
        if not was_live and not self._ended:
            if self._pending:
                self.flush()
            self._live = True
        return was_live

    def leave_user_code(self, was_live: bool) -> None:
        """Back in framework code: events gather again until the next batch."""
        self._live = was_live

    def end(self) -> None:
        """The run's last event is written: what happens afterwards (an IO manager loading
        an output for ``result.output_for_node``) is not written, nor is anything the
        background writer still holds (the instance may be disposed by then)."""
        self._ended = True

    def run_event(
        self,
        event_type: EventType,
        message: str,
        *,
        level: int = logging.DEBUG,
        data: Mapping[str, Any] | None = None,
        error: ErrorInfo | None = None,
        step_key: str | None = None,
    ) -> None:
        """Record an event of this run (of step ``step_key``, if given).

        ``data`` is handed over, not copied: every caller builds a fresh mapping, and the
        step events are on the hot path.
        """
        self.emit(
            make_event(
                event_type,
                self.run_id,
                self.job_name,
                time.time(),
                message,
                step_key,
                level,
                data if data is not None else {},
                error,
            )
        )

    @property
    def succeeded(self) -> bool:
        """Whether nothing failed: no step, no resource, no blocking check."""
        return self.first_error is None and not self.failed and not self.failed_checks

    def record_error(self, exc: BaseException) -> None:
        if self.first_error is None:
            self.first_error = exc

    def assets_def_for(self, step: Step) -> AssetsDefinition | None:
        """The assets a step materializes: its node's, or, for an op inside a graph-backed
        asset, the graph's."""
        if self._layer is None:
            return None
        definition: AssetsDefinition | None = self._layer.assets_def_by_node.get(step.path[0])
        return definition

    def output_keys(self, step: Step) -> dict[str, AssetKey]:
        """Output name → the asset it materializes, for the outputs of ``step`` that do."""
        layer = self._layer
        if layer is None:
            return {}
        handle = step.handle
        return {
            name: key
            for name in step.op_def.output_defs
            if (key := layer.key_by_output.get((handle, name))) is not None
        }

    def check_outputs(self, step: Step) -> dict[str, Any]:
        """Output name → the ``AssetCheckSpec`` whose result it returns, for ``step``'s
        outputs that return one (ops inside graph-backed assets)."""
        layer = self._layer
        if layer is None or not layer.check_spec_by_output:
            return {}
        handle = step.handle
        return {
            name: spec
            for name in step.op_def.output_defs
            if (spec := layer.check_spec_by_output.get((handle, name))) is not None
        }

    def asset_key_for(self, node: str, output: str) -> AssetKey | None:
        """The asset an output materializes, if any."""
        return self._layer.key_by_output.get((node, output)) if self._layer else None

    def input_data_versions(self, keys: Iterable[AssetKey]) -> dict[str, str]:
        """The latest data version of each upstream asset: this run's, else the instance's."""
        versions = {}
        for key in keys:
            name = key.to_user_string()
            version = self.data_versions.get(name)
            if version is None:
                event = self.instance.latest_materialization(name)
                if event is None:  # a source asset: the version it was last observed with
                    record = self.instance.get_latest_data_version_record(name, is_source=True)
                    event = record.event if record is not None else None
                version = _data_version_of(event)
            if version is not None:
                versions[name] = str(version)
        return versions

    def check_scope(self, step: Step) -> CheckScope:
        """The assets and check specs a step's check results may refer to (computed once
        per step and run)."""
        scope = self._scopes.get(step.key)
        if scope is None:
            scope = self._scopes[step.key] = self._check_scope(step)
        return scope

    def op_resources(self, op_def: Any) -> tuple[Resources, Resources]:
        """The resources ``op_def`` requires, and the view of them its context shows (built
        once per op and run, the resources being open for the whole run)."""
        if self._op_resources_of is not self.resources:  # opened anew (a step process)
            self._op_resources, self._op_resources_of = {}, self.resources
        found = self._op_resources.get(op_def)
        if found is None:
            resources = Resources(
                {k: getattr(self.resources, k) for k in op_def.required_resource_keys}
            )
            found = self._op_resources[op_def] = (resources, context_view(resources))
        return found

    def type_check_resources(self, keys: frozenset[str]) -> Resources:
        """The resources type checks reading ``keys`` receive (one per key set and run)."""
        if self._op_resources_of is not self.resources:  # opened anew (a step process)
            self._op_resources, self._op_resources_of = {}, self.resources
        found = self._op_resources.get(keys)
        if found is None:
            found = self._op_resources[keys] = (
                Resources({k: getattr(self.resources, k) for k in keys}),
                Resources(),
            )
        return found[0]

    def _check_scope(self, step: Step) -> CheckScope:
        if self._layer is None:  # no assets, no checks: every op job's steps
            return _NO_CHECKS
        definition = self.assets_def_for(step)
        if definition is not None and definition.is_graph_backed:
            # An op inside a graph-backed asset evaluates the checks whose results its
            # outputs return.
            return CheckScope(sorted(definition.keys), list(self.check_outputs(step).values()))
        if definition is not None:
            # A subset run of a multi-asset evaluates only the checks of the selected keys.
            keys = [k for k in sorted(definition.keys) if k in self.selected_keys]
            specs = [s for s in definition.check_specs if s.asset_key in self.selected_keys]
            return CheckScope(keys, specs)
        check = self._layer.check_def_by_node.get(step.handle)
        if check is not None:
            specs = check.check_specs
            if check.can_subset:  # only the checks of the assets this run selects
                specs = [s for s in specs if s.asset_key in self.selected_keys]
            return CheckScope(check.asset_keys, specs)
        return CheckScope([], [])

    def block(
        self, step_key: str, asset_key: str | None, check_name: str, *, whole_step: bool
    ) -> None:
        """A blocking check failed: what depends on the asset (or on the step) skips."""
        label = f"'{check_name}' on '{asset_key}'"
        self.failed_checks.append(label)
        if whole_step:  # a separate check step: its dependents wait on it by ordering
            self.blocked_steps[step_key] = label
            return
        for (node, output), key in self._layer.key_by_output.items() if self._layer else ():
            if node == step_key and (asset_key is None or key.to_user_string() == asset_key):
                self.blocked[(step_key, output)] = label

    def node_config(self, path: tuple[str, ...]) -> Any:
        """The processed run config of the op at ``path`` (``{"config": ..., "inputs": ...}``)."""
        node: Any = self.processed.get("ops") or {}
        for i, name in enumerate(path):
            node = (node or {}).get(name)
            if i < len(path) - 1:
                node = (node or {}).get("ops")
        return node


class ResourceEvents:
    """Turns resource lifecycle callbacks into run events."""

    def __init__(
        self, state: RunState, scope: str | None = None, step_key: str | None = None
    ) -> None:
        self.state = state
        self.step_key = step_key
        # Out-of-process executors name the resource's scope (step, run, worker) in events.
        self.scope = scope

    def _data(self, key: str, **extra: Any) -> dict[str, Any]:
        data: dict[str, Any] = {"resource_key": key, **extra}
        if self.scope is not None:
            data["scope"] = self.scope
        return data

    def _where(self) -> str:
        return f" (scope: {self.scope})" if self.scope is not None else ""

    def on_init_started(self, key: str) -> None:
        self.state.run_event(
            EventType.RESOURCE_INIT_STARTED,
            f"Starting initialization of resource '{key}'{self._where()}.",
            data=self._data(key),
            step_key=self.step_key,
        )

    def on_init_succeeded(self, key: str, seconds: float) -> None:
        self.state.run_event(
            EventType.RESOURCE_INIT_SUCCESS,
            f"Finished initialization of resource '{key}' in {seconds * 1000:.3g}ms.",
            data=self._data(key, duration_ms=seconds * 1000),
            step_key=self.step_key,
        )

    def on_init_failed(self, key: str, error: BaseException) -> None:
        self.state.run_event(
            EventType.RESOURCE_INIT_FAILURE,
            f"Initialization of resource '{key}' failed.",
            level=logging.ERROR,
            data=self._data(key),
            error=ErrorInfo.from_exception(error),
            step_key=self.step_key,
        )

    def on_teardown_failed(self, key: str, error: BaseException) -> None:
        # The reference has no event kind of its own for this: an engine event with the error.
        self.state.run_event(
            EventType.ENGINE_EVENT,
            f"Teardown of resources [{key}] failed.",
            level=logging.ERROR,
            data=self._data(key),
            error=ErrorInfo.from_exception(error),
            step_key=self.step_key,
        )


class GroupedResourceEvents:
    """Resource lifecycle as the reference records it in process: one event before the
    resources are initialized, one after all of them (or one failure), naming them all.

    ``keys`` are the names shown (the default ``io_manager`` included even when values stay
    in memory, as the reference initializes one); ``step_key`` is set for a one-step plan.
    """

    def __init__(self, state: RunState, keys: list[str], step_key: str | None) -> None:
        self.state = state
        self.keys = keys
        self.step_key = step_key
        self.seconds: dict[str, float] = {}

    def started(self) -> None:
        """Record ``RESOURCE_INIT_STARTED`` (nothing when no resource is used)."""
        if self.keys:
            self.state.run_event(
                EventType.RESOURCE_INIT_STARTED,
                f"Starting initialization of resources [{', '.join(self.keys)}].",
                data={"marker_start": "resources", "resource_keys": self.keys},
                step_key=self.step_key,
            )

    def succeeded(self) -> None:
        """Record ``RESOURCE_INIT_SUCCESS`` with each resource's init time."""
        if self.keys:
            times = {k: f"{self.seconds.get(k, 0.0) * 1000:.3g}ms" for k in self.keys}
            self.state.run_event(
                EventType.RESOURCE_INIT_SUCCESS,
                f"Finished initialization of resources [{', '.join(self.keys)}].",
                data={
                    "marker_end": "resources",
                    "resource_keys": self.keys,
                    "metadata": {f"{k}:init_time": t for k, t in times.items()},
                },
                step_key=self.step_key,
            )

    def on_init_started(self, key: str) -> None:
        pass

    def on_init_succeeded(self, key: str, seconds: float) -> None:
        self.seconds[key] = seconds

    def on_init_failed(self, key: str, error: BaseException) -> None:
        failed_first = [key, *(k for k in self.keys if k != key)]
        # The event records the resource's own exception, as the reference does; the run's
        # failure records the wrapping DagsterResourceFunctionError.
        error = getattr(error, "user_exception", None) or error
        self.state.run_event(
            EventType.RESOURCE_INIT_FAILURE,
            f"Initialization of resources [{', '.join(failed_first)}] failed.",
            level=logging.ERROR,
            data={"marker_end": "resources", "resource_keys": failed_first, "resource_key": key},
            error=ErrorInfo.from_exception(error),
            step_key=self.step_key,
        )

    def on_teardown_failed(self, key: str, error: BaseException) -> None:
        self.state.run_event(
            EventType.ENGINE_EVENT,
            f"Teardown of resources [{key}] failed.",
            level=logging.ERROR,
            data={"resource_key": key},
            error=ErrorInfo.from_exception(error),
            step_key=self.step_key,
        )


class _Flusher:
    """One daemon thread per process, started on first use, writing the log lines that user
    code logged within ``LOG_FLUSH_S``."""

    def __init__(self) -> None:
        self._ready = threading.Condition()
        self._watched: list[RunState] = []
        self._thread: threading.Thread | None = None

    def watch(self, state: RunState) -> None:
        """Flush ``state`` at the next tick."""
        with self._ready:
            self._watched.append(state)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._loop, name="headwater-run-events", daemon=True
                )
                self._thread.start()
            self._ready.notify()

    def _loop(self) -> None:
        while True:
            with self._ready:
                while not self._watched:  # idle: no wake-ups
                    self._ready.wait()
            time.sleep(LOG_FLUSH_S)  # let the batch gather
            with self._ready:
                states, self._watched = self._watched, []
            for state in states:
                state._armed = False  # a line logged from here on arms it again
                try:
                    state.flush()
                except Exception as exc:  # still pending: written at the next flush
                    _log.debug("writing run events failed, retrying: %s", exc)


_FLUSHER = _Flusher()


def _data_version_of(event: RunEvent | None) -> str | None:
    # A materialization records its version apart; an observation an op logged itself
    # carries it only as a tag.
    if event is None:
        return None
    data = event.data
    version = data.get("data_version")
    return version if version is not None else (data.get("tags") or {}).get("dagster/data_version")
