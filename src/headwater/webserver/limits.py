"""Size, depth and complexity limits on GraphQL documents.

- tokens: how many lexical tokens the document holds, checked while parsing, so that a huge
  document is refused after reading the first ``max_tokens`` of it rather than parsed whole
  (a 1.4 MB query otherwise costs seconds of CPU before any other limit sees it);
- depth: how many fields deep a selection goes (``{ a { b } }`` is 2), fragments inlined;
- complexity: how many fields the operation selects, a fragment counted each time it is
  spread. (A list's length is not known before running, so it is not multiplied in.)

The defaults leave room above the deepest and largest documents the UI and the Python
clients send (tests/webserver/test_limits.py measures them), and ``headwater webserver
--max-query-tokens/--max-query-depth/--max-query-complexity`` change them.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLFormattedError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
    specified_rules,
    validate,
)
from graphql.validation import ASTValidationContext

from headwater._dataclass import dataclass

__all__ = ["QueryLimits", "checked_document", "measure", "parse_document", "validation_rules"]


@dataclass(frozen=True, slots=True)
class QueryLimits:
    """The largest query a server runs."""

    max_depth: int = 30
    max_complexity: int = 2500
    # Room for max_complexity aliased fields (``a: f`` is three tokens) and then some.
    max_tokens: int = 10_000

    def rule(self) -> type[ASTValidationRule]:
        """A validation rule refusing an operation over either limit."""
        limits = self

        class _Limits(ASTValidationRule):
            def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
                depth, size = measure(node.selection_set, self.context)
                name = f"operation {node.name.value!r}" if node.name else "the operation"
                if depth > limits.max_depth:
                    self.report_error(
                        GraphQLError(
                            f"{name} is {depth} fields deep, over this server's query depth "
                            f"limit of {limits.max_depth}: ask for less nesting, or start "
                            "the server with a larger --max-query-depth",
                            node,
                        )
                    )
                if size > limits.max_complexity:
                    self.report_error(
                        GraphQLError(
                            f"{name} selects {size} fields, over this server's query "
                            f"complexity limit of {limits.max_complexity}: split it, or start "
                            "the server with a larger --max-query-complexity",
                            node,
                        )
                    )

        return _Limits


def measure(selection_set: SelectionSetNode, context: ASTValidationContext) -> tuple[int, int]:
    """(depth, number of fields) of a selection set, its fragments inlined."""
    # Each fragment's measure is kept: a fragment spread many times is walked once.
    known: dict[str, tuple[int, int]] = {}

    def walk(node: SelectionSetNode, visiting: frozenset[str]) -> tuple[int, int]:
        depth = size = 0
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                below = selection.selection_set
                inner = walk(below, visiting) if below else (0, 0)
                depth, size = max(depth, inner[0] + 1), size + inner[1] + 1
            elif isinstance(selection, InlineFragmentNode):
                inner = walk(selection.selection_set, visiting)
                depth, size = max(depth, inner[0]), size + inner[1]
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = context.get_fragment(name)
                if fragment is None or name in visiting:
                    continue  # unknown fragments and cycles are other rules' errors
                if name not in known:
                    known[name] = walk(fragment.selection_set, visiting | {name})
                inner = known[name]
                depth, size = max(depth, inner[0]), size + inner[1]
        return depth, size

    return walk(selection_set, frozenset())


def parse_document(query: str, limits: QueryLimits) -> DocumentNode:
    """``query`` parsed, or a ``GraphQLError`` (a syntax error, or one over ``max_tokens``)."""
    try:
        return parse(query, max_tokens=limits.max_tokens)
    except GraphQLError as exc:
        if "Parsing aborted" not in exc.message:
            raise
        raise GraphQLError(
            f"the document has more than {limits.max_tokens} tokens, over this server's "
            "query size limit: send a smaller one, or start the server with a larger "
            "--max-query-tokens"
        ) from None


@cache
def validation_rules(limits: QueryLimits) -> tuple[type[ASTValidationRule], ...]:
    """The specification's rules, then ``limits``."""
    return (*specified_rules, limits.rule())


def checked_document(
    schema: GraphQLSchema, query: str, limits: QueryLimits
) -> DocumentNode | list[GraphQLFormattedError]:
    """``query`` parsed and valid against ``schema`` within ``limits``, or the errors (as
    GraphQL answers them) that refuse it: what HTTP and WebSocket operations both check."""
    try:
        document = parse_document(query, limits)
    except GraphQLError as exc:
        return [exc.formatted]
    problems = validate(schema, document, validation_rules(limits))
    return [p.formatted for p in problems] if problems else document
