"""The three-way, per-field merge (design note §9): pure functions, no database.

For each ``[old, new]`` pair of an op and ``cur``, the server's current value (all in normalized wire
form): ``cur == new`` is a no-op, ``cur == old`` applies ``new``; otherwise the same field changed on
both sides and the field's class decides: a class R rule merges, class H (and A) keeps ``cur`` and
reports a conflict. Class S never reaches the merge: the caller refuses the op first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from crm_desktop.sync.catalog import FieldClass, FieldSpec, Rule


class Action(StrEnum):
    APPLY = "apply"
    NOOP = "noop"
    MERGED = "merged"
    CONFLICT = "conflict"


@dataclass(frozen=True)
class FieldMerge:
    action: Action
    value: Any  # what the server holds afterwards
    rule: Rule | None = None
    changes: bool = False  # the server value changes (APPLY, or a rule that picked the client's value)


def _max(a: Any, b: Any) -> Any:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def _min_set(a: Any, b: Any) -> Any:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def _restrictive(a: Any, b: Any) -> Any:
    if a is None:
        return b
    if b is None:
        return a
    return bool(a) and bool(b)


RULES: dict[Rule, Callable[[Any, Any], Any]] = {
    Rule.MAX: _max,
    Rule.MIN_SET: _min_set,
    Rule.RESTRICTIVE: _restrictive,
}


def merge_field(spec: FieldSpec, old: Any, cur: Any, new: Any) -> FieldMerge:
    """Merge one field; values must already be in normalized wire form."""
    if spec.cls is FieldClass.SERVER:
        raise ValueError("server-owned fields are refused before the merge")
    if cur == new:
        return FieldMerge(Action.NOOP, cur)
    if cur == old:
        return FieldMerge(Action.APPLY, new, changes=True)
    if spec.cls is FieldClass.RULE:
        assert spec.rule is not None
        value = RULES[spec.rule](cur, new)
        return FieldMerge(Action.MERGED, value, spec.rule, changes=value != cur)
    return FieldMerge(Action.CONFLICT, cur)


@dataclass(frozen=True)
class RowMerge:
    fields: dict[str, FieldMerge]

    @property
    def updates(self) -> dict[str, Any]:
        """The fields whose value changes on the server."""
        return {k: m.value for k, m in self.fields.items() if m.changes}

    @property
    def conflicts(self) -> list[str]:
        return [k for k, m in self.fields.items() if m.action is Action.CONFLICT]

    @property
    def rules(self) -> dict[str, str]:
        return {k: str(m.rule) for k, m in self.fields.items() if m.rule is not None}


def merge_row(specs: Mapping[str, FieldSpec], current: Mapping[str, Any], changed: Mapping[str, list[Any]]) -> RowMerge:
    """Merge every ``{field: [old, new]}`` of one op against the current row."""
    return RowMerge({f: merge_field(specs[f], pair[0], current.get(f), pair[1]) for f, pair in changed.items()})


def apply_row(current: Mapping[str, Any], result: RowMerge) -> dict[str, Any]:
    """The row after a merge (a convenience for tests and for a desk replaying state)."""
    return {**current, **result.updates}
