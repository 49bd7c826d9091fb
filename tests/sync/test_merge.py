"""Properties of the three-way merge (design note §12, "Hypothesis, pure")."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from crm_desktop.sync.catalog import CATALOG, FieldClass, FieldSpec, Rule
from crm_desktop.sync.merge import RULES, Action, apply_row, merge_field, merge_row

H = FieldSpec(FieldClass.HUMAN)
values = st.one_of(st.none(), st.integers(-3, 3))
texts = st.one_of(st.none(), st.sampled_from(["الف", "ب", "ج", "د"]))
RULE_SPECS = [FieldSpec(FieldClass.RULE, rule) for rule in Rule]
specs = st.sampled_from([H, FieldSpec(FieldClass.APPEND), *RULE_SPECS])


def test_the_basic_cases() -> None:
    assert merge_field(H, "a", "a", "b").action is Action.APPLY
    assert merge_field(H, "a", "b", "b").action is Action.NOOP
    conflict = merge_field(H, "a", "b", "c")
    assert (conflict.action, conflict.value) == (Action.CONFLICT, "b")
    merged = merge_field(FieldSpec(FieldClass.RULE, Rule.RESTRICTIVE), True, True, False)
    assert merged.action is Action.APPLY
    opt_out = merge_field(FieldSpec(FieldClass.RULE, Rule.RESTRICTIVE), None, False, True)
    assert (opt_out.action, opt_out.value, opt_out.rule) == (Action.MERGED, False, Rule.RESTRICTIVE)


@given(specs, values, values, values)
def test_merge_is_idempotent(spec: FieldSpec, old: Any, cur: Any, new: Any) -> None:
    if spec.rule is Rule.RESTRICTIVE:
        old, cur, new = (None if v is None else v > 0 for v in (old, cur, new))
    once = merge_field(spec, old, cur, new)
    twice = merge_field(spec, old, once.value, new)
    assert twice.value == once.value


@given(values, values, values)
def test_class_h_never_overwrites_a_value_it_did_not_see(old: Any, cur: Any, new: Any) -> None:
    result = merge_field(H, old, cur, new)
    if cur != old:
        assert result.value == cur
        assert result.action in (Action.NOOP, Action.CONFLICT)
    else:
        assert result.value == new


@given(st.dictionaries(st.sampled_from(["mobile", "phone", "email", "address", "notes"]), st.tuples(texts, texts)),
       st.dictionaries(st.sampled_from(["mobile", "phone", "email", "address", "notes"]), texts),
       st.data())
def test_ops_on_disjoint_fields_commute(changes: dict[str, tuple[Any, Any]], current: dict[str, Any],
                                        data: st.DataObject) -> None:
    fields = CATALOG["customer"].fields
    split = data.draw(st.sets(st.sampled_from(sorted(changes))) if changes else st.just(set()))
    op_a = {f: list(pair) for f, pair in changes.items() if f in split}
    op_b = {f: list(pair) for f, pair in changes.items() if f not in split}
    after_a = apply_row(current, merge_row(fields, current, op_a))
    ab = apply_row(after_a, merge_row(fields, after_a, op_b))
    after_b = apply_row(current, merge_row(fields, current, op_b))
    ba = apply_row(after_b, merge_row(fields, after_b, op_a))
    assert ab == ba


@given(st.sampled_from(list(Rule)), values, values, values)
def test_rules_are_associative_and_commutative(rule: Rule, a: Any, b: Any, c: Any) -> None:
    if rule is Rule.RESTRICTIVE:
        a, b, c = (None if v is None else v > 0 for v in (a, b, c))
    f = RULES[rule]
    assert f(f(a, b), c) == f(a, f(b, c))
    assert f(a, b) == f(b, a)


@given(values, values, values)
def test_max_is_associative_and_never_loses_the_larger_value(a: Any, b: Any, c: Any) -> None:
    f = RULES[Rule.MAX]
    assert f(f(a, b), c) == f(a, f(b, c))
    present = [v for v in (a, b, c) if v is not None]
    assert f(f(a, b), c) == (max(present) if present else None)


def test_server_owned_fields_never_reach_the_merge() -> None:
    try:
        merge_field(FieldSpec(FieldClass.SERVER), None, None, 1)
    except ValueError:
        return
    raise AssertionError("class S was merged")
