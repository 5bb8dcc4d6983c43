"""Runtime types of op inputs and outputs, and the checks run on the values they carry."""

from __future__ import annotations

from headwater.types.builtin import PythonObjectType
from headwater.types.check import TypeCheck
from headwater.types.definition import DataType, DataTypeKind
from headwater.types.loader import DataTypeLoader, data_type_loader
from headwater.types.resolve import (
    Dict,
    List,
    Optional,
    Set,
    Tuple,
    check_type,
    make_python_type_usable_as_type,
    resolve_data_type,
    usable_as_type,
)

__all__ = [
    "DataType",
    "DataTypeKind",
    "DataTypeLoader",
    "Dict",
    "List",
    "Optional",
    "PythonObjectType",
    "Set",
    "Tuple",
    "TypeCheck",
    "check_type",
    "data_type_loader",
    "make_python_type_usable_as_type",
    "resolve_data_type",
    "usable_as_type",
]
