"""``AssetCheckExecutionContext``: what an ``@asset_check`` function's ``context`` is."""

from __future__ import annotations

import inspect
import typing
from typing import TYPE_CHECKING, Any

from headwater.execution.context import OpExecutionContext

if TYPE_CHECKING:
    from headwater.jobs.op import OpDefinition

__all__ = [
    "AssetCheckExecutionContext",
    "DirectAssetCheckExecutionContext",
    "context_for_check",
]


class AssetCheckExecutionContext:
    """The context of a step that evaluates asset checks.

    It offers what a check needs (log, resources, the run, the checks being evaluated and
    partitions); everything else an op's context has is at ``op_execution_context``.
    """

    def __init__(self, op_execution_context: OpExecutionContext) -> None:
        self._op = op_execution_context

    @property
    def op_execution_context(self) -> OpExecutionContext:
        """The underlying op context (``op_config``, tags, ...)."""
        return self._op

    @property
    def log(self) -> Any:
        """A logger whose records become run events."""
        return self._op.log

    @property
    def resources(self) -> Any:
        """The resources the check declared."""
        return self._op.resources

    @property
    def run(self) -> Any:
        """The run being executed."""
        return self._op.run

    @property
    def instance(self) -> Any:
        """The instance the run is recorded in."""
        return self._op.instance

    @property
    def job_def(self) -> Any:
        """The job being run."""
        return self._op.job_def

    @property
    def op_def(self) -> Any:
        """The op evaluating the checks."""
        return self._op.op_def

    @property
    def retry_number(self) -> int:
        """0 on the first attempt, then 1, 2 ..."""
        return self._op.retry_number

    @property
    def selected_asset_check_keys(self) -> set[Any]:
        """The keys of the checks this step evaluates."""
        return self._op.selected_asset_check_keys

    @property
    def check_specs(self) -> list[Any]:
        """The specs of the checks this step evaluates."""
        layer = self._op.job_def.asset_layer if self._op.job_def is not None else None
        check = layer.check_def_by_node.get(self._op.step_key.rsplit(".", 1)[-1]) if layer else None
        if check is None:
            return []
        selected = self.selected_asset_check_keys
        return [s for s in check.check_specs if s.key in selected]

    @property
    def has_partition_key(self) -> bool:
        """Whether the run targets one partition."""
        return self._op.has_partition_key

    @property
    def partition_key(self) -> str:
        """The partition the run targets."""
        return self._op.partition_key

    @property
    def has_partition_key_range(self) -> bool:
        """Whether the run targets a range of partitions."""
        return self._op.has_partition_key_range

    @property
    def partition_key_range(self) -> Any:
        """The range of partitions the run targets."""
        return self._op.partition_key_range

    def get_step_execution_context(self) -> Any:
        """The step the checks run in (see ``OpExecutionContext``)."""
        return self._op.get_step_execution_context()

    def __repr__(self) -> str:
        return f"<AssetCheckExecutionContext {self._op.step_key!r}>"


class DirectAssetCheckExecutionContext(AssetCheckExecutionContext):
    """A check context built for calling a check directly (``build_asset_check_context``);
    its resources live until it is closed (``with build_asset_check_context(...) as c:``).
    """

    def close(self) -> None:
        """Tear down the resources built for this context."""
        self._op.close()  # type: ignore[attr-defined]  # a DirectOpContext

    def __enter__(self) -> DirectAssetCheckExecutionContext:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _wants_op_context(op_def: OpDefinition) -> bool:
    fn = op_def.compute_fn
    params = list(inspect.signature(fn).parameters.values())
    if not params:
        return False
    try:
        hint = typing.get_type_hints(fn).get(params[0].name)
    except Exception:  # an annotation naming what is not importable here: no preference
        hint = None
    return isinstance(hint, type) and issubclass(hint, OpExecutionContext)


def context_for_check(op_def: OpDefinition, context: OpExecutionContext) -> Any:
    """What a check step's function receives: an ``AssetCheckExecutionContext``, or the op
    context itself when the function's context parameter is annotated with it."""
    return context if _wants_op_context(op_def) else AssetCheckExecutionContext(context)
