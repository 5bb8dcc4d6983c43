"""Evaluating the automation conditions of a set of assets once.

:func:`evaluate_conditions` is pure: asset graph, instance snapshot, time and cursor in;
results, requests and the next cursor out. :func:`evaluate_automation_conditions` reads the
instance and calls it (the test-facing API); the automation daemon calls the pure function.
"""

from __future__ import annotations

import inspect
from collections.abc import Collection, Coroutine, Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from headwater._dataclass import dataclass
from headwater._warnings import beta_param_warning
from headwater.asset_key import AssetKey, CoercibleToAssetKey
from headwater.assets.checks import AssetCheckKey
from headwater.assets.graph import AssetGraph, split_assets_and_checks
from headwater.assets.selection import AssetSelection
from headwater.automation.condition import AnyDownstreamConditionsCondition, AutomationCondition
from headwater.automation.evaluator.context import (
    AutomationContext,
    AutomationResult,
    EvaluationScope,
    child_node_id,
)
from headwater.automation.evaluator.cursor import AssetDaemonCursor, KeyCursor
from headwater.automation.evaluator.downstream import (
    DownstreamConditionWrapperCondition,
    any_downstream_conditions,
    wrapped,
)
from headwater.automation.evaluator.graph_view import GraphView
from headwater.automation.evaluator.operands import OPERANDS
from headwater.automation.evaluator.operators import OPERATORS
from headwater.automation.evaluator.rules import rule_condition
from headwater.automation.evaluator.state import InstanceState, read_instance_state
from headwater.automation.evaluator.subset import EntitySubset, PartitionKey
from headwater.automation.policy.rules import RuleCondition
from headwater.errors import InvalidDefinitionError, InvalidInvocationError
from headwater.storage.instance import Instance

__all__ = [
    "ConditionsEvaluation",
    "EvaluateAutomationConditionsResult",
    "evaluate_automation_conditions",
    "evaluate_conditions",
]

_BUILT_INS = {
    **OPERANDS,
    **OPERATORS,
    AnyDownstreamConditionsCondition: any_downstream_conditions,
    DownstreamConditionWrapperCondition: wrapped,
    RuleCondition: rule_condition,
}


@dataclass(frozen=True)
class ConditionsEvaluation:
    """What one evaluation produced.

    Attributes:
        results: the root result of each evaluated asset, in dependency order.
        requested: the partitions requested, by asset key (only assets with some).
        cursor: the cursor to pass to the next evaluation.
    """

    results: Sequence[AutomationResult]
    requested: Mapping[AssetKey | AssetCheckKey, EntitySubset]
    cursor: AssetDaemonCursor


def evaluate_conditions(
    graph: AssetGraph,
    state: InstanceState,
    *,
    evaluation_time: datetime,
    cursor: AssetDaemonCursor,
    keys: Collection[AssetKey],
    default_condition: AutomationCondition | None = None,
) -> ConditionsEvaluation:
    """Evaluate the conditions of ``keys`` (assets with one) in dependency order. Pure.

    Args:
        graph: the asset graph.
        state: what the instance held at ``evaluation_time``.
        evaluation_time: an aware datetime.
        cursor: the previous evaluation's cursor (``AssetDaemonCursor.empty()`` at first).
        keys: the assets to evaluate.
        default_condition: the condition of assets in ``keys`` that have none.
    """
    view = GraphView(graph, state, evaluation_time)
    scope = EvaluationScope(view, cursor.evaluation_id, cursor, _evaluate_node)
    results: list[AutomationResult] = []
    key_cursors = dict(cursor.keys)
    for key, condition in _entities(view, keys, default_condition):
        partitions_id = _partitions_id(view, key)
        previous = cursor.keys.get(key)
        if previous is not None and previous.partitions_id != partitions_id:
            previous = None  # the partitions changed: start over, as on a first evaluation
        context = AutomationContext(
            scope=scope,
            condition=condition,
            node_id=child_node_id(condition, None, None, None),
            candidate_subset=view.full_subset(key),
            previous=previous,
        )
        result = context.evaluate()
        results.append(result)
        if not result.true_subset.is_empty:
            scope.request_subsets_by_key[key] = result.true_subset
        key_cursors[key] = KeyCursor(
            requested=result.true_subset.partition_keys,
            evaluation_timestamp=evaluation_time.timestamp(),
            max_storage_id=state.max_storage_id,
            partitions_id=partitions_id,
            nodes=dict(context.new_node_cursors),
        )
    next_cursor = AssetDaemonCursor(
        evaluation_id=cursor.evaluation_id + 1,
        evaluation_timestamp=evaluation_time.timestamp(),
        keys=key_cursors,
    )
    return ConditionsEvaluation(results, dict(scope.request_subsets_by_key), next_cursor)


def _entities(
    view: GraphView, keys: Collection[AssetKey], default: AutomationCondition | None
) -> Iterator[tuple[AssetKey | AssetCheckKey, AutomationCondition]]:
    """The selected assets with a condition, parents first, each followed by its checks
    that have one (a check depends on its asset)."""
    for key in view.graph.toposorted_keys:
        if key not in keys:
            continue
        definition = view.graph.def_by_key[key]
        condition = definition.automation_conditions_by_key.get(key) or default
        if isinstance(condition, AutomationCondition):
            yield key, condition
        for check in view.check_keys(key, blocking_only=False):
            check_condition = view.check_specs[check].automation_condition
            if isinstance(check_condition, AutomationCondition):
                yield check, check_condition


def _partitions_id(view: GraphView, key: AssetKey | AssetCheckKey) -> str | None:
    pdef = view.partitions_def(key)
    return None if pdef is None else f"{type(pdef).__name__}:{pdef.describe()}"


def _evaluate_node(context: AutomationContext) -> AutomationResult:
    condition = context.condition
    custom = getattr(condition, "evaluate", None)
    if custom is not None:
        outcome = custom(context)
        return _finish(outcome, condition) if inspect.iscoroutine(outcome) else outcome  # type: ignore[no-any-return]
    for cls in type(condition).__mro__:
        evaluate = _BUILT_INS.get(cls)
        if evaluate is not None:
            return evaluate(condition, context)
    raise InvalidDefinitionError(
        f"automation condition {type(condition).__name__} has no evaluate method; define "
        "evaluate(self, context: AutomationContext) -> AutomationResult"
    )


def _finish(coroutine: Coroutine[Any, Any, Any], condition: AutomationCondition) -> Any:
    # An `async def evaluate` only awaits other nodes' evaluation, which never suspends:
    # run it to its end without an event loop (the daemon may already be inside one).
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    coroutine.close()
    raise InvalidDefinitionError(
        f"automation condition {type(condition).__name__}.evaluate awaited something other "
        "than context.for_child_condition(...).evaluate_async(); conditions may not do I/O"
    )


class EvaluateAutomationConditionsResult:
    """What :func:`evaluate_automation_conditions` returns.

    Args:
        cursor: the cursor for the next evaluation.
        results: the root result of each evaluated asset.
        requested_subsets: what was requested, one subset per asset.
        partition_loading_context: unused (the reference's; partitions are computed at the
            evaluation time already).
    """

    def __init__(
        self,
        cursor: AssetDaemonCursor,
        results: Iterable[AutomationResult],
        requested_subsets: Iterable[EntitySubset],
        partition_loading_context: Any,
    ) -> None:
        self.cursor = cursor
        self.results = list(results)
        self._requested = {s.key: s for s in requested_subsets}

    @property
    def total_requested(self) -> int:
        """How many asset partitions were requested."""
        return sum(r.true_subset.size for r in self.results)

    def get_requested_partitions(self, asset_key: CoercibleToAssetKey) -> set[PartitionKey]:
        """The partition keys requested of the asset (``{None}`` when an unpartitioned asset
        was requested; empty when nothing was)."""
        subset = self._requested.get(AssetKey.from_coercible(asset_key))
        return set() if subset is None else set(subset.partition_keys)

    def get_num_requested(self, asset_key: CoercibleToAssetKey) -> int:
        """How many partitions of the asset were requested."""
        return len(self.get_requested_partitions(asset_key))


def evaluate_automation_conditions(
    defs: Any,
    instance: Instance,
    asset_selection: AssetSelection | None = None,
    evaluation_time: datetime | None = None,
    cursor: AssetDaemonCursor | None = None,
) -> EvaluateAutomationConditionsResult:
    """Evaluate the automation conditions of the given assets once, against ``instance``.

    Meant for tests: evaluate, materialize, evaluate again with the returned ``cursor``, and
    assert what was requested each time.

    Args:
        defs: a ``Definitions`` or a list of assets (and specs, and checks).
        instance: the instance whose materializations and runs the conditions read.
        asset_selection: the assets to evaluate (default: every asset with a condition).
        evaluation_time: the moment to evaluate at (default: now; naive means local time).
        cursor: the ``cursor`` of the previous evaluation's result.

    Returns:
        ``total_requested``, ``get_requested_partitions(key)``, ``get_num_requested(key)``,
        ``results`` and the next ``cursor``.

    Raises:
        InvalidInvocationError: ``defs``, ``instance`` or ``cursor`` is of the wrong kind.

    Example:
        ``result = evaluate_automation_conditions(defs=[my_asset], instance=instance)``
    """
    graph = _graph_of(defs)
    if not isinstance(instance, Instance):
        raise InvalidInvocationError(
            f"evaluate_automation_conditions: instance must be an Instance (e.g. "
            f"DagsterInstance.ephemeral()), got {type(instance).__name__}"
        )
    if cursor is not None and not isinstance(cursor, AssetDaemonCursor):
        raise InvalidInvocationError(
            f"evaluate_automation_conditions: cursor must be the `cursor` of a previous "
            f"result, got {type(cursor).__name__}"
        )
    if asset_selection is None:
        # The default selection includes external assets, through a parameter in beta.
        beta_param_warning("include_sources", "function `AssetSelection.all`")
    selection = asset_selection or AssetSelection.all(include_sources=True)
    moment = datetime.now(timezone.utc) if evaluation_time is None else evaluation_time.astimezone()
    state = read_instance_state(instance, graph.partitions_def_by_key.values())
    evaluation = evaluate_conditions(
        graph,
        state,
        evaluation_time=moment,
        # Round-tripped as the daemon stores it, so a cursor that would not survive shows here.
        cursor=AssetDaemonCursor.from_json(cursor.to_json()) if cursor else AssetDaemonCursor(),
        keys=selection.resolve(graph),
    )
    return EvaluateAutomationConditionsResult(
        evaluation.cursor, evaluation.results, evaluation.requested.values(), None
    )


def _graph_of(defs: Any) -> AssetGraph:
    graph = getattr(defs, "asset_graph", None)
    if isinstance(graph, AssetGraph):
        return graph
    if isinstance(defs, Iterable) and not isinstance(defs, (str, bytes)):
        return AssetGraph(*split_assets_and_checks(defs))
    raise InvalidInvocationError(
        f"evaluate_automation_conditions: defs must be a Definitions or a list of assets, got "
        f"{type(defs).__name__}"
    )
