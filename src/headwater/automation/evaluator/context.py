"""``AutomationContext`` and ``AutomationResult``: one condition node's evaluation.

A context is made for the root condition of each asset and, through
:meth:`AutomationContext.for_child_condition`, for every node below it. It knows the node's
candidate partitions, the evaluation time and the node's state from the previous evaluation.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import field
from datetime import datetime, timezone
from typing import Any

from headwater._dataclass import dataclass
from headwater.assets.graph import AssetGraph
from headwater.automation.condition import (
    AutomationCondition,
    NewlyTrueCondition,
    SinceCondition,
)
from headwater.automation.evaluator.cursor import AssetDaemonCursor, KeyCursor, NodeCursor
from headwater.automation.evaluator.graph_view import GraphView
from headwater.automation.evaluator.subset import EntitySubset
from headwater.automation.policy.rules import RuleCondition
from headwater.errors import InvalidInvocationError

__all__ = ["AutomationContext", "AutomationResult", "EvaluationScope"]

_LOG = logging.getLogger("headwater.automation")


@dataclass
class EvaluationScope:
    """What every context of one evaluation shares.

    Attributes:
        view: the graph at the evaluation time, with the instance snapshot.
        evaluation_id: this evaluation's id (the previous cursor's).
        cursor: the previous evaluation's cursor.
        evaluate_node: evaluates one context's condition (built-in or custom).
        request_subsets_by_key: what this evaluation requested so far.
    """

    view: GraphView
    evaluation_id: int
    cursor: AssetDaemonCursor
    evaluate_node: Callable[[AutomationContext], AutomationResult]
    request_subsets_by_key: dict[Any, EntitySubset] = field(default_factory=dict)


class AutomationContext:
    """The context of one condition node's evaluation for one asset.

    Read by custom conditions' ``evaluate`` methods: ``candidate_subset`` (the partitions
    the node may be true for), ``evaluation_time``, ``previous_true_subset``, ``cursor``
    (what the node returned as ``cursor`` last time), ``get_empty_subset()``.
    """

    def __init__(
        self,
        *,
        scope: EvaluationScope,
        condition: AutomationCondition,
        node_id: str,
        candidate_subset: EntitySubset,
        root: AutomationContext | None = None,
        parent: AutomationContext | None = None,
        previous: KeyCursor | None = None,
    ) -> None:
        self._scope = scope
        self._condition = condition
        self._node_id = node_id
        self._candidate = candidate_subset
        self._root = root
        self._parent = parent
        self._previous: KeyCursor | None = previous if root is None else root._previous
        # Node states written while evaluating this root's tree (shared by its children).
        self._new_nodes: dict[str, NodeCursor] = {} if root is None else root._new_nodes
        self._create_time = time.time()

    # -- where and when ----------------------------------------------------------------------

    @property
    def condition(self) -> AutomationCondition:
        """The condition this context evaluates."""
        return self._condition

    @property
    def condition_unique_id(self) -> str:
        """The node's id: where it sits in its asset's condition tree."""
        return self._node_id

    @property
    def key(self) -> Any:
        """The asset (or check) key being evaluated."""
        return self._candidate.key

    @property
    def root_context(self) -> AutomationContext:
        """The context of the asset's whole condition."""
        return self if self._root is None else self._root

    @property
    def parent_context(self) -> AutomationContext | None:
        """The context of the parent node, or ``None`` for the root."""
        return self._parent

    @property
    def candidate_subset(self) -> EntitySubset:
        """The partitions this node may be true for."""
        return self._candidate

    @property
    def evaluation_id(self) -> int:
        """The id of this evaluation (one more per evaluation)."""
        return self._scope.evaluation_id

    @property
    def evaluation_time(self) -> datetime:
        """The moment the evaluation is for."""
        return self._scope.view.evaluation_time

    @property
    def create_time(self) -> datetime:
        """When this context was made."""
        return datetime.fromtimestamp(self._create_time, timezone.utc)

    @property
    def asset_graph(self) -> AssetGraph:
        """The asset graph of the evaluated definitions."""
        return self._scope.view.graph

    @property
    def partitions_def(self) -> Any:
        """The partitions definition of the evaluated key, or ``None``."""
        return self._scope.view.partitions_def(self.key)

    @property
    def log(self) -> logging.Logger:
        """A logger for messages about the evaluation."""
        return _LOG

    @property
    def max_storage_id(self) -> int:
        """The newest asset event this evaluation reads."""
        return self._scope.view.state.max_storage_id

    # -- the previous evaluation ------------------------------------------------------------

    @property
    def previous_evaluation_time(self) -> datetime | None:
        """When the asset's condition was last evaluated, or ``None``."""
        if self._previous is None:
            return None
        return datetime.fromtimestamp(self._previous.evaluation_timestamp, timezone.utc)

    @property
    def previous_max_storage_id(self) -> int | None:
        """The newest asset event the previous evaluation read, or ``None``."""
        return None if self._previous is None else self._previous.max_storage_id

    def _previous_node(self) -> NodeCursor | None:
        return None if self._previous is None else self._previous.nodes.get(self._node_id)

    @property
    def previous_true_subset(self) -> EntitySubset | None:
        """The partitions this node was true for last time, or ``None``."""
        node = self._previous_node()
        return None if node is None else self._candidate.with_keys(node.true_subset)

    def previous_node_true_keys(self, node_id: str) -> frozenset[Any] | None:
        """The partitions another node of this asset's tree was true for last time."""
        node = None if self._previous is None else self._previous.nodes.get(node_id)
        return None if node is None else frozenset(node.true_subset)

    @property
    def previous_candidate_subset(self) -> EntitySubset | None:
        """The node's candidate partitions last time, or ``None``."""
        node = self._previous_node()
        return None if node is None else self._candidate.with_keys(node.candidate_subset)

    @property
    def previous_metadata(self) -> Mapping[str, Any]:
        """The metadata this node returned last time."""
        node = self._previous_node()
        return {} if node is None else dict(node.metadata)

    @property
    def cursor(self) -> Any:
        """What this node returned as ``cursor`` last time, or ``None``."""
        node = self._previous_node()
        return None if node is None else node.extra_state

    def get_empty_subset(self) -> EntitySubset:
        """No partition of the evaluated key."""
        return EntitySubset(self.key)

    def get_previous_requested_subset(self, key: Any) -> EntitySubset | None:
        """What the previous evaluation requested of ``key``, or ``None`` if it had none."""
        previous = self._scope.cursor.keys.get(key)
        return None if previous is None else EntitySubset(key, previous.requested)

    @property
    def request_subsets_by_key(self) -> Mapping[Any, EntitySubset]:
        """What this evaluation requested so far (keys evaluated earlier)."""
        return self._scope.request_subsets_by_key

    @property
    def view(self) -> GraphView:
        """The graph and instance state the evaluation reads (for built-in conditions)."""
        return self._scope.view

    # -- children --------------------------------------------------------------------------

    def for_child_condition(
        self,
        child_condition: AutomationCondition,
        child_indices: Sequence[int | None],
        candidate_subset: EntitySubset,
    ) -> AutomationContext:
        """The context of a child node, evaluated for ``candidate_subset``."""
        target = None if candidate_subset.key == self.root_context.key else candidate_subset.key
        index = next((i for i in child_indices if i is not None), None)
        node_id = child_node_id(child_condition, self._node_id, index, target)
        return AutomationContext(
            scope=self._scope,
            condition=child_condition,
            node_id=node_id,
            candidate_subset=candidate_subset,
            root=self.root_context,
            parent=self,
        )

    def evaluate(self) -> AutomationResult:
        """Evaluate this context's condition and remember its state for next time."""
        result = self._scope.evaluate_node(self)
        if not isinstance(result, AutomationResult):
            raise InvalidInvocationError(
                f"condition {type(self._condition).__name__}.evaluate returned "
                f"{type(result).__name__}; return AutomationResult(context, true_subset=...)"
            )
        self._new_nodes[self._node_id] = result.node_cursor
        return result

    async def evaluate_async(self) -> AutomationResult:
        """:meth:`evaluate`, for conditions whose ``evaluate`` is a coroutine."""
        return self.evaluate()

    @property
    def new_node_cursors(self) -> Mapping[str, NodeCursor]:
        """The node states this root's evaluation wrote."""
        return self._new_nodes


class AutomationResult:
    """The result of evaluating a condition node: the partitions it is true for.

    Args:
        context: the node's context.
        true_subset: the partitions the condition is true for.
        cursor: state (JSON-able) to read as ``context.cursor`` on the next evaluation.
        child_results: the results of the node's children.

    Example:
        ``return AutomationResult(context, true_subset=context.candidate_subset)``
    """

    _HIDDEN = frozenset({"metadata", "timing_metadata", "structured_cursor"})

    def __init__(
        self,
        context: AutomationContext,
        true_subset: EntitySubset,
        cursor: str | None = None,
        child_results: Sequence[AutomationResult] | None = None,
        **kwargs: Any,
    ) -> None:
        unknown = sorted(set(kwargs) - self._HIDDEN)
        if unknown:
            raise InvalidInvocationError(
                f"AutomationResult got unexpected argument(s) {', '.join(unknown)}; it takes "
                "context, true_subset, cursor and child_results"
            )
        if not isinstance(true_subset, EntitySubset):
            raise InvalidInvocationError(
                f"AutomationResult's true_subset must be an EntitySubset (from the context, "
                f"e.g. context.candidate_subset), got {type(true_subset).__name__}"
            )
        self._context = context
        self._true_subset = true_subset
        self._child_results = list(child_results or ())
        self._metadata: Mapping[str, Any] = dict(kwargs.get("metadata") or {})
        # Per partition, when the condition became true: lets `since` order a trigger and a
        # reset that are both true on one evaluation. Never stored.
        self._timing: Mapping[Any, float] | None = kwargs.get("timing_metadata")
        self._extra_state = cursor if cursor is not None else kwargs.get("structured_cursor")
        self._start = context._create_time
        self._end = time.time()

    @property
    def key(self) -> Any:
        """The evaluated key."""
        return self._true_subset.key

    @property
    def true_subset(self) -> EntitySubset:
        """The partitions the condition is true for."""
        return self._true_subset

    @property
    def child_results(self) -> Sequence[AutomationResult]:
        """The results of the node's children."""
        return self._child_results

    @property
    def condition(self) -> AutomationCondition:
        """The evaluated condition."""
        return self._context.condition

    @property
    def condition_unique_id(self) -> str:
        """The node's id in its tree."""
        return self._context.condition_unique_id

    @property
    def timing_metadata(self) -> Mapping[Any, float] | None:
        """Per partition, when the condition became true (for timed operands)."""
        return self._timing

    @property
    def start_timestamp(self) -> float:
        """When the node's evaluation started."""
        return self._start

    @property
    def end_timestamp(self) -> float:
        """When the node's evaluation ended."""
        return self._end

    @property
    def node_cursor(self) -> NodeCursor:
        """What this node remembers for the next evaluation."""
        return NodeCursor(
            true_subset=self._true_subset.partition_keys,
            candidate_subset=self._context.candidate_subset.partition_keys,
            extra_state=self._extra_state,
            metadata=self._metadata,
        )

    def __repr__(self) -> str:
        return f"AutomationResult({self.condition.name}, {self._true_subset!r})"


def _digest(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()[:16]


def _stable_id(condition: AutomationCondition, target: Any) -> str:
    children = [_stable_id(c, None) for c in condition.children]
    shown = target.to_user_string() if target is not None else ""
    return _digest("|".join([condition.name, *children, shown]))


def rule_node_id(condition: RuleCondition) -> str:
    """The id of a policy rule's node: its rule alone, wherever it sits, so adding or removing
    rules keeps the state of the others (as the reference's ids do)."""
    rule = condition.rule
    return _digest(f"rule|{type(rule).__name__}|{rule.description}")


def child_node_id(
    condition: AutomationCondition, parent_id: str | None, index: int | None, target: Any
) -> str:
    """The id of a node below ``parent_id``; ``since`` and ``newly_true`` nodes keep theirs
    wherever they move in the tree, so editing around them keeps their state."""
    if isinstance(condition, RuleCondition):
        return rule_node_id(condition)
    if isinstance(condition, (SinceCondition, NewlyTrueCondition)):
        return _stable_id(condition, target)
    shown = target.to_user_string() if target is not None else ""
    return _digest(f"{parent_id}|{index}|{condition.name}|{shown}")
