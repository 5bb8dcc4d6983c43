"""Dynamic outputs in the plan: steps mapped over them, steps that collect them.

A plan is built before anything runs, but how many copies a mapped step has is known only
once the step producing the dynamic output has run. So ``build_plan`` splits the steps
downstream of a dynamic output from the rest:

* a *mapped* step (fed by a dynamic output, or by another mapped step) is a template,
  keyed by its node (``"double"``); it resolves into one copy per mapping key
  (``"double[k0]"``, ``"double[k1]"``...), whose inputs read that key's value;
* a *collecting* step (an input given ``.collect()``) is known by key from the start, but
  its sources (every copy, or every value) and its upstream steps are not: it is a
  template until the dynamic output resolves.

``DynamicParts.resolve`` is pure: given what the dynamic outputs yielded, it returns the
new concrete steps, in the plan's order, copies in mapping-key order. The run loops call it
when a step with dynamic outputs ends (``ExecutionPlan.resolve``) and append what it
returns to the steps still to run; a step process resolves the plan the same way from the
mapping keys its task carries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from headwater._dataclass import dataclass
from headwater.errors import InvalidDefinitionError

if TYPE_CHECKING:
    from headwater.execution.plan import Step, StepInput

__all__ = ["DynamicParts", "Mappings", "mapped_key", "split_dynamic"]

# (step_key, output_name) of a dynamic output → the mapping keys it yielded, in order, or
# None when it was not produced (an optional output left out, a failed or skipped step).
Mappings = Mapping[tuple[str, str], Sequence[str] | None]


def mapped_key(step_key: str, mapping_key: str) -> str:
    """The key of one copy of a mapped step."""
    return f"{step_key}[{mapping_key}]"


@dataclass(frozen=True, slots=True)
class DynamicParts:
    """The steps of a plan that wait on dynamic outputs.

    Attributes:
        templates: mapped and collecting steps not resolved yet, in plan order.
        roots: each mapped step's dynamic output (a chain of maps shares its first one).
        requires: each template's dynamic outputs, all of which must resolve first.
        resolved: the mapping keys of the dynamic outputs resolved so far.
    """

    templates: tuple[Step, ...]
    roots: Mapping[str, tuple[str, str]]
    requires: Mapping[str, frozenset[tuple[str, str]]]
    resolved: Mapping[tuple[str, str], tuple[str, ...] | None]

    def producers(self) -> frozenset[str]:
        """Keys of the steps whose dynamic outputs templates wait on."""
        return frozenset(step for outs in self.requires.values() for step, _ in outs)

    def waits_on(self, step_key: str) -> bool:
        """Whether a template waits on a dynamic output of ``step_key``."""
        return any(step == step_key for t in self.templates for step, _ in self.requires[t.key])

    def resolve(self, mappings: Mappings) -> tuple[list[Step], DynamicParts]:
        """The steps that ``mappings`` make concrete, and what is left waiting.

        Templates resolve in plan order; a mapped step's copies in mapping-key order.
        """
        resolved = {**self.resolved}
        for handle, keys in mappings.items():
            resolved[handle] = None if keys is None else tuple(keys)
        made: list[Step] = []
        left: list[Step] = []
        for template in self.templates:
            if not all(out in resolved for out in self.requires[template.key]):
                left.append(template)
            elif template.key in self.roots:
                keys = resolved[self.roots[template.key]] or ()
                made.extend(self._copy(template, key) for key in keys)
            else:
                made.append(self._collector(template, resolved))
        return made, DynamicParts(tuple(left), self.roots, self.requires, resolved)

    def _copy(self, template: Step, key: str) -> Step:
        root = self.roots[template.key]
        roots = self.roots
        inputs = []
        for step_input in template.inputs:
            if step_input.sources and step_input.sources[0] == root:
                inputs.append(replace(step_input, mapping_key=key))
                continue
            sources = tuple(
                (mapped_key(s, key), o) if s in roots else (s, o) for s, o in step_input.sources
            )
            inputs.append(replace(step_input, sources=sources))
        return replace(
            template,
            key=mapped_key(template.key, key),
            inputs=tuple(inputs),
            upstream=frozenset(mapped_key(u, key) if u in roots else u for u in template.upstream),
            mapping_key=key,
            reads_pieces=any(i.mapping_key is not None for i in inputs),
        )

    def _collector(
        self, template: Step, resolved: Mapping[tuple[str, str], tuple[str, ...] | None]
    ) -> Step:
        inputs = []
        upstream = set(template.upstream)
        # Read through the dynamic reader: the values themselves, or copies that may be none.
        reads_pieces = True
        for step_input in template.inputs:
            root = step_input.collect_of
            if root is None:
                inputs.append(step_input)
                continue
            upstream.add(root[0])  # its failure leaves the collector untouched
            (source,) = step_input.sources
            if source == root:  # the values themselves
                inputs.append(step_input)
                continue
            keys = resolved[root] or ()
            upstream.discard(source[0])
            copies = tuple(mapped_key(source[0], key) for key in keys)
            upstream.update(copies)
            inputs.append(replace(step_input, sources=tuple((c, source[1]) for c in copies)))
        return replace(
            template, inputs=tuple(inputs), upstream=frozenset(upstream), reads_pieces=reads_pieces
        )


def _two_roots(step: Step, first: tuple[str, str], second: tuple[str, str]) -> None:
    raise InvalidDefinitionError(
        f"op '{step.name}' cannot be downstream of more than one dynamic output. It is "
        f'downstream of both "{first[0]}:{first[1]}" and "{second[0]}:{second[1]}"; collect '
        "one of them first, or map over one only"
    )


def split_dynamic(steps: Sequence[Step]) -> tuple[list[Step], DynamicParts | None]:
    """Split ordered ``steps`` into the concrete ones and the templates waiting on dynamic
    outputs (``None`` when the job has no dynamic output).

    Raises:
        InvalidDefinitionError: a step is downstream of two dynamic outputs (mapped over
            both, mapped over one and collecting another, or mapped over a mapped step's
            own dynamic output).
    """
    by_key = {step.key: step for step in steps}
    if not any(o.is_dynamic for s in steps for o in s.op_def.output_defs.values()):
        return list(steps), None
    roots: dict[str, tuple[str, str]] = {}
    requires: dict[str, frozenset[tuple[str, str]]] = {}
    concrete: list[Step] = []
    templates: list[Step] = []

    def roots_of(source: tuple[str, str]) -> list[tuple[str, str]]:
        step_key, output = source
        found = [roots[step_key]] if step_key in roots else []
        if by_key[step_key].op_def.output_defs[output].is_dynamic:
            found.append(source)
        return found

    for step in steps:
        mapped_over: list[tuple[str, str]] = []
        collected: list[tuple[str, str]] = []
        inputs: list[StepInput] = []
        for step_input in step.inputs:
            if step_input.collects:
                found = [r for src in step_input.sources for r in roots_of(src)]
                if len(found) > 1:  # collecting, inside a map, another dynamic output
                    _two_roots(step, found[-1], found[0])
                collected.append(found[0])
                inputs.append(replace(step_input, collect_of=found[0]))
                continue
            inputs.append(step_input)
            for source in step_input.sources:
                mapped_over.extend(r for r in roots_of(source) if r not in mapped_over)
        if len(mapped_over) > 1:
            _two_roots(step, mapped_over[0], mapped_over[1])
        if mapped_over and collected:
            _two_roots(step, collected[0], mapped_over[0])
        if mapped_over:
            roots[step.key] = mapped_over[0]
            requires[step.key] = frozenset(mapped_over)
            templates.append(replace(step, inputs=tuple(inputs)))
        elif collected:
            requires[step.key] = frozenset(collected)
            templates.append(replace(step, inputs=tuple(inputs)))
        else:
            concrete.append(step)
    return concrete, DynamicParts(tuple(templates), roots, requires, {})
