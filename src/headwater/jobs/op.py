"""Ops: the unit of computation, a Python function with inputs, outputs, config and resources."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Mapping, Sequence
from types import FunctionType
from typing import Any, overload

from headwater._dataclass import dataclass
from headwater._warnings import config_argument_warning, deprecated_param_warning
from headwater.config import is_config_class, normalize_schema
from headwater.config.mapping import Mapped
from headwater.config.types import ConfigType
from headwater.errors import InvalidDefinitionError
from headwater.jobs._params import parameters
from headwater.jobs.io import DEFAULT_OUTPUT, In, Nothing, NoValue, Out
from headwater.jobs.node import NodeDefinition, check_valid_name
from headwater.jobs.retry import RetryPolicy
from headwater.resources import is_resource_annotation

__all__ = ["OpDefinition", "op"]

_EMPTY = inspect.Parameter.empty
_VAR_POSITIONAL = inspect.Parameter.VAR_POSITIONAL
_VAR_KEYWORD = inspect.Parameter.VAR_KEYWORD
_CO_GENERATOR = inspect.CO_GENERATOR
_NO_RESOURCES: frozenset[str] = frozenset()
_CONTEXT_NAMES = frozenset({"context", "_context", "context_", "_", "ctx"})


@dataclass(frozen=True, slots=True)
class ComputeSignature:
    """How to call an op's function, worked out once from its signature."""

    has_context: bool
    input_params: tuple[str, ...]
    config_param: str | None
    config_class: Any
    resource_params: Mapping[str, str]  # parameter name -> resource key
    defaults: Mapping[str, Any]  # input parameter -> its Python default, when it has one
    hints: Mapping[str, Any]  # input parameter -> its annotation, when it has one
    takes_any_input: bool = False  # `**inputs`: inputs declared in ins= arrive by keyword


def _type_hints(fn: Callable[..., Any]) -> dict[str, Any]:
    if type(fn) is FunctionType and not fn.__annotations__:  # nothing to resolve
        return {}
    try:
        return typing.get_type_hints(fn, include_extras=True)
    except Exception:
        return dict(getattr(fn, "__annotations__", {}))


def _is_context_annotation(annotation: Any) -> bool:
    name = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
    return isinstance(name, str) and name.endswith("ExecutionContext")


def analyze_compute_fn(fn: Callable[..., Any], *, op_name: str) -> ComputeSignature:
    """Sort an op function's parameters into context, inputs, config and resources."""
    hints = _type_hints(fn)
    params = []
    takes_any_input = False
    for p in parameters(fn):
        if p.kind is _VAR_POSITIONAL:
            raise InvalidDefinitionError(
                f"op '{op_name}' takes *{p.name}; op functions need named parameters "
                "(or **kwargs) so that headwater can pass inputs, config and resources by name"
            )
        if p.kind is _VAR_KEYWORD:
            takes_any_input = True
        else:
            params.append(p)
    has_context = bool(params) and (
        params[0].name in _CONTEXT_NAMES
        or _is_context_annotation(hints.get(params[0].name, params[0].annotation))
    )
    inputs: list[str] = []
    config_param: str | None = None
    config_class: Any = None
    resources: dict[str, str] = {}
    # Filled as the inputs are found, in their order (one pass: @asset analyses every
    # function of a module of thousands).
    defaults: dict[str, Any] = {}
    input_hints: dict[str, Any] = {}
    for p in params[1 if has_context else 0 :]:
        name = p.name
        annotation = hints.get(name)
        # Resources first: a ConfigurableResource is also a Config subclass.
        if annotation is not None and is_resource_annotation(annotation):
            resources[name] = name
        elif annotation is not None and is_config_class(annotation):
            config_param, config_class = name, annotation
            if name != "config":
                # The reference reads such a parameter as an input, and warns; headwater
                # gives it the config, and warns the same way.
                config_argument_warning(name, op_name)
        else:
            inputs.append(name)
            if p.default is not _EMPTY:
                defaults[name] = p.default
            if name in hints:
                input_hints[name] = hints[name]
    return ComputeSignature(
        has_context=has_context,
        input_params=tuple(inputs),
        config_param=config_param,
        config_class=config_class,
        resource_params=resources,
        defaults=defaults,
        hints=input_hints,
        takes_any_input=takes_any_input,
    )


def doc_of(fn: Callable[..., Any]) -> str | None:
    """The function's docstring, cleaned (cheaper than ``inspect.getdoc``'s class search)."""
    doc = getattr(fn, "__doc__", None)
    return inspect.cleandoc(doc) if doc else None


def _input_defs(sig: ComputeSignature, ins: Mapping[str, In] | None, name: str) -> dict[str, In]:
    declared = dict(ins or {})
    result: dict[str, In] = {}
    for pname in sig.input_params:
        given = declared.pop(pname, None)
        if given is None:
            given = In(
                sig.hints.get(pname, NoValue), default_value=sig.defaults.get(pname, NoValue)
            )
        elif not given.has_default and pname in sig.defaults:
            given = In(
                NoValue if given.dagster_type is None else given.dagster_type,
                given.description,
                sig.defaults[pname],
                given.metadata,
                asset_key=given.asset_key,
                asset_partitions=given.asset_partitions,
                input_manager_key=given.input_manager_key,
            )
        result[pname] = given
    for extra, in_def in declared.items():
        if not in_def.is_nothing and not sig.takes_any_input:
            raise InvalidDefinitionError(
                f"op '{name}' declares input '{extra}' in ins= but its function has no "
                f"parameter '{extra}'; add the parameter or declare it In(Nothing)"
            )
        result[extra] = in_def
    return result


def _output_defs(
    out: Out | Mapping[str, Out] | None, fn: Callable[..., Any] | None = None
) -> dict[str, Out]:
    if out is None:
        # `-> None` declares that the op passes no value on: its output is Nothing, as in
        # the reference (no IO manager stores it).
        if fn is not None and returns_none(fn):
            return {DEFAULT_OUTPUT: Out(Nothing)}
        return {DEFAULT_OUTPUT: Out()}
    if isinstance(out, Out):
        return {DEFAULT_OUTPUT: out}
    return dict(out)


def returns_none(fn: Callable[..., Any]) -> bool:
    """Whether ``fn`` is annotated ``-> None`` (its output passes no value on)."""
    annotation = getattr(fn, "__annotations__", {}).get("return", _EMPTY)
    if annotation is None or annotation == "None":
        return True
    return annotation is type(None)


class OpDefinition(NodeDefinition):
    """An op: a function, plus what it needs (inputs, config, resources) and produces.

    Build one with :func:`op`. Calling it inside a graph body wires it into the graph;
    calling it elsewhere runs the function directly (for tests).
    """

    def __init__(
        self,
        compute_fn: Callable[..., Any],
        name: str,
        ins: Mapping[str, In] | None = None,
        outs: Mapping[str, Out] | None = None,
        description: str | None = None,
        config_schema: Any = None,
        required_resource_keys: Sequence[str] | set[str] | frozenset[str] | None = None,
        tags: Mapping[str, str] | None = None,
        version: str | None = None,
        retry_policy: RetryPolicy | None = None,
        code_version: str | None = None,
        pool: str | None = None,
    ) -> None:
        self._setup(
            compute_fn,
            analyze_compute_fn(compute_fn, op_name=name),
            name=name,
            ins=ins,
            outs=outs,
            description=description,
            config_schema=config_schema,
            required_resource_keys=required_resource_keys,
            tags=tags,
            version=code_version or version,
            retry_policy=retry_policy,
            pool=pool,
        )

    @classmethod
    def _analysed(
        cls, compute_fn: Callable[..., Any], signature: ComputeSignature, **options: Any
    ) -> OpDefinition:
        """An op whose function the caller analysed already (``@asset``): a module of
        thousands of assets pays for every ``inspect.signature`` call."""
        made = cls.__new__(cls)
        made._setup(compute_fn, signature, **options)
        return made

    def _setup(
        self,
        compute_fn: Callable[..., Any],
        sig: ComputeSignature,
        *,
        name: str,
        ins: Mapping[str, In] | None = None,
        outs: Mapping[str, Out] | None = None,
        description: str | None = None,
        config_schema: Any = None,
        required_resource_keys: Sequence[str] | set[str] | frozenset[str] | None = None,
        tags: Mapping[str, str] | None = None,
        version: str | None = None,
        retry_policy: RetryPolicy | None = None,
        pool: str | None = None,
    ) -> None:
        super().__init__(
            name=name,
            input_defs=_input_defs(sig, ins, name),
            # NodeDefinition copies both mappings: no copy of its own here.
            output_defs=outs if outs is not None else {DEFAULT_OUTPUT: Out()},
            description=description or doc_of(compute_fn),
            tags=tags,
        )
        if sig.config_class is not None and config_schema is not None:
            raise InvalidDefinitionError(
                f"op '{name}' has both config_schema= and a Config parameter "
                f"'{sig.config_param}'; use one of them"
            )
        self.compute_fn = compute_fn
        self.signature = sig
        self.config_class = sig.config_class
        self.config_type: ConfigType | None = self._config_type(config_schema, name)
        needed = [*(required_resource_keys or ()), *sig.resource_params.values()]
        # Most ops need none: they share one empty frozenset (a module of thousands of
        # assets would keep one each, for the garbage collector to walk).
        self.required_resource_keys = frozenset(needed) if needed else _NO_RESOURCES
        self.retry_policy = retry_policy
        self.version = version
        self.pool = pool
        self.is_generator = (
            bool(compute_fn.__code__.co_flags & _CO_GENERATOR)  # a plain function: its flag
            if type(compute_fn) is FunctionType
            else inspect.isgeneratorfunction(compute_fn)
        )

    def _config_type(self, config_schema: Any, name: str) -> ConfigType | None:
        if self.config_class is not None:
            from headwater.config.pythonic import config_type_from_model  # pydantic: deferred

            return config_type_from_model(self.config_class, where=f"op '{name}'")
        if config_schema is None:
            return None
        return normalize_schema(config_schema, where=f"op '{name}'")

    @property
    def config_schema(self) -> ConfigType | None:
        """The op's config schema as a normalized node (``None`` when it has none)."""
        return self.config_type

    @property
    def ins(self) -> Mapping[str, In]:
        """The op's inputs, by name."""
        return self.input_defs

    @property
    def outs(self) -> Mapping[str, Out]:
        """The op's outputs, by name."""
        return self.output_defs

    @property
    def code_version(self) -> str | None:
        """The op's version string, if given."""
        return self.version

    def configured(
        self,
        config_or_config_fn: Any,
        name: str,
        config_schema: Any = None,
        description: str | None = None,
    ) -> OpDefinition:
        """A copy of this op, named ``name``, whose config is fixed or derived.

        Args:
            config_or_config_fn: the config to use (the copy then takes none), or a function
                from the copy's config (validated against ``config_schema``) to this op's.
            name: the copy's name; required, since two ops in a job cannot share one.
            config_schema: the copy's schema when a function is given.
            description: the copy's description (default: this op's).

        Raises:
            InvalidDefinitionError: no ``name`` was given.
        """
        if not name:
            raise InvalidDefinitionError(
                f"op '{self.name}'.configured(...) needs name=: the configured copy is a "
                "second op and cannot share the original's name"
            )
        where = f"op '{name}'"
        if callable(config_or_config_fn):
            fn = config_or_config_fn
            outer = normalize_schema(config_schema, where=where)
        else:
            fixed = config_or_config_fn

            def fn(_: Any) -> Any:
                return fixed

            outer = normalize_schema(None, where=where)
        copy = object.__new__(type(self))
        copy.__dict__.update(self.__dict__)
        copy.name = check_valid_name(name, kind="node")
        copy.description = description if description is not None else self.description
        inner = (
            self.config_type
            if self.config_type is not None
            else normalize_schema(None, where=where)
        )
        copy.config_type = Mapped(outer, fn, inner, where)
        return copy

    def invoke_directly(self, *args: Any, **kwargs: Any) -> Any:
        """Run the op's function now, outside any job: ``my_op(build_op_context(), 1)``."""
        # Deferred: direct invocation needs the execution machinery, which a module that
        # only defines ops should not pay for at import time.
        from headwater.execution.invocation import invoke_op

        return invoke_op(self, args, kwargs)


@overload
def op(compute_fn: Callable[..., Any]) -> OpDefinition: ...


@overload
def op(
    compute_fn: None = None,
    *,
    name: str | None = None,
    description: str | None = None,
    ins: Mapping[str, In] | None = None,
    out: Out | Mapping[str, Out] | None = None,
    config_schema: Any = None,
    required_resource_keys: Sequence[str] | set[str] | frozenset[str] | None = None,
    tags: Mapping[str, str] | None = None,
    version: str | None = None,
    retry_policy: RetryPolicy | None = None,
    code_version: str | None = None,
    pool: str | None = None,
) -> Callable[[Callable[..., Any]], OpDefinition]: ...


def op(
    compute_fn: Callable[..., Any] | None = None,
    *,
    name: str | None = None,
    description: str | None = None,
    ins: Mapping[str, In] | None = None,
    out: Out | Mapping[str, Out] | None = None,
    config_schema: Any = None,
    required_resource_keys: Sequence[str] | set[str] | frozenset[str] | None = None,
    tags: Mapping[str, str] | None = None,
    version: str | None = None,
    retry_policy: RetryPolicy | None = None,
    code_version: str | None = None,
    pool: str | None = None,
) -> OpDefinition | Callable[[Callable[..., Any]], OpDefinition]:
    """Turn a function into an op.

    Parameters of the function are, in order: an optional ``context`` first, then inputs;
    a parameter annotated with a ``Config`` subclass receives the op's config, and one
    annotated with a ``ConfigurableResource`` (or ``ResourceParam[T]``) receives that
    resource, keyed by the parameter's name.

    Args:
        name: the op's name (defaults to the function's).
        description: shown in the UI (defaults to the docstring).
        ins: extra facts about inputs, or ``In(Nothing)`` ordering dependencies.
        out: one ``Out`` or a dict of named ``Out`` for several outputs.
        config_schema: the schema of ``context.op_config``.
        required_resource_keys: resources read as ``context.resources.<key>``.
        tags: string tags.
        version: a code version (``code_version`` is the same).
        retry_policy: how a failure is retried.
        pool: the concurrency pool the op's steps draw from.

    Returns:
        An ``OpDefinition``.

    Example:
        ``@op(config_schema={"n": int}, required_resource_keys={"db"})``
        ``def load(context): return context.resources.db.fetch(context.op_config["n"])``
    """

    if version is not None:
        deprecated_param_warning(
            "version", "function `op`", breaking_version="2.0", hint="Use `code_version` instead"
        )

    def build(fn: Callable[..., Any]) -> OpDefinition:
        return OpDefinition(
            fn,
            name=name or fn.__name__,
            ins=ins,
            outs=_output_defs(out, fn),
            config_schema=config_schema,
            required_resource_keys=required_resource_keys,
            description=description,
            tags=tags,
            retry_policy=retry_policy,
            version=version or code_version,
            pool=pool,
        )

    if compute_fn is not None:
        return build(compute_fn)
    return build
