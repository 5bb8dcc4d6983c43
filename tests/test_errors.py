"""The error classes whose constructors take the reference's parameters."""

from __future__ import annotations

import copy
import copyreg
import importlib.util
import io
import pickle
import subprocess
import sys
import traceback
import warnings
from collections.abc import Callable
from types import ModuleType, TracebackType

import pytest

import headwater
import headwater.compat
import headwater.errors
from headwater.errors import (
    ConfigMappingFunctionError,
    ConfigProblem,
    EventLogInvalidForRunError,
    Failure,
    InvalidConfigDefinitionError,
    InvalidConfigError,
    InvalidDefinitionError,
    PipesExecutionError,
    ResourceFunctionError,
    RetryRequested,
    RunNotFoundError,
    StepExecutionError,
    StepNotFoundError,
    StepOutputNotFoundError,
    SubprocessError,
    TypeCheckError,
    TypeCheckFailedError,
    UnknownResourceError,
    UnsupportedFeatureError,
    UserCodeExecutionError,
)
from headwater.events import ErrorInfo
from headwater.partitions.definition import UnknownPartitionError


def test_config_definition_error_names_the_root_the_path_the_part_and_the_reason() -> None:
    error = InvalidConfigDefinitionError({"a": {"b": set}}, set, ["a", "b"], reason="no sets")
    assert str(error) == (
        "config schema {'a': {'b': <class 'set'>}}, field \"a.b\": <class 'set'> cannot be "
        "resolved: no sets"
    )
    assert error.original_root == {"a": {"b": set}}
    assert error.current_value is set
    assert error.stack == ["a", "b"]
    assert error.reason == "no sets"
    assert error.where is None


def test_config_definition_error_without_reason_names_the_schema_forms() -> None:
    error = InvalidConfigDefinitionError(3, 3, [])
    assert str(error).startswith("3 cannot be resolved: it is not a config schema; use a type")


def test_config_definition_error_refuses_keywords_as_the_reference_does() -> None:
    with pytest.raises(TypeError, match="takes no other keyword arguments; got extra"):
        InvalidConfigDefinitionError(1, 2, [], extra=True)
    with pytest.raises(TypeError, match="current_value"):
        InvalidConfigDefinitionError("a message alone")  # type: ignore[call-arg]


def test_config_definition_error_in_schema_of_starts_with_its_owner() -> None:
    error = InvalidConfigDefinitionError.in_schema_of("op 'load'", {"a": 3}, 3, ["a"])
    assert str(error).startswith("op 'load': config schema {'a': 3}, field \"a\": 3 cannot")
    assert error.where == "op 'load'"


def test_config_definition_error_pickles_with_its_parameters() -> None:
    error = InvalidConfigDefinitionError.in_schema_of("Shape", {"a": 3}, 3, ["a"], "bad")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.original_root, copy.current_value, copy.stack, copy.reason, copy.where) == (
        {"a": 3},
        3,
        ["a"],
        "bad",
        "Shape",
    )
    assert str(copy) == str(error)


def test_unknown_resource_error_is_built_from_the_key() -> None:
    error = UnknownResourceError("db")
    assert error.resource_name == "db"
    assert error.available is None
    assert str(error) == (
        "unknown resource 'db'. Declare 'db' in required_resource_keys (or as a resource "
        "parameter) and bind it in the job's resource_defs"
    )
    assert isinstance(error, AttributeError)


def test_unknown_resource_error_keeps_further_arguments_after_the_message() -> None:
    error = UnknownResourceError("db", "extra", 3)
    assert error.args[1:] == ("extra", 3)
    assert error.args[0].startswith("unknown resource 'db'")


def test_unknown_resource_error_needs_a_str_key() -> None:
    with pytest.raises(TypeError, match="resource_name must be the resource key, a str; got int"):
        UnknownResourceError(3)  # type: ignore[arg-type]


def test_unknown_resource_error_among_lists_what_is_available() -> None:
    error = UnknownResourceError.among("nope", ["db", "cache"])
    assert error.available == ("db", "cache")
    assert "available resources: 'db', 'cache'" in str(error)
    assert "available resources: none" in str(UnknownResourceError.among("x", []))


def test_unknown_resource_error_pickles_with_its_key() -> None:
    error = UnknownResourceError.among("nope", ["db"])
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.resource_name, copy.available, str(copy)) == ("nope", ("db",), str(error))


@pytest.mark.parametrize("name", headwater.errors.__all__)
def test_every_error_is_named_by_the_module_users_import_it_from(name: str) -> None:
    # The classes are written in private modules; pickles (a step process's failure) and
    # tracebacks name the public path, so the layout can change without breaking either.
    value = getattr(headwater.errors, name)
    assert value.__module__ == "headwater.errors"
    assert pickle.loads(pickle.dumps(value)) is value


def test_an_error_pickles_and_prints_under_its_public_path() -> None:
    error = TypeCheckFailedError("not an int", {"rows": 1})
    data = pickle.dumps(error)
    assert b"headwater.errors._" not in data
    copy = pickle.loads(data)
    assert type(copy) is TypeCheckFailedError
    assert (str(copy), copy.metadata) == ("not an int", {"rows": 1})
    assert traceback.format_exception_only(InvalidDefinitionError("bad wiring")) == [
        "headwater.errors.InvalidDefinitionError: bad wiring\n"
    ]


def test_importing_the_errors_loads_no_other_layer() -> None:
    # Every layer imports the error tree: it must stay as light as the root package allows.
    code = (
        "import sys, headwater.errors; "
        "print(*(m for m in sys.modules if m.startswith('headwater')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(out.stdout.split())
    assert {m for m in loaded if not m.startswith("headwater.errors.")} == {
        "headwater",
        "headwater._dataclass",  # the one layer below the errors
        "headwater._lazy",
        "headwater.errors",
    }


def _exported_exception_classes() -> dict[type[BaseException], str]:
    """Every exception class users can import: from `headwater.errors`, the root package
    (Dagster spellings included) and `headwater.compat`; each with the name it is found by."""
    found: dict[type[BaseException], str] = {}
    modules: list[tuple[ModuleType, list[str]]] = [
        (headwater.errors, headwater.errors.__all__),
        (headwater, headwater.__all__),
        (headwater.compat, headwater.compat.__all__),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # some root names warn when read (superseded API)
        for module, names in modules:
            for name in names:
                value = getattr(module, name)
                if isinstance(value, type) and issubclass(value, BaseException):
                    found.setdefault(value, f"{module.__name__}.{name}")
    return found


def _wrapping_user_code(cls: type[UserCodeExecutionError], **keywords: str) -> BaseException:
    """`cls` as headwater raises it: wrapping a user exception, caught with its traceback."""
    try:
        raise ValueError("user code failed")
    except ValueError as raised:
        error = cls(
            "op 'load' raised", user_exception=raised, original_exc_info=sys.exc_info(), **keywords
        )
        error.__cause__ = raised
        return error


# One representative instance of each exported class whose constructor headwater wrote
# (any other is built from a message). Built with everything its constructor can keep.
EXAMPLES: dict[type[BaseException], Callable[[], BaseException]] = {
    InvalidConfigError: lambda: InvalidConfigError.for_problems(
        [ConfigProblem("ops.load.config.port", "expected int", "wrong_type")],
        config_value={"ops": {"load": {"config": {"port": "x"}}}},
    ),
    InvalidConfigDefinitionError: lambda: InvalidConfigDefinitionError.in_schema_of(
        "op 'load'", {"a": 3}, 3, ["a"], "no ints"
    ),
    UnsupportedFeatureError: lambda: UnsupportedFeatureError(
        "Component", "Dagster's YAML components system", "define assets in Python"
    ),
    UnknownResourceError: lambda: UnknownResourceError.among("db", ["cache"]),
    UserCodeExecutionError: lambda: _wrapping_user_code(UserCodeExecutionError),
    ResourceFunctionError: lambda: _wrapping_user_code(ResourceFunctionError),
    ConfigMappingFunctionError: lambda: _wrapping_user_code(ConfigMappingFunctionError),
    TypeCheckError: lambda: _wrapping_user_code(TypeCheckError),
    StepExecutionError: lambda: _wrapping_user_code(
        StepExecutionError, step_key="load", op_name="load", op_def_name="load_table"
    ),
    PipesExecutionError: lambda: PipesExecutionError("external process exited with code 2"),
    RunNotFoundError: lambda: RunNotFoundError("no run 'abc'", invalid_run_id="abc"),
    StepOutputNotFoundError: lambda: StepOutputNotFoundError(
        "no output 'result'", step_key="load", output_name="result"
    ),
    StepNotFoundError: lambda: StepNotFoundError("no step 'x'", step_keys=["x", "y"]),
    SubprocessError: lambda: SubprocessError(
        "a step process failed",
        subprocess_error_infos=[ErrorInfo.from_exception(ValueError("in the child"))],
    ),
    EventLogInvalidForRunError: lambda: EventLogInvalidForRunError("abc"),
    TypeCheckFailedError: lambda: TypeCheckFailedError("not an int", {"rows": 1}),
    Failure: lambda: Failure("upstream table is empty", {"rows": 0}, allow_retries=False),
    RetryRequested: lambda: RetryRequested(max_retries=3, seconds_to_wait=2.5),
    UnknownPartitionError: lambda: UnknownPartitionError.build(
        "2024-13-01", "daily partitions", ["2024-12-01"]
    ),
}


def _same(original: object, copied: object) -> bool:
    """Equal, where exceptions (which compare by identity) compare by class, args and
    attributes; a traceback (which cannot be pickled) is expected to come back as None."""
    if isinstance(original, TracebackType):
        return copied is None
    if isinstance(original, BaseException):
        return (
            type(copied) is type(original)
            and _same(original.args, copied.args)
            and _same(vars(original), vars(copied))
        )
    if isinstance(original, (list, tuple)):
        return (
            type(copied) is type(original)
            and len(copied) == len(original)
            and all(_same(a, b) for a, b in zip(original, copied, strict=True))
        )
    if isinstance(original, dict):
        return (
            isinstance(copied, dict)
            and copied.keys() == original.keys()
            and all(_same(original[k], copied[k]) for k in original)
        )
    return original == copied


def _public_attributes(error: BaseException) -> dict[str, object]:
    # `hasattr`: some are unset until written (OSError's characters_written).
    names = [n for n in dir(error) if not n.startswith("_") and hasattr(error, n)]
    return {n: getattr(error, n) for n in names if not callable(getattr(error, n))}


def _pickle_routes(cls: type[BaseException]) -> dict[str, Callable[[BaseException], bytes]]:
    """The ways an error is pickled: plainly, and (when tblib is installed) as Dask sends
    it, through tblib's reducer, which Dask installs for every exception class. The latter
    is applied to `cls` in one pickler only, so other tests see no global change."""
    routes: dict[str, Callable[[BaseException], bytes]] = {"pickle": pickle.dumps}
    if importlib.util.find_spec("tblib") is not None:
        from tblib.pickling_support import pickle_exception  # type: ignore[import-untyped]

        def through_tblib(error: BaseException) -> bytes:
            buffer = io.BytesIO()
            pickler = pickle.Pickler(buffer)
            pickler.dispatch_table = {**copyreg.dispatch_table, cls: pickle_exception}
            pickler.dump(error)
            return buffer.getvalue()

        routes["tblib, as Dask pickles it"] = through_tblib
    return routes


@pytest.mark.parametrize(
    "cls", list(_exported_exception_classes()), ids=lambda cls: cls.__qualname__
)
def test_every_exported_error_survives_pickling(cls: type[BaseException]) -> None:
    # Errors cross processes (Dask workers, multiprocessing, pytest-xdist, user code that
    # pickles them): the copy must be the same class, with the same message and attributes.
    where = _exported_exception_classes()[cls]
    own_constructor = any(
        "__init__" in vars(k) for k in cls.__mro__ if k.__module__.startswith("headwater")
    )
    if cls in EXAMPLES:
        error = EXAMPLES[cls]()
    elif own_constructor:
        pytest.fail(
            f"{where} has its own constructor: add an instance built with representative "
            "arguments (all it can keep) to EXAMPLES in tests/test_errors.py"
        )
    else:
        error = cls("a message")
    assert type(error) is cls, f"EXAMPLES builds a {type(error).__name__}, not a {where}"
    # What add_note (3.11+) sets; said directly so that the test reads alike on 3.10.
    setattr(error, "__notes__", ["a note added while it propagated"])  # noqa: B010

    fix = (
        f"{where} does not survive pickling: give it a __reduce__ that rebuilds it from its "
        "constructor's parameters, `return rebuilt_by_calling(self, <its parameters>)` "
        "(headwater.errors._base; see UnknownResourceError.__reduce__)"
    )
    for route, dumps in _pickle_routes(cls).items():
        try:
            data = dumps(error)
            copied = pickle.loads(data)
        except Exception as exc:
            pytest.fail(f"{fix}. Pickling ({route}) raised {type(exc).__name__}: {exc}")
        assert type(copied) is cls, f"{fix} ({route})"
        assert str(copied) == str(error), f"{fix} ({route})"
        assert _same(error, copied), f"{fix} ({route})"
        assert _same(_public_attributes(error), _public_attributes(copied)), f"{fix} ({route})"
        assert _same(error.__cause__, copied.__cause__), route
        assert b"headwater.errors._" not in data  # the public path, as the class pickles
    assert _same(error, copy.copy(error))  # copy uses the same protocol


def test_user_code_error_keeps_its_user_exception_as_its_cause_across_pickling() -> None:
    error = EXAMPLES[StepExecutionError]()
    assert isinstance(error, StepExecutionError)
    copied = pickle.loads(pickle.dumps(error))
    assert copied.__cause__ is copied.user_exception
    assert copied.original_exc_info == (ValueError, copied.user_exception, None)
    assert (copied.step_key, copied.op_name, copied.op_def_name) == (
        "load",
        "load",
        "load_table",
    )
