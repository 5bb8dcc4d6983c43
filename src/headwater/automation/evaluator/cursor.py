"""The cursor carried from one evaluation of automation conditions to the next.

It holds, per asset, what the previous evaluation requested, when it ran, how far the event
log had been read, and the state of the condition nodes that remember something
(``newly_true``, ``since``, ``code_version_changed``, custom conditions). It is a value and
round-trips through JSON (:meth:`AssetDaemonCursor.to_json`), so the daemon can store it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import field
from typing import Any

from headwater._dataclass import dataclass
from headwater.asset_key import AssetKey
from headwater.assets.checks import AssetCheckKey
from headwater.automation.evaluator.subset import PartitionKey
from headwater.errors import InvalidDefinitionError, InvalidInvocationError

__all__ = ["AssetDaemonCursor", "KeyCursor", "NodeCursor"]


@dataclass(frozen=True, slots=True)
class NodeCursor:
    """What one condition node remembers: its true subset, extra state and metadata."""

    true_subset: frozenset[PartitionKey] = frozenset()
    candidate_subset: frozenset[PartitionKey] = frozenset()
    extra_state: Any = None
    metadata: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class KeyCursor:
    """What the previous evaluation of one asset's condition left behind.

    Attributes:
        requested: the partitions it requested.
        evaluation_timestamp: when it ran.
        max_storage_id: the newest asset event it had read.
        partitions_id: its partitions definition, described (a change restarts the state).
        nodes: node states by node id.
    """

    requested: frozenset[PartitionKey]
    evaluation_timestamp: float
    max_storage_id: int
    partitions_id: str | None
    nodes: Mapping[str, NodeCursor] = field(default_factory=dict)


@dataclass(frozen=True)
class AssetDaemonCursor:
    """The state of evaluations so far; pass ``result.cursor`` to the next evaluation.

    Attributes:
        evaluation_id: how many evaluations came before (0 for the empty cursor).
        evaluation_timestamp: when the previous evaluation ran, if any.
        keys: per asset, what its previous evaluation left behind.
    """

    evaluation_id: int = 0
    evaluation_timestamp: float | None = None
    keys: Mapping[AssetKey | AssetCheckKey, KeyCursor] = field(default_factory=dict)

    @staticmethod
    def empty() -> AssetDaemonCursor:
        """The cursor of a first evaluation."""
        return AssetDaemonCursor()

    def to_json(self) -> str:
        """The cursor as a JSON string (for storing between daemon ticks).

        Raises:
            InvalidDefinitionError: a custom condition returned a cursor that is not JSON-able.
        """
        try:
            return self._dumps()
        except TypeError as exc:
            raise InvalidDefinitionError(
                f"an automation condition returned a cursor that cannot be stored ({exc}); "
                "return a JSON-able value (a string, number, list or dict) as its cursor"
            ) from exc

    def _dumps(self) -> str:
        return json.dumps(
            {
                "evaluation_id": self.evaluation_id,
                "evaluation_timestamp": self.evaluation_timestamp,
                "entities": [
                    {**_entity_to_dict(k), **_key_to_dict(c)}
                    for k, c in sorted(self.keys.items(), key=lambda kc: _entity_order(kc[0]))
                ],
            },
            sort_keys=True,
        )

    @staticmethod
    def from_json(text: str) -> AssetDaemonCursor:
        """Read a cursor written by :meth:`to_json`.

        Raises:
            InvalidInvocationError: ``text`` is not such a cursor.
        """
        try:
            raw = json.loads(text)
            return AssetDaemonCursor(
                evaluation_id=int(raw["evaluation_id"]),
                evaluation_timestamp=raw["evaluation_timestamp"],
                keys={_entity_from_dict(e): _key_from_dict(e) for e in raw["entities"]},
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidInvocationError(
                f"not an automation cursor ({type(exc).__name__}: {exc}); pass the `cursor` "
                "of a previous evaluation's result, or its to_json() text"
            ) from exc


def _entity_to_dict(key: AssetKey | AssetCheckKey) -> dict[str, Any]:
    if isinstance(key, AssetCheckKey):
        return {"asset": key.asset_key.to_user_string(), "check": key.name}
    return {"asset": key.to_user_string(), "check": None}


def _entity_from_dict(raw: Mapping[str, Any]) -> AssetKey | AssetCheckKey:
    asset = AssetKey.from_user_string(raw["asset"])
    return asset if raw["check"] is None else AssetCheckKey(asset, raw["check"])


def _entity_order(key: AssetKey | AssetCheckKey) -> tuple[str, str]:
    entity = _entity_to_dict(key)
    return (entity["asset"], entity["check"] or "")


def _subset_out(keys: frozenset[PartitionKey]) -> list[PartitionKey]:
    return sorted(keys, key=lambda k: (k is not None, k or ""))


def _key_to_dict(cursor: KeyCursor) -> dict[str, Any]:
    return {
        "requested": _subset_out(cursor.requested),
        "evaluation_timestamp": cursor.evaluation_timestamp,
        "max_storage_id": cursor.max_storage_id,
        "partitions_id": cursor.partitions_id,
        "nodes": {
            node_id: {
                "true": _subset_out(n.true_subset),
                "candidate": _subset_out(n.candidate_subset),
                "extra": n.extra_state,
                "metadata": dict(n.metadata),
            }
            for node_id, n in cursor.nodes.items()
        },
    }


def _key_from_dict(raw: Mapping[str, Any]) -> KeyCursor:
    return KeyCursor(
        requested=frozenset(raw["requested"]),
        evaluation_timestamp=float(raw["evaluation_timestamp"]),
        max_storage_id=int(raw["max_storage_id"]),
        partitions_id=raw["partitions_id"],
        nodes={
            node_id: NodeCursor(
                frozenset(n["true"]), frozenset(n["candidate"]), n["extra"], n["metadata"]
            )
            for node_id, n in raw["nodes"].items()
        },
    )
