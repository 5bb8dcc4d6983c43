"""Every error headwater raises on purpose.

The tree (catch the root, ``HeadwaterError``, not ``Exception``)::

    HeadwaterError
    ├── InvalidConfigError (ValueError)           run config failed validation; ``.problems``
    ├── InvalidDefinitionError (ValueError)       an op/graph/job/resource is wired wrongly
    │   ├── InvalidConfigDefinitionError (TypeError)  a config *schema* is malformed
    │   └── InvalidSubsetError                    an op selection names no op of the job
    ├── InvariantViolationError (RuntimeError)    an API was used in a state it does not allow
    ├── InvalidInvocationError (TypeError)        a definition was called with wrong arguments
    ├── UnknownResourceError (AttributeError)     ``context.resources.x`` where x is absent
    ├── UserCodeExecutionError                    user code raised; ``__cause__`` is the original
    │   ├── ResourceFunctionError                 ... while initializing a resource
    │   ├── ConfigMappingFunctionError            ... while mapping config (``configured``)
    │   └── StepExecutionError                    ... while computing a step
    │       └── PipesExecutionError               an external process run through Pipes failed
    ├── RunNotFoundError (LookupError)            no run with that id in the instance
    ├── CodeLoadError (LookupError)               code or a file named by the user would not load
    ├── MissingValueError (KeyError,              an IO manager holds no value for an input yet
    │       FileNotFoundError)
    ├── InvalidMetadataError (TypeError)          a metadata value of a type that cannot be recorded
    ├── TypeCheckFailedError                      a value failed its input's or output's type check
    ├── AssetCheckFailedError                     a blocking asset check failed: its step fails
    ├── InstanceError                             the instance's home or headwater.yaml is unusable
    │   └── StorageError                          its database is unreachable, corrupt, foreign,
    │                                             or at another schema version
    ├── StepOutputNotFoundError                   an op did not produce a required output
    ├── StepNotFoundError                         step keys asked for are not in the plan
    ├── UnmetExecutorRequirementsError            the executor needs what the run lacks (an
    │                                             instance other processes reach)
    ├── SubprocessError                           child processes running steps failed
    ├── EventLogInvalidForRunError                a past run's stored events are malformed
    ├── UnsupportedFeatureError (NotImplementedError)  a Dagster name outside headwater's
    │                                             concepts was used (YAML components, ...)
    ├── AliasConflictError (ImportError)          the Dagster alias would shadow a real ``dagster``
    ├── Failure                                   raised *by* user code: fail the step on purpose
    └── RetryRequested                            raised *by* user code: retry the step

    ExecutionInterruptedError (BaseException)     the run was interrupted (like KeyboardInterrupt,
                                                  not caught by ``except Exception``);
                                                  ``raise_execution_interrupts()`` turns Ctrl-C
                                                  into it

The Dagster spellings (``DagsterInvalidConfigError`` ...) live in ``headwater.compat``.
This package imports nothing else from headwater: every other layer may import it.

Import every error from here. The classes are written in private modules, one group each:
``_base`` (the root), ``_definition`` (definitions and calls), ``_config``, ``_resources``,
``_user_code`` (what user code raised or raises), ``_run`` (what ends a run or a step) and
``_storage`` (the instance, stored runs, values and code); each class says it belongs here.
"""

from __future__ import annotations

from headwater.errors._base import HeadwaterError
from headwater.errors._config import (
    SCHEMA_FORMS as SCHEMA_FORMS,
    ConfigProblem,
    InvalidConfigDefinitionError,
    InvalidConfigError,
)
from headwater.errors._definition import (
    AliasConflictError,
    InvalidDefinitionError,
    InvalidInvocationError,
    InvalidMetadataError,
    InvalidSubsetError,
    InvariantViolationError,
    UnsupportedFeatureError,
)
from headwater.errors._resources import ResourceFunctionError, UnknownResourceError
from headwater.errors._run import (
    AssetCheckFailedError,
    ExecutionInterruptedError,
    InvalidObservationError,
    StepNotFoundError,
    StepOutputNotFoundError,
    SubprocessError,
    TypeCheckFailedError,
    UnmetExecutorRequirementsError,
    raise_execution_interrupts,
)
from headwater.errors._storage import (
    CodeLoadError,
    EventLogInvalidForRunError,
    InstanceError,
    MissingValueError,
    RunNotFoundError,
    StorageError,
)
from headwater.errors._user_code import (
    ConfigMappingFunctionError,
    Failure,
    PipesExecutionError,
    RetryRequested,
    StepExecutionError,
    TypeCheckError,
    UserCodeExecutionError,
)

__all__ = [
    "AssetCheckFailedError",
    "InvalidObservationError",
    "CodeLoadError",
    "ExecutionInterruptedError",
    "StepOutputNotFoundError",
    "ConfigMappingFunctionError",
    "ConfigProblem",
    "EventLogInvalidForRunError",
    "Failure",
    "HeadwaterError",
    "InstanceError",
    "StorageError",
    "InvalidConfigDefinitionError",
    "InvalidConfigError",
    "InvalidDefinitionError",
    "InvalidInvocationError",
    "InvalidSubsetError",
    "InvariantViolationError",
    "InvalidMetadataError",
    "AliasConflictError",
    "MissingValueError",
    "PipesExecutionError",
    "ResourceFunctionError",
    "RetryRequested",
    "RunNotFoundError",
    "StepExecutionError",
    "StepNotFoundError",
    "SubprocessError",
    "TypeCheckError",
    "TypeCheckFailedError",
    "UnknownResourceError",
    "UnmetExecutorRequirementsError",
    "UnsupportedFeatureError",
    "UserCodeExecutionError",
    "raise_execution_interrupts",
]


# Each name says it is `headwater.errors.X`, where users import it: tracebacks and reprs
# read as they did before the tree was split into modules, and a pickled error (one sent
# to another process, or stored) names a path that outlives the private layout.
for _name in __all__:
    globals()[_name].__module__ = __name__
del _name
