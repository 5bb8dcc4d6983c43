"""What the rules of an ``AutoMaterializePolicy`` share: which partitions of the evaluated
asset have parents that updated since the previous evaluation or will update on this one,
what was materialized or requested since, and when a partition is outdated.

The rules predate ``AutomationCondition`` and keep their own notion of "since the previous
evaluation": they only look again at partitions whose parents changed, and carry their
previous answer forward for the rest. :class:`LegacyView` computes those facts once per
asset evaluation (the policy's rules share it); it reads only the graph view, the instance
snapshot and the previous cursor.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from headwater.asset_key import AssetKey
from headwater.automation import condition as c
from headwater.automation.evaluator.context import (
    AutomationContext,
    AutomationResult,
    rule_node_id,
)
from headwater.automation.evaluator.state import AssetUpdate
from headwater.automation.evaluator.subset import EntitySubset, PartitionKey
from headwater.automation.policy import rules as r
from headwater.partitions.time_window import TimeWindowPartitionsDefinition
from headwater.storage.runs import RunStatus

__all__ = [
    "Keys",
    "LegacyView",
    "ParentPartitions",
    "discarded",
    "handled_since_previous",
    "partition_order",
    "previous_true",
    "result",
]

Keys = frozenset[PartitionKey]
ParentPartitions = Mapping[AssetKey, frozenset[PartitionKey]]


class LegacyView:
    """The shared facts of one rule evaluation, for the asset at the root of ``ctx``."""

    def __init__(self, ctx: AutomationContext) -> None:
        self.ctx = ctx
        self.root = ctx.root_context
        self.view = ctx.view
        self.state = ctx.view.state
        self.key: AssetKey = self.root.key
        # The newest event the previous evaluation read (None on the first one: then every
        # stored event counts as new).
        self.since: int | None = self.root.previous_max_storage_id

    # -- events -----------------------------------------------------------------------------

    def _observes(self, key: AssetKey) -> bool:
        return self.view.is_external(key)

    def updates_after(self, key: AssetKey, p: PartitionKey, after: int | None) -> list[AssetUpdate]:
        """The updates of one partition stored after ``after`` (every one when ``None``)."""
        return self.state.updates_after(
            (key, p), -1 if after is None else after, observations=self._observes(key)
        )

    def latest_storage_id(self, key: AssetKey, p: PartitionKey) -> int | None:
        """The newest materialization or observation of one partition, or ``None``."""
        update = self.state.latest_update((key, p), observations=True)
        return None if update is None else update.storage_id

    def exists(self, key: AssetKey, p: PartitionKey) -> bool:
        """Whether the partition was ever materialized or observed."""
        return self.latest_storage_id(key, p) is not None

    def planned_in_run(self, run_id: str, key: AssetKey) -> bool:
        """Whether the run planned to materialize the asset (any partition)."""
        return run_id in self.state.planned_run_ids.get(key, frozenset())

    # -- the graph ------------------------------------------------------------------------

    def parents(self, key: AssetKey) -> list[AssetKey]:
        """The asset's parents that are defined in the graph, sorted."""
        graph = self.view.graph
        return sorted((k for k in self.view.parents(key) if k in graph.def_by_key), key=str)

    def parent_partitions(
        self, key: AssetKey, p: PartitionKey
    ) -> dict[AssetKey, frozenset[PartitionKey]]:
        """The partitions of each parent that partition ``p`` of ``key`` reads."""
        child = EntitySubset(key, [p])
        return {
            parent: self.view.map_subset(child, parent).partition_keys
            for parent in self.parents(key)
        }

    def is_executable(self, key: AssetKey) -> bool:
        """Whether headwater can materialize or observe the asset."""
        definition = self.view.graph.def_by_key.get(key)
        return definition is not None and (definition.is_executable or definition.is_observable)

    def is_materializable(self, key: AssetKey) -> bool:
        definition = self.view.graph.def_by_key.get(key)
        return definition is not None and definition.is_executable and definition.is_materializable

    @functools.cached_property
    def is_root(self) -> bool:
        """Whether no ancestor of the asset is executable (so nothing above it can update)."""
        ancestors = self.view.graph.upstream_closure([self.key]) - {self.key}
        return not any(self.is_executable(k) for k in ancestors)

    def same_run(self, child: AssetKey, parent: AssetKey) -> bool:
        """Whether the child can be materialized in the same run as the parent."""
        view = self.view
        return (
            self.is_executable(parent)
            and not view.is_external(parent)
            and view.partitions_def(parent) == view.partitions_def(child)
        )

    def will_update(self, key: AssetKey, p: PartitionKey) -> bool:
        """Whether this evaluation requested the partition already."""
        requested = self.ctx.request_subsets_by_key.get(key)
        return requested is not None and p in requested.partition_keys

    def is_last_time_partition(self, key: AssetKey, p: PartitionKey) -> bool:
        keys = self.view.partition_keys(key)
        return bool(keys) and p == keys[-1]

    def _is_time_window(self, key: AssetKey) -> bool:
        return isinstance(self.view.partitions_def(key), TimeWindowPartitionsDefinition)

    # -- since the previous evaluation --------------------------------------------------------

    @functools.cached_property
    def parent_updated(self) -> frozenset[PartitionKey]:
        """Partitions of the asset with a parent updated since the previous evaluation, not
        counting parent updates from runs that also planned the asset."""
        key, view = self.key, self.view
        found: set[PartitionKey] = set()
        for parent in self.parents(key):
            updated = [
                pp
                for pp in view.partition_keys(parent)
                if self.updates_after(parent, pp, self.since)
            ]
            if not updated:
                continue
            if view.partitions_def(parent) is None:
                newest = max(
                    (self.updates_after(parent, pp, self.since)[-1] for pp in updated),
                    key=lambda u: u.storage_id,
                )
                if self.planned_in_run(newest.run_id, key):
                    continue
                for p in view.partition_keys(key):
                    # An unpartitioned parent updates only the latest time partition.
                    if self._is_time_window(key) and not self.is_last_time_partition(key, p):
                        continue
                    found.add(p)
            elif view.partitions_def(key) is None:
                return frozenset({None})
            else:
                found |= self._mapped_children(parent, updated)
        return frozenset(found)

    def _mapped_children(self, parent: AssetKey, updated: list[PartitionKey]) -> set[PartitionKey]:
        key, view = self.key, self.view
        children = view.map_subset(EntitySubset(parent, updated), key).partition_keys
        same_def = view.partitions_def(parent) == view.partitions_def(key)
        found = set()
        for p in children:
            if same_def and p in updated and self._failed_or_in_progress(key, p):
                newest = self.updates_after(parent, p, self.since)[-1]
                if self.planned_in_run(newest.run_id, key):
                    # The child was meant to come with its parent, in a run that has not
                    # updated it (yet): that run, not this evaluation, handles it.
                    continue
            found.add(p)
        return found

    def _failed_or_in_progress(self, key: AssetKey, p: PartitionKey) -> bool:
        found = self.state.planned_run((key, p))
        if found is None or found[1].status is RunStatus.SUCCESS:
            return False
        return not self.state.materialized_by((key, p), found[0])

    @functools.cached_property
    def parent_will_update(self) -> frozenset[PartitionKey]:
        """Partitions of the asset whose parent this evaluation requested, when both can run
        in the same run."""
        found: set[PartitionKey] = set()
        for parent in self.parents(self.key):
            requested = self.ctx.request_subsets_by_key.get(parent)
            if requested is not None and self.same_run(self.key, parent):
                found |= requested.partition_keys
        return frozenset(found & set(self.view.partition_keys(self.key)))

    @property
    def parent_has_or_will_update(self) -> frozenset[PartitionKey]:
        return self.parent_updated | self.parent_will_update

    @functools.cached_property
    def materialized_since_previous(self) -> frozenset[PartitionKey]:
        """Partitions of the asset updated since the previous evaluation (all, at first)."""
        return frozenset(
            p
            for p in self.view.partition_keys(self.key)
            if self.updates_after(self.key, p, self.since)
        )

    def previous_requested(self, discarded: Iterable[PartitionKey] = ()) -> frozenset[PartitionKey]:
        """What the previous evaluation requested of the asset, and what it discarded."""
        previous = self.root.get_previous_requested_subset(self.key)
        keys = frozenset() if previous is None else previous.partition_keys
        return keys | frozenset(discarded)

    # -- parents, per partition -------------------------------------------------------------

    def updated_after_child(
        self, key: AssetKey, p: PartitionKey, parents: ParentPartitions, ignored: set[AssetKey]
    ) -> set[tuple[AssetKey, PartitionKey]]:
        """The parent partitions updated after partition ``p`` of ``key`` last was."""
        child_latest = self.latest_storage_id(key, p)
        found = set()
        for parent, keys in parents.items():
            if parent in ignored:
                continue
            if (
                self._is_time_window(key)
                and self.view.partitions_def(parent) is None
                and not self.is_last_time_partition(key, p)
            ):
                continue  # historical time partitions ignore an unpartitioned parent
            found |= {(parent, pp) for pp in keys if self.updates_after(parent, pp, child_latest)}
        return found

    def not_updating_now(self, p: PartitionKey) -> set[tuple[AssetKey, PartitionKey]]:
        """The parent partitions of ``p`` that a run launched now for it would not update."""
        return {
            (parent, pp)
            for parent, keys in self.parent_partitions(self.key, p).items()
            for pp in keys
            if not self.will_update(parent, pp) or not self.same_run(self.key, parent)
        }

    def outdated_ancestors(self, key: AssetKey, p: PartitionKey) -> frozenset[AssetKey]:
        """The assets whose update has not reached partition ``p`` of ``key`` yet."""
        return self._outdated(key, p)

    @functools.cache  # noqa: B019 - one view lives for one asset evaluation
    def _outdated(self, key: AssetKey, p: PartitionKey) -> frozenset[AssetKey]:
        if not self.is_materializable(key):
            return frozenset()
        parents = self.parent_partitions(key, p)
        updated = self.updated_after_child(key, p, parents, set())
        found: set[AssetKey] = {key} if updated else set()
        for parent, keys in parents.items():
            for pp in keys:
                if (parent, pp) not in updated:
                    found |= self._outdated(parent, pp)
        return frozenset(found)


# -- what every rule does ----------------------------------------------------------------------


def result(ctx: AutomationContext, keys: Iterable[PartitionKey], **kwargs: Any) -> AutomationResult:
    """The rule's result: ``keys`` among the node's candidates."""
    candidates = ctx.candidate_subset
    return AutomationResult(
        ctx, candidates.with_keys(set(keys) & candidates.partition_keys), **kwargs
    )


def previous_true(ctx: AutomationContext) -> Keys:
    """What the rule was true for on the previous evaluation."""
    previous = ctx.previous_true_subset
    return frozenset() if previous is None else previous.partition_keys


def discarded(ctx: AutomationContext) -> Keys:
    """What the policy's rate limit discarded on the previous evaluation: it counts as
    requested, so it is not asked for again."""
    root = ctx.root_context.condition
    if not isinstance(root, c.AndAutomationCondition) or len(root.operands) != 3:
        return frozenset()
    last = root.operands[2]
    if not isinstance(last, c.NotAutomationCondition):
        return frozenset()
    rule = last.operand
    if not isinstance(rule, r.RuleCondition) or not isinstance(
        rule.rule, r.DiscardOnMaxMaterializationsExceededRule
    ):
        return frozenset()
    return ctx.root_context.previous_node_true_keys(rule_node_id(rule)) or frozenset()


def handled_since_previous(ctx: AutomationContext, lv: LegacyView) -> Keys:
    """Partitions materialized, requested or discarded since the previous evaluation: a
    materialize rule's earlier answer no longer holds for them."""
    return lv.materialized_since_previous | lv.previous_requested(discarded(ctx))


def partition_order(key: PartitionKey) -> tuple[bool, str]:
    """A sort key for partition keys that puts the unpartitioned ``None`` first."""
    return (key is not None, key or "")
