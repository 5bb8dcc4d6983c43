"""``AutomationCondition``: when an asset should be materialized, as a value.

Conditions are immutable trees built from operands (``missing()``, ``newly_updated()``,
``cron_tick_passed(...)``) and operators (``&``, ``|``, ``~``, ``since``, ``any_deps_match``).
They compare by value and carry labels; ``automation/evaluator/`` evaluates them. Node class
names, names, labels and descriptions follow the reference so that tools reading the tree
see the same shapes.
"""

from __future__ import annotations

import copy
import dataclasses
import types
import warnings
from collections.abc import Mapping, Sequence, Set
from dataclasses import field
from datetime import timedelta
from typing import Any

from headwater._dataclass import dataclass
from headwater._warnings import PreviewWarning, beta_warning
from headwater.asset_key import AssetKey, CoercibleToAssetKey
from headwater.errors import InvariantViolationError

__all__ = ["AutomationCondition"]


class AutomationCondition:
    """A condition on an asset, true when it should be requested.

    Build conditions with the static constructors (``AutomationCondition.eager()``,
    ``on_cron("0 * * * *")``, ``missing()``, ...) and combine them with ``&``, ``|``, ``~``
    and methods such as ``since`` and ``newly_true``. Attach one to an asset with
    ``@asset(automation_condition=...)``.

    Example:
        ``AutomationCondition.on_cron("@daily") & ~AutomationCondition.in_progress()``
    """

    def __class_getitem__(cls, params: object) -> types.GenericAlias:
        """``AutomationCondition[AssetKey]``, as the reference's generic class (not checked)."""
        return types.GenericAlias(cls, params)

    # Every built-in node is a frozen dataclass (``_Node``) with this field; the base takes
    # no arguments, as the reference's, and user subclasses start unlabelled.
    label: str | None = None

    # -- what tools read ---------------------------------------------------------------

    @property
    def name(self) -> str:
        """The node's kind, e.g. ``"missing"`` or ``"AND"``."""
        return type(self).__name__

    @property
    def description(self) -> str:
        """A short human description of the node (empty for most operands)."""
        return ""

    @property
    def children(self) -> Sequence[AutomationCondition]:
        """The conditions this one is built from, in order."""
        return ()

    def get_label(self) -> str | None:
        """The node's label (``with_label``), or ``None``."""
        return self.label

    def with_label(self, label: str | None) -> AutomationCondition:
        """A copy of this condition with ``label``."""
        if dataclasses.is_dataclass(self):
            return dataclasses.replace(self, label=label)
        labelled = copy.copy(self)  # a user subclass: a plain object
        labelled.label = label
        return labelled

    # -- combining -----------------------------------------------------------------------

    def __and__(self, other: AutomationCondition) -> AndAutomationCondition:
        # Unlabelled ANDs merge, so `a & b & c` is one node with three operands.
        return AndAutomationCondition(
            operands=(*_flat(self, AndAutomationCondition), *_flat(other, AndAutomationCondition))
        )

    def __or__(self, other: AutomationCondition) -> OrAutomationCondition:
        return OrAutomationCondition(
            operands=(*_flat(self, OrAutomationCondition), *_flat(other, OrAutomationCondition))
        )

    def __invert__(self) -> NotAutomationCondition:
        return NotAutomationCondition(operand=self)

    def since(self, reset_condition: AutomationCondition) -> SinceCondition:
        """True from when this condition was last true until ``reset_condition`` becomes true."""
        return SinceCondition(trigger_condition=self, reset_condition=reset_condition)

    def since_last_handled(self) -> SinceCondition:
        """This condition since the asset was last requested, updated, or first evaluated."""
        return self.since(_handled())

    def newly_true(self) -> NewlyTrueCondition:
        """True only on the evaluation where this condition becomes true."""
        return NewlyTrueCondition(operand=self)

    def replace(
        self, old: AutomationCondition | str, new: AutomationCondition
    ) -> AutomationCondition:
        """A copy with every sub-condition equal to ``old`` (or named or labelled ``old``)
        replaced by ``new``."""
        if old == self or old in (self.name, self.get_label()):
            return new
        return self._with_children([c.replace(old, new) for c in self.children])

    def _with_children(self, children: Sequence[AutomationCondition]) -> AutomationCondition:
        return self

    # -- operands --------------------------------------------------------------------------

    @staticmethod
    def missing() -> AutomationCondition:
        """True when the asset (partition) has never been materialized."""
        return MissingAutomationCondition()

    @staticmethod
    def run_in_progress() -> AutomationCondition:
        """True while a run targeting the asset is in progress."""
        return RunInProgressAutomationCondition()

    @staticmethod
    def backfill_in_progress() -> AutomationCondition:
        """True while a backfill targeting the asset is in progress."""
        return BackfillInProgressAutomationCondition()

    @staticmethod
    def in_progress() -> AutomationCondition:
        """True while a run or backfill targeting the asset is in progress."""
        return OrAutomationCondition(
            operands=(RunInProgressAutomationCondition(), BackfillInProgressAutomationCondition()),
            label="in_progress",
        )

    @staticmethod
    def execution_failed() -> AutomationCondition:
        """True when the latest run materializing the asset failed."""
        return ExecutionFailedAutomationCondition()

    @staticmethod
    def newly_updated() -> AutomationCondition:
        """True when the asset was materialized since the previous evaluation."""
        return NewlyUpdatedCondition()

    @staticmethod
    def newly_requested() -> AutomationCondition:
        """True when the asset was requested on the previous evaluation."""
        return NewlyRequestedCondition()

    @staticmethod
    def newly_missing() -> AutomationCondition:
        """True on the evaluation where the asset becomes missing."""
        return NewlyTrueCondition(operand=MissingAutomationCondition(), label="newly_missing")

    @staticmethod
    def will_be_requested() -> AutomationCondition:
        """True when the asset will be requested on this evaluation."""
        return WillBeRequestedCondition()

    @staticmethod
    def initial_evaluation() -> AutomationCondition:
        """True on the first evaluation of this condition."""
        return InitialEvaluationCondition()

    @staticmethod
    def in_latest_time_window(lookback_delta: timedelta | None = None) -> AutomationCondition:
        """True for the latest time window's partition (or any, for unpartitioned assets)."""
        return InLatestTimeWindowCondition(lookback_delta=lookback_delta)

    @staticmethod
    def cron_tick_passed(cron_schedule: str, cron_timezone: str = "UTC") -> AutomationCondition:
        """True when a tick of the cron schedule passed since the previous evaluation."""
        return CronTickPassedCondition(cron_schedule=cron_schedule, cron_timezone=cron_timezone)

    @staticmethod
    def code_version_changed() -> AutomationCondition:
        """True when the asset's code version changed since the previous evaluation."""
        return CodeVersionChangedCondition()

    @staticmethod
    def data_version_changed() -> AutomationCondition:
        """True when the asset's data version changed since the previous evaluation."""
        return DataVersionChangedCondition()

    @staticmethod
    def any_downstream_conditions() -> AutomationCondition:
        """The conditions of the asset's downstream assets, combined (in beta)."""
        beta_warning("Function `AutomationCondition.any_downstream_conditions`")
        return AnyDownstreamConditionsCondition()

    @staticmethod
    def executed_with_root_target() -> AutomationCondition:
        """True when the latest run updating the asset targeted a root of the asset graph."""
        return LatestRunExecutedWithRootTargetCondition()

    @staticmethod
    def check_passed() -> AutomationCondition:
        """True for a check whose latest evaluation passed."""
        return CheckResultCondition(passed=True)

    @staticmethod
    def check_failed() -> AutomationCondition:
        """True for a check whose latest evaluation failed."""
        return CheckResultCondition(passed=False)

    @staticmethod
    def freshness_passed() -> AutomationCondition:
        """True when the asset's freshness policy passes."""
        return FreshnessResultCondition(state="PASS", label="freshness_passed")

    @staticmethod
    def freshness_failed() -> AutomationCondition:
        """True when the asset's freshness policy fails."""
        return FreshnessResultCondition(state="FAIL", label="freshness_failed")

    @staticmethod
    def freshness_warned() -> AutomationCondition:
        """True when the asset's freshness policy warns."""
        return FreshnessResultCondition(state="WARN", label="freshness_warned")

    @staticmethod
    def executed_with_tags(
        *, tag_keys: Set[str] | None = None, tag_values: Mapping[str, str] | None = None
    ) -> AutomationCondition:
        """True when the latest run updating the asset had these tag keys or values."""
        return LatestRunExecutedWithTagsCondition(
            tag_keys=_frozen_keys(tag_keys), tag_values=_frozen_values(tag_values)
        )

    @staticmethod
    def any_new_update_has_run_tags(
        *, tag_keys: Set[str] | None = None, tag_values: Mapping[str, str] | None = None
    ) -> AutomationCondition:
        """True when any update since the previous evaluation came from a run with these tags."""
        return AnyNewUpdateHasRunTagsCondition(
            tag_keys=_frozen_keys(tag_keys), tag_values=_frozen_values(tag_values)
        )

    @staticmethod
    def all_new_updates_have_run_tags(
        *, tag_keys: Set[str] | None = None, tag_values: Mapping[str, str] | None = None
    ) -> AutomationCondition:
        """True when every update since the previous evaluation came from a run with these
        tags."""
        return AllNewUpdatesHaveRunTagsCondition(
            tag_keys=_frozen_keys(tag_keys), tag_values=_frozen_values(tag_values)
        )

    @staticmethod
    def asset_matches(
        key: CoercibleToAssetKey, condition: AutomationCondition
    ) -> AutomationCondition:
        """True when ``condition`` is true for the asset ``key`` (not the evaluated one)."""
        return EntityMatchesCondition(key=AssetKey.from_coercible(key), operand=condition)

    @staticmethod
    def any_job_root_assets_match(condition: AutomationCondition) -> AutomationCondition:
        """True when ``condition`` is true for any root asset of the job being run (preview)."""
        preview_warning("Function `AutomationCondition.any_job_root_assets_match`")
        return AnyJobRootAssetsMatchCondition(
            operand=condition, label=f"any_job_root_assets_match({_short(condition)})"
        )

    @staticmethod
    def all_job_root_assets_match(condition: AutomationCondition) -> AutomationCondition:
        """True when ``condition`` is true for every root asset of the job being run (preview)."""
        preview_warning("Function `AutomationCondition.all_job_root_assets_match`")
        return AllJobRootAssetsMatchCondition(
            operand=condition, label=f"all_job_root_assets_match({_short(condition)})"
        )

    # -- dependency and check operators -----------------------------------------------------

    @staticmethod
    def any_deps_match(condition: AutomationCondition) -> _DepsCondition:
        """True when ``condition`` is true for any of the asset's dependencies."""
        return AnyDepsCondition(operand=condition)

    @staticmethod
    def all_deps_match(condition: AutomationCondition) -> _DepsCondition:
        """True when ``condition`` is true for all of the asset's dependencies."""
        return AllDepsCondition(operand=condition)

    @staticmethod
    def all_checks_match(
        condition: AutomationCondition, blocking_only: bool = False
    ) -> AutomationCondition:
        """True when ``condition`` is true for all of the asset's checks."""
        return AllChecksCondition(operand=condition, blocking_only=blocking_only)

    @staticmethod
    def any_checks_match(
        condition: AutomationCondition, blocking_only: bool = False
    ) -> AutomationCondition:
        """True when ``condition`` is true for any of the asset's checks."""
        return AnyChecksCondition(operand=condition, blocking_only=blocking_only)

    @staticmethod
    def any_deps_updated() -> _DepsCondition:
        """True when a dependency was updated (not by a run of this asset's root) or will be."""
        updated = (
            NewlyUpdatedCondition() & ~LatestRunExecutedWithRootTargetCondition()
        ).with_label("newly_updated_without_root")
        return AnyDepsCondition(
            operand=updated | WillBeRequestedCondition(), label="any_deps_updated"
        )

    @staticmethod
    def any_deps_missing() -> _DepsCondition:
        """True when a dependency is missing and will not be requested this evaluation."""
        return AnyDepsCondition(
            operand=MissingAutomationCondition() & ~WillBeRequestedCondition(),
            label="any_deps_missing",
        )

    @staticmethod
    def any_deps_in_progress() -> _DepsCondition:
        """True when a dependency is being materialized."""
        return AnyDepsCondition(
            operand=AutomationCondition.in_progress(), label="any_deps_in_progress"
        )

    @staticmethod
    def all_deps_updated_since_cron(
        cron_schedule: str, cron_timezone: str = "UTC"
    ) -> _DepsCondition:
        """True when every dependency was updated since the latest cron tick (or will be)."""
        updated = NewlyUpdatedCondition().since(
            CronTickPassedCondition(cron_schedule=cron_schedule, cron_timezone=cron_timezone)
        )
        return AllDepsCondition(
            operand=updated | WillBeRequestedCondition(),
            label=f"all_deps_updated_since_cron({cron_schedule}, {cron_timezone})",
        )

    @staticmethod
    def all_deps_blocking_checks_passed() -> _DepsCondition:
        """True when every blocking check of every dependency passed."""
        checks = AllChecksCondition(
            operand=CheckResultCondition(passed=True),
            blocking_only=True,
            label="all_blocking_checks_passed",
        )
        return AllDepsCondition(operand=checks, label="all_deps_blocking_checks_passed")

    # -- ready-made policies ------------------------------------------------------------------

    @staticmethod
    def eager() -> AndAutomationCondition:
        """Materialize when missing or when a dependency updates, once dependencies are
        present and nothing is in progress."""
        trigger = AutomationCondition.newly_missing() | AutomationCondition.any_deps_updated()
        return AndAutomationCondition(
            operands=(
                InLatestTimeWindowCondition(),
                trigger.since_last_handled(),
                ~AutomationCondition.any_deps_missing(),
                ~AutomationCondition.any_deps_in_progress(),
                ~AutomationCondition.in_progress(),
            ),
            label="eager",
        )

    @staticmethod
    def on_cron(cron_schedule: str, cron_timezone: str = "UTC") -> AndAutomationCondition:
        """Materialize once per cron tick, after every dependency has updated since it."""
        tick = CronTickPassedCondition(cron_schedule=cron_schedule, cron_timezone=cron_timezone)
        return AndAutomationCondition(
            operands=(
                InLatestTimeWindowCondition(),
                tick.since_last_handled(),
                AutomationCondition.all_deps_updated_since_cron(cron_schedule, cron_timezone),
            ),
            label=f"on_cron({cron_schedule}, {cron_timezone})",
        )

    @staticmethod
    def on_missing() -> AndAutomationCondition:
        """Materialize a missing asset once its dependencies are present."""
        newly = MissingAutomationCondition().newly_true().since_last_handled()
        return AndAutomationCondition(
            operands=(
                InLatestTimeWindowCondition(),
                newly.with_label("missing_since_last_handled"),
                ~AutomationCondition.any_deps_missing(),
            ),
            label="on_missing",
        )


@dataclass(frozen=True)
class _Node(AutomationCondition):
    """The base of every condition node: a frozen value with an optional label."""

    label: str | None = field(default=None, kw_only=True)


def preview_warning(subject: str) -> None:
    """Warn that ``subject`` is in preview, as the reference does."""
    warnings.warn(
        f"{subject} is currently in preview, and may have breaking changes in patch version "
        "releases. This feature is not considered ready for production use.",
        PreviewWarning,
        stacklevel=3,
    )


def _short(condition: AutomationCondition) -> str:
    return condition.get_label() or condition.name


def _frozen_keys(keys: Set[str] | None) -> frozenset[str] | None:
    return None if keys is None else frozenset(keys)


def _frozen_values(values: Mapping[str, str] | None) -> tuple[tuple[str, str], ...] | None:
    return None if values is None else tuple(sorted(values.items()))


def _flat(
    condition: AutomationCondition, kind: type[AutomationCondition]
) -> tuple[AutomationCondition, ...]:
    if type(condition) is kind and condition.label is None:
        return tuple(condition.children)
    return (condition,)


def _handled() -> AutomationCondition:
    return (
        NewlyRequestedCondition() | NewlyUpdatedCondition() | InitialEvaluationCondition()
    ).with_label("handled")


# -- operands ------------------------------------------------------------------------------


def _operand(class_name: str, node_name: str, description: str = "") -> type[AutomationCondition]:
    """A leaf condition class with a fixed name (they hold no fields but the label)."""

    def name(self: AutomationCondition) -> str:
        return node_name

    def describe(self: AutomationCondition) -> str:
        return description

    cls = type(
        class_name,
        (_Node,),
        {"name": property(name), "description": property(describe), "__module__": __name__},
    )
    return dataclass(frozen=True)(cls)


MissingAutomationCondition = _operand("MissingAutomationCondition", "missing")
RunInProgressAutomationCondition = _operand("RunInProgressAutomationCondition", "run_in_progress")
BackfillInProgressAutomationCondition = _operand(
    "BackfillInProgressAutomationCondition", "backfill_in_progress"
)
ExecutionFailedAutomationCondition = _operand(
    "ExecutionFailedAutomationCondition", "execution_failed"
)
NewlyUpdatedCondition = _operand("NewlyUpdatedCondition", "newly_updated")
NewlyRequestedCondition = _operand("NewlyRequestedCondition", "newly_requested")
WillBeRequestedCondition = _operand(
    "WillBeRequestedCondition", "will_be_requested", "Will be requested this tick"
)
InitialEvaluationCondition = _operand("InitialEvaluationCondition", "initial_evaluation")
CodeVersionChangedCondition = _operand("CodeVersionChangedCondition", "code_version_changed")
DataVersionChangedCondition = _operand("DataVersionChangedCondition", "data_version_changed")
AnyDownstreamConditionsCondition = _operand(
    "AnyDownstreamConditionsCondition", "ANY_DOWNSTREAM_CONDITIONS", "Any downstream conditions"
)
LatestRunExecutedWithRootTargetCondition = _operand(
    "LatestRunExecutedWithRootTargetCondition", "executed_with_root_target"
)


@dataclass(frozen=True)
class InLatestTimeWindowCondition(_Node):
    """True for partitions in the latest time window (optionally looking back further)."""

    lookback_delta: timedelta | None = None

    @property
    def name(self) -> str:
        if self.lookback_delta:
            return f"in_latest_time_window(lookback_timedelta={self.lookback_delta})"
        return "in_latest_time_window"

    @property
    def description(self) -> str:
        if self.lookback_delta:
            return f"Within {self.lookback_delta} of the end of the latest time window"
        return "Within latest time window"


@dataclass(frozen=True)
class CronTickPassedCondition(_Node):
    """True when a tick of ``cron_schedule`` passed since the previous evaluation."""

    cron_schedule: str = ""
    cron_timezone: str = "UTC"

    @property
    def name(self) -> str:
        return (
            f"cron_tick_passed(cron_schedule={self.cron_schedule}, "
            f"cron_timezone={self.cron_timezone})"
        )


@dataclass(frozen=True)
class CheckResultCondition(_Node):
    """True for a check whose latest evaluation passed (or failed)."""

    passed: bool = True

    @property
    def name(self) -> str:
        return "check_passed" if self.passed else "check_failed"


@dataclass(frozen=True)
class FreshnessResultCondition(_Node):
    """True when the asset's freshness state is ``state`` (PASS, WARN or FAIL)."""

    state: str = "PASS"

    @property
    def name(self) -> str:
        return f"freshness_result(state=FreshnessState.{self.state})"


@dataclass(frozen=True)
class _RunTagsCondition(_Node):
    tag_keys: frozenset[str] | None = None
    tag_values: tuple[tuple[str, str], ...] | None = None
    _base_name = ""

    @property
    def name(self) -> str:
        props = []
        if self.tag_keys is not None:
            props.append("tag_keys={" + ",".join(sorted(self.tag_keys)) + "}")
        if self.tag_values is not None:
            props.append("tag_values={" + ",".join(f"{k}:{v}" for k, v in self.tag_values) + "}")
        return self._base_name + (f"({', '.join(props)})" if props else "")


@dataclass(frozen=True)
class LatestRunExecutedWithTagsCondition(_RunTagsCondition):
    """True when the latest run updating the asset had the given tags."""

    _base_name = "executed_with_tags"


@dataclass(frozen=True)
class AnyNewUpdateHasRunTagsCondition(_RunTagsCondition):
    """True when any new update came from a run with the given tags."""

    _base_name = "any_new_update_has_run_tags"


@dataclass(frozen=True)
class AllNewUpdatesHaveRunTagsCondition(_RunTagsCondition):
    """True when every new update came from a run with the given tags."""

    _base_name = "all_new_updates_have_run_tags"


# -- operators -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AndAutomationCondition(_Node):
    """True when every operand is true."""

    operands: tuple[AutomationCondition, ...] = ()

    @property
    def name(self) -> str:
        return "AND"

    @property
    def description(self) -> str:
        return "All of"

    @property
    def children(self) -> Sequence[AutomationCondition]:
        return self.operands

    def _with_children(self, children: Sequence[AutomationCondition]) -> AutomationCondition:
        return dataclasses.replace(self, operands=tuple(children))

    def without(self, condition: AutomationCondition) -> AndAutomationCondition:
        """A copy without the operand ``condition``.

        Raises:
            InvariantViolationError: ``condition`` is not an operand, or fewer than two
                operands would remain.
        """
        if condition not in self.operands:
            raise InvariantViolationError(
                f"{condition.get_label() or condition.name} is not an operand of "
                f"{self.get_label() or 'this AND condition'}; without() removes one of "
                "its direct operands"
            )
        rest = tuple(c for c in self.operands if c != condition)
        if len(rest) < 2:
            raise InvariantViolationError(
                "an AND condition needs at least two operands; use the remaining one directly"
            )
        return dataclasses.replace(self, operands=rest)


@dataclass(frozen=True)
class OrAutomationCondition(_Node):
    """True when any operand is true."""

    operands: tuple[AutomationCondition, ...] = ()

    @property
    def name(self) -> str:
        return "OR"

    @property
    def description(self) -> str:
        return "Any of"

    @property
    def children(self) -> Sequence[AutomationCondition]:
        return self.operands

    def _with_children(self, children: Sequence[AutomationCondition]) -> AutomationCondition:
        return dataclasses.replace(self, operands=tuple(children))


@dataclass(frozen=True)
class _UnaryCondition(_Node):
    operand: AutomationCondition = field(default_factory=MissingAutomationCondition)

    @property
    def children(self) -> Sequence[AutomationCondition]:
        return (self.operand,)

    def _with_children(self, children: Sequence[AutomationCondition]) -> AutomationCondition:
        return dataclasses.replace(self, operand=children[0])


@dataclass(frozen=True)
class NotAutomationCondition(_UnaryCondition):
    """True when the operand is false."""

    @property
    def name(self) -> str:
        return "NOT"

    @property
    def description(self) -> str:
        return "Not"


@dataclass(frozen=True)
class NewlyTrueCondition(_UnaryCondition):
    """True on the evaluation where the operand becomes true."""

    @property
    def name(self) -> str:
        return "NEWLY_TRUE"


@dataclass(frozen=True)
class _DepsCondition(_UnaryCondition):
    allow_selection: Any = None
    ignore_selection: Any = None
    _base_name = ""

    @property
    def name(self) -> str:
        props = []
        if self.allow_selection is not None:
            props.append(f"allow_selection={self.allow_selection}")
        if self.ignore_selection is not None:
            props.append(f"ignore_selection={self.ignore_selection}")
        return self._base_name + (f"({','.join(props)})" if props else "")

    def allow(self, selection: Any) -> AutomationCondition:
        """A copy that considers only the dependencies in ``selection``."""
        allowed = selection if self.allow_selection is None else selection | self.allow_selection
        return dataclasses.replace(self, allow_selection=allowed)

    def ignore(self, selection: Any) -> AutomationCondition:
        """A copy that ignores the dependencies in ``selection``."""
        ignored = selection if self.ignore_selection is None else selection | self.ignore_selection
        return dataclasses.replace(self, ignore_selection=ignored)


@dataclass(frozen=True)
class AnyDepsCondition(_DepsCondition):
    """True when the operand is true for any dependency."""

    _base_name = "ANY_DEPS_MATCH"


@dataclass(frozen=True)
class AllDepsCondition(_DepsCondition):
    """True when the operand is true for every dependency."""

    _base_name = "ALL_DEPS_MATCH"


@dataclass(frozen=True)
class EntityMatchesCondition(_UnaryCondition):
    """True when the operand is true for the asset ``key``."""

    # An AssetKey, or an AssetCheckKey when a check operator evaluates one of its checks.
    key: Any = field(default_factory=lambda: AssetKey("unset"))

    @property
    def name(self) -> str:
        return str(self.key.to_user_string())


@dataclass(frozen=True)
class AnyJobRootAssetsMatchCondition(_UnaryCondition):
    """True when the operand is true for any root asset of the job being run."""

    @property
    def name(self) -> str:
        return "ANY_JOB_ROOT_ASSETS_MATCH"


@dataclass(frozen=True)
class AllJobRootAssetsMatchCondition(_UnaryCondition):
    """True when the operand is true for every root asset of the job being run."""

    @property
    def name(self) -> str:
        return "ALL_JOB_ROOT_ASSETS_MATCH"


@dataclass(frozen=True)
class AllChecksCondition(_UnaryCondition):
    """True when the operand is true for every check of the asset."""

    blocking_only: bool = False

    @property
    def name(self) -> str:
        return (
            f"ALL_CHECKS_MATCH(blocking_only={self.blocking_only})"
            if self.blocking_only
            else "ALL_CHECKS_MATCH"
        )

    @property
    def children(self) -> Sequence[AutomationCondition]:
        # The reference shows check operators as leaves of the tree.
        return ()


@dataclass(frozen=True)
class AnyChecksCondition(AllChecksCondition):
    """True when the operand is true for any check of the asset."""

    @property
    def name(self) -> str:
        return (
            f"ANY_CHECKS_MATCH(blocking_only={self.blocking_only})"
            if self.blocking_only
            else "ANY_CHECKS_MATCH"
        )


@dataclass(frozen=True)
class SinceCondition(_Node):
    """True from when ``trigger_condition`` was last true until ``reset_condition`` is."""

    trigger_condition: AutomationCondition = field(default_factory=MissingAutomationCondition)
    reset_condition: AutomationCondition = field(default_factory=MissingAutomationCondition)

    @property
    def name(self) -> str:
        return "SINCE"

    @property
    def children(self) -> Sequence[AutomationCondition]:
        return (self.trigger_condition, self.reset_condition)

    def _with_children(self, children: Sequence[AutomationCondition]) -> AutomationCondition:
        return dataclasses.replace(self, trigger_condition=children[0], reset_condition=children[1])


def describe_tree(condition: AutomationCondition) -> dict[str, Any]:
    """The condition as nested dicts (class, name, label, children), for tools and the CLI."""
    return {
        "class": type(condition).__name__,
        "name": condition.name,
        "label": condition.get_label(),
        "children": [describe_tree(c) for c in condition.children],
    }
