"""Hostile and careless YAML in run files: every case is a short message with its line, fast."""

import time

import pytest

from vpkit.config.positions import MAX_DEPTH, MAX_VALUES, YamlProblem, decode, load_value, load_with_lines


def problem_of(text: str) -> YamlProblem:
    with pytest.raises(YamlProblem) as err:
        load_with_lines(text)
    return err.value


def test_lines_of_keys_and_items():
    data, lines = load_with_lines("a: 1\nb:\n  - x\n  - {c: 2}\n")
    assert data == {"a": 1, "b": ["x", {"c": 2}]}
    assert lines[("a",)] == 1 and lines[("b", 1, "c")] == 4


@pytest.mark.parametrize(
    "value, message",
    [
        ("!!int abc", "cannot read 'abc' as !!int"),
        ("!!float abc", "cannot read 'abc' as !!float"),
        ("!!timestamp xyz", "cannot read 'xyz' as !!timestamp"),
        ("!!bool maybe", "cannot read 'maybe' as !!bool"),
        ("9" * 5000, "an integer of 5000 digits is too long"),
    ],
)
def test_values_a_tag_cannot_build_are_reported_on_their_line(value, message):
    problem = problem_of(f"a: 1\nseed: {value}\n")
    assert (problem.line, problem.message) == (2, message)


def test_duplicate_keys_are_an_error_naming_both_lines():
    problem = problem_of("seed: 1\ntrain:\n  lr: 1\n  steps: 2\n  lr: 3\nseed: 4\n")
    assert problem.line == 5 and problem.message == "duplicate key 'lr' (first on line 3); keep one"


def test_merge_keys_are_not_duplicates():
    data, _ = load_with_lines("base: &b {lr: 1, steps: 2}\ntrain:\n  <<: *b\n  lr: 3\n")
    assert data["train"] == {"lr": 3, "steps": 2}


@pytest.mark.parametrize("text", ["? [a, b]\n: 1\n", "? {a: 1}\n: 2\n"])
def test_keys_that_are_lists_or_mappings_are_refused(text):
    problem = problem_of(text)
    assert problem.line == 1 and "a key must be a plain name" in problem.message


def test_an_alias_inside_its_own_value_is_refused():
    problem = problem_of("seed: 1\na: &a [1, *a]\n")
    assert problem.line == 2 and problem.message == "alias *a is used inside the value it names"


def test_deep_nesting_is_refused_quickly():
    started = time.perf_counter()
    problem = problem_of("seed: " + "[" * 5000 + "]" * 5000 + "\n")
    assert problem.line == 1 and f"nested more than {MAX_DEPTH} levels deep" in problem.message
    assert time.perf_counter() - started < 5


def test_nesting_through_aliases_counts_too():
    levels = "a0: &a0 [1]\n" + "".join(f"a{i}: &a{i} [[[[[[[[[[*a{i - 1}]]]]]]]]]]\n" for i in range(1, 8))
    assert "once aliases are expanded" in problem_of(levels).message


def test_an_alias_bomb_is_refused_without_expanding_it():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n" for prev, name in zip("abcdefgh", "bcdefghi", strict=False)
    )
    assert len(bomb) < 600  # 9 ** 9 values once expanded
    started = time.perf_counter()
    problem = problem_of(bomb)
    assert f"expand to more than {MAX_VALUES} values" in problem.message
    assert time.perf_counter() - started < 1


def test_aliases_within_the_limit_still_work():
    data, _ = load_with_lines("a: &a {frames: 4}\nb: *a\n")
    assert data["b"] == {"frames": 4}


def test_control_characters_are_reported_by_line_not_offset():
    problem = problem_of("seed: 1\nsource: a\x01b\n")
    assert problem.line == 2 and problem.message == "control character U+0001 is not allowed; remove it"


def test_text_that_is_not_utf8_is_reported_by_line():
    with pytest.raises(YamlProblem) as err:
        decode(b"seed: 1\ntrain:\n  lr: \xff\n")
    assert err.value.line == 3 and err.value.message == "not UTF-8 text (byte 0xff); save the file as UTF-8"


def test_syntax_errors_are_marked_as_such_for_set_values():
    with pytest.raises(YamlProblem) as err:
        load_value("[unclosed")
    assert err.value.syntax
    with pytest.raises(YamlProblem) as err:
        load_value("9" * 5000)
    assert not err.value.syntax
