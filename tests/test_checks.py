"""The generic checkers: one verdict line, a Verdict that echoes nothing, specific hints.

The exercise-specific checks are tested in test_exercises_outputs.py and
test_exercises_forecasting.py; this file tests what they share.
"""

import re

import numpy as np
import pytest
from IPython.core.formatters import DisplayFormatter

from lstm_book import checks
from lstm_book.checks import Verdict, reference_array
from verdicts import run as verdict_line


# --- Verdict and say -------------------------------------------------------------------------

def test_verdict_is_truthy_only_when_correct():
    assert Verdict(True, "Correct: x")
    assert not Verdict(False, "Not yet: x")
    assert bool(Verdict(1, "Correct: x")) is True


def test_verdict_displays_nothing_in_ipython_and_reads_well_elsewhere():
    verdict = Verdict(False, "Not yet: answer: got None")
    assert verdict._ipython_display_() is None
    # IPython's formatter hands the object to _ipython_display_ and publishes no data, so a
    # cell that ends with a check shows no Out[...] (no bare True or False).
    data, metadata = DisplayFormatter().format(verdict)
    assert data == {} and metadata == {}
    assert repr(verdict) == "<Verdict Not yet: answer: got None>"
    assert str(verdict) == repr(verdict)


def test_say_prints_one_line_and_never_wraps(capsys):
    result, line = verdict_line(capsys, checks.say, False, "a b\n  c " * 30, "name")
    assert line.startswith("Not yet: name: a b c a b c")
    assert not result
    result, line = verdict_line(capsys, checks.say, True, "fine")
    assert line == "Correct: fine" and result


# --- to_array --------------------------------------------------------------------------------

@pytest.mark.parametrize("answer, text", [
    (None, "got None"),
    ("seq[:, -1]", "got a str"),
    (b"x", "got a bytes"),
    ({"a": 1}, "got a dict"),
    ({1, 2}, "got a set"),
    (lambda x: x, "got a function"),
    ([[1, 2], [3]], "could not read a list of 2 items"),
    (np.array([True, False]), "True/False"),
    (np.array(["a", "b"]), "got text"),
    (np.array([1 + 2j]), "could not read"),
])
def test_to_array_names_what_it_cannot_read(answer, text):
    arr, problem = checks.to_array(answer)
    assert arr is None and text in problem, problem


def test_to_array_reads_arrays_lists_numbers_and_array_likes():
    class ArrayLike:
        def __array__(self, dtype=None, copy=None):
            return np.arange(3.0)

    for answer in (np.arange(3.0), [0.0, 1.0, 2.0], (0, 1, 2), ArrayLike(),
                   np.arange(3, dtype=np.float32)):
        arr, problem = checks.to_array(answer)
        assert problem == "" and np.array_equal(arr, [0, 1, 2])
    arr, _ = checks.to_array(3.5)
    assert arr.shape == () and float(arr) == 3.5


def test_to_array_reads_keras_tensors_and_rejects_symbolic_ones(keras):
    arr, problem = checks.to_array(keras.ops.convert_to_tensor(np.ones((2, 3))))
    assert problem == "" and arr.shape == (2, 3)
    symbolic = keras.Input(shape=(3,))
    arr, problem = checks.to_array(symbolic)
    assert arr is None and "symbolic KerasTensor" in problem


# --- check_array and array_problem -----------------------------------------------------------

@pytest.fixture
def expected():
    return np.random.default_rng(0).normal(size=(4, 3))


def test_check_array_right_answer_in_several_forms(capsys, expected):
    for answer in (expected, expected.copy(), expected.tolist(), expected.astype(np.float32)):
        result, line = verdict_line(capsys, checks.check_array, answer, expected, name="x")
        assert result and line == "Correct: x: shape and values match"


@pytest.mark.parametrize("make, text", [
    (lambda e: None, "got None"),
    (lambda e: "e", "got a str"),
    (lambda e: {"a": e}, "got a dict"),
    (lambda e: e[None], "expected shape (4, 3), got (1, 4, 3)"),
    (lambda e: np.full_like(e, np.nan), "NaN"),
    (lambda e: e + 1.0, "the shape is right, but the values are not"),
    (lambda e: np.round(e, 2), "you rounded it"),
    (lambda e: -e, "the sign"),
])
def test_check_array_wrong_answers(capsys, expected, make, text):
    result, line = verdict_line(capsys, checks.check_array, make(expected), expected, name="x",
                                known_mistakes=[(-expected, "the sign is flipped")])
    assert not result and text in line, line
    assert f"{expected[0, 0]:.3g}" not in line  # never the expected values


def test_check_array_shape_hint_and_hidden_shape(capsys, expected):
    _, line = verdict_line(capsys, checks.check_array, expected[0], expected,
                           shape_hint=lambda got: f"one row only {got}")
    assert line.endswith("one row only (3,)")
    _, line = verdict_line(capsys, checks.check_array, expected[0], expected, show_shape=False)
    assert "(4, 3)" not in line and "shape (3,) is not the expected shape" in line


def test_a_known_mistake_equal_to_the_answer_is_ignored(capsys, expected):
    result, _ = verdict_line(capsys, checks.check_array, expected, expected,
                             known_mistakes=[(expected.copy(), "never shown")])
    assert result


# --- check_number and number_problem ---------------------------------------------------------

def test_check_number(capsys):
    assert verdict_line(capsys, checks.check_number, 12.4, 12.4, name="MAE")[0]
    assert verdict_line(capsys, checks.check_number, np.float32(12.4), 12.4)[0]
    assert verdict_line(capsys, checks.check_number, np.array([12.4]), 12.4)[0]
    for answer, text in ((None, "got None"), ("12.4", "expected a number"),
                         (np.array([1.0, 2.0]), "did you forget to average"),
                         (float("nan"), "NaN"), (12.0, "you rounded it"),
                         (12.35, "you rounded it"), (15.0, "not the expected value"),
                         (24.6912, "doubled")):
        result, line = verdict_line(capsys, checks.check_number, answer, 12.3456,
                                    known_mistakes=[(24.6912, "doubled")])
        assert not result and text in line, (answer, line)
        assert "12.3" not in line


# --- check_mae and mae_problem ---------------------------------------------------------------

@pytest.fixture
def forecast():
    rng = np.random.default_rng(2)
    truth = rng.normal(50, 20, size=(40, 1))
    pred = truth + rng.normal(3, 10, size=(40, 1))
    return truth, pred


def test_mae_right_answers(capsys, forecast):
    truth, pred = forecast
    mae = float(np.mean(np.abs(pred - truth)))
    result, line = verdict_line(capsys, checks.check_mae, mae, truth, pred, name="LSTM MAE")
    assert result and line == "Correct: LSTM MAE: matches"
    for answer in (np.float32(mae), np.array([mae]), [mae]):
        assert verdict_line(capsys, checks.check_mae, answer, truth, pred)[0]


@pytest.mark.parametrize("make, text", [
    (lambda t, p: None, "got None"),
    (lambda t, p: "12.4", "expected a number"),
    (lambda t, p: np.abs(p - t), "expected one number, got an array of shape (40, 1)"),
    (lambda t, p: np.sqrt(np.mean((p - t) ** 2)), "root-mean-square"),
    (lambda t, p: np.mean((p - t) ** 2), "mean squared error"),
    (lambda t, p: np.mean(p - t), "signed errors"),
    (lambda t, p: np.mean(t - p), "signed errors"),
    (lambda t, p: np.sum(np.abs(p - t)), "sum of the absolute errors"),
    (lambda t, p: np.mean(np.abs(p - t)) / 20.0, "standardised units"),
    (lambda t, p: round(float(np.mean(np.abs(p - t)))), "you rounded it"),
    (lambda t, p: np.mean(np.abs(p - t)) * 1.1, "not the mean absolute error"),
    (lambda t, p: float("nan"), "NaN"),
])
def test_mae_wrong_answers_get_specific_hints(capsys, forecast, make, text):
    truth, pred = forecast
    result, line = verdict_line(capsys, checks.check_mae, make(truth, pred), truth, pred,
                                scale=20.0)
    assert not result and text in line, line
    assert f"{np.mean(np.abs(pred - truth)):.2f}" not in line


def test_mae_per_step(capsys):
    rng = np.random.default_rng(3)
    truth = rng.normal(size=(30, 12, 1))
    pred = truth + rng.normal(size=(30, 12, 1))
    per_step = np.mean(np.abs(pred - truth), axis=0)[:, 0]
    assert verdict_line(capsys, checks.check_mae, per_step, truth, pred, per_step=True)[0]
    assert verdict_line(capsys, checks.check_mae, per_step[:, None], truth, pred,
                        per_step=True)[0]  # (12, 1) is fine
    for wrong, text in ((np.mean(np.abs(pred - truth), axis=1)[:, 0], "average over the samples"),
                        (float(np.mean(np.abs(pred - truth))), "average over axis 0 only"),
                        (per_step[:6], "expected shape (12,), got (6,)"),
                        (per_step[::-1], "the values are not")):
        result, line = verdict_line(capsys, checks.check_mae, wrong, truth, pred, per_step=True)
        assert not result and text in line, line


def test_mae_rejects_a_bad_reference():
    with pytest.raises(ValueError, match="same shape"):
        checks.mae_problem(1.0, np.zeros((4, 1)), np.zeros((4,)))
    with pytest.raises(ValueError, match="per_step"):
        checks.mae_problem(1.0, np.zeros(4), np.zeros(4), per_step=True)
    with pytest.raises(ValueError, match="y_true must be a numeric array"):
        checks.mae_problem(1.0, "abc", np.zeros(4))
    with pytest.raises(ValueError, match="y_true is empty"):
        checks.mae_problem(1.0, np.zeros(0), np.zeros(0))


# --- check_function and function_problem -----------------------------------------------------

@pytest.fixture
def cases():
    rng = np.random.default_rng(4)
    a, b = rng.normal(size=(3, 5)), rng.normal(size=(2, 7))
    return [dict(args=(a,), expected=a[:, -1], label="a"),
            dict(args=(b,), expected=b[:, -1], label="b", moved_hint="fits a only",
                 mistakes=[(b[:, 0], "the first column")])]


def test_check_function_right_answers(capsys, cases):
    for fn in (lambda x: x[:, -1], lambda x: x[:, x.shape[1] - 1].tolist(),
               lambda x: np.take(x, -1, axis=1)):
        result, line = verdict_line(capsys, checks.check_function, fn, cases, name="f",
                                    signature="x")
        assert result and line == "Correct: f: right on all 2 inputs"


def mutate(x):
    x[:] = 0.0
    return x[:, -1]


@pytest.mark.parametrize("fn, text", [
    (None, "got None: write a function of (x)"),
    (np.zeros(3), "got an array; expected a function of (x)"),
    ("x[:, -1]", "got a str; expected a function of (x)"),
    (lambda x: None, "it returned None: did you forget `return`?"),
    (lambda x: "x", "returned something else than numbers"),
    (lambda x, y: x, "on a, it raised TypeError"),
    (lambda x: x[:, 4], "on b: fits a only"),
    (lambda x: np.full(3, np.nan), "contains NaN"),
    (lambda x: x[:, 0], "on a: the shape is right, but the values are not"),
    (lambda x: x[:, -1:], "on a: expected shape (3,), got (3, 1)"),
    (mutate, "on a: the shape is right, but the values are not"),
])
def test_check_function_wrong_answers(capsys, cases, fn, text):
    result, line = verdict_line(capsys, checks.check_function, fn, cases, name="f",
                                signature="x")
    assert not result and text in line, line


def test_check_function_catches_a_copied_value_and_fixed_shapes(capsys, cases):
    copied = cases[0]["expected"].copy()
    result, line = verdict_line(capsys, checks.check_function, lambda x: copied, cases,
                                name="f", signature="x")
    assert not result and "the same values whatever input" in line
    cases[1]["args"] = (cases[0]["args"][0][:2, :3],)
    cases[1]["expected"] = cases[1]["args"][0][:, -1]
    cases[1]["mistakes"] = []
    result, line = verdict_line(capsys, checks.check_function, lambda x: x[:, 4], cases,
                                name="f", signature="x")
    assert not result and "fits a only (on b, it raised IndexError" in line


def test_the_learners_function_gets_copies(cases):
    original = cases[0]["args"][0].copy()
    checks.function_problem(mutate, cases, signature="x")
    np.testing.assert_array_equal(cases[0]["args"][0], original)


# --- what learners really hand in: prints, warnings, constants, globals, precision ------------

def chatty(x):
    print("debugging", x.shape)  # a learner's debugging print
    np.log(np.zeros(1))  # and a RuntimeWarning
    return x[:, -1]


def test_a_function_that_prints_or_warns_still_gets_one_line(capsys, cases):
    result, line = verdict_line(capsys, checks.check_function, chatty, cases, name="f",
                                signature="x")
    assert result and line == "Correct: f: right on all 2 inputs"  # no warning leaked


def test_quiet_hides_prints_and_warnings(capsys, recwarn):
    import warnings

    with checks.quiet():
        print("hidden")
        warnings.warn("hidden too")
        np.float64(1.0) / 0.0
    out, err = capsys.readouterr()
    assert out == "" and err == ""
    assert len(recwarn) == 0, [str(w.message) for w in recwarn]


@pytest.mark.parametrize("fn, text", [
    (3, "got a number; expected a function of (x)"),
    (float("nan"), "got a number"),
    (np.zeros((2, 2)), "got an array"),
])
def test_a_value_instead_of_a_function(capsys, cases, fn, text):
    result, line = verdict_line(capsys, checks.check_function, fn, cases, name="f",
                                signature="x")
    assert not result and text in line, line


def test_a_constant_is_caught_before_the_first_input_is_judged(capsys, cases):
    wrong_shape = np.zeros((3, 4))  # wrong for the first input too
    result, line = verdict_line(capsys, checks.check_function, lambda x: wrong_shape, cases,
                                name="f", signature="x")
    assert not result and "the same values whatever input" in line, line


def test_the_constant_check_skips_inputs_with_the_same_answer(capsys):
    rng = np.random.default_rng(5)
    a, b = rng.normal(size=(3, 5)), rng.normal(size=(4, 6))
    same_answer = [dict(args=(a,), expected=a[:, -1], label="a"),
                   dict(args=(a[:, ::-1].copy(),), expected=a[:, -1], label="a reversed"),
                   dict(args=(b,), expected=b[:, -1], label="b")]
    result, line = verdict_line(capsys, checks.check_function, lambda x: a[:, -1], same_answer,
                                name="f", signature="x")
    assert not result and "the same values whatever input" in line, line


def test_a_function_that_reads_a_notebook_variable(capsys):
    rng = np.random.default_rng(6)
    notebook_array, other = rng.normal(size=(3, 5)), rng.normal(size=(2, 4))
    cases = [dict(args=(notebook_array,), expected=notebook_array[:, -1], label="a"),
             dict(args=(other,), expected=other[:, -1], label="b")]

    def global_reader(x):  # right on the notebook's array, which it reads instead of x
        return notebook_array[:, x.shape[1] - 1]

    result, line = verdict_line(capsys, checks.check_function, global_reader, cases,
                                name="f", signature="x")
    assert not result and "on b: it returns 3 rows for a batch of 2" in line, line
    assert "not the notebook's variables" in line


def test_rounded_and_float16_results(capsys, cases):
    for fn, text in ((lambda x: np.round(x[:, -1], 2), "you rounded it"),
                     (lambda x: np.round(x[:, -1].astype(np.float32), 3), "you rounded it"),
                     (lambda x: x[:, -1].astype(np.float16), "float16 keeps about 3 digits")):
        result, line = verdict_line(capsys, checks.check_function, fn, cases, name="f",
                                    signature="x")
        assert not result and text in line, line


def test_zeros_are_not_called_rounded(capsys):
    small = np.array([[0.1, -0.2], [0.3, 0.05]])
    result, line = verdict_line(capsys, checks.check_array, np.zeros((2, 2)), small)
    assert not result and "you rounded it" not in line, line
    result, line = verdict_line(capsys, checks.check_number, 0, 0.3)
    assert not result and "you rounded it" not in line, line


def test_rounded_float32_arrays_and_numbers(capsys, expected):
    for answer in (np.round(expected.astype(np.float32), 3),
                   np.round(expected, 1).astype(np.float32)):
        result, line = verdict_line(capsys, checks.check_array, answer, expected)
        assert not result and "you rounded it" in line, line
    result, line = verdict_line(capsys, checks.check_number, np.float32(12.35), 12.3456)
    assert not result and "you rounded it" in line, line


def test_a_value_hint_speaks_when_no_known_mistake_matches(capsys, cases):
    for case in cases:
        case["value_hint"] = lambda got: "negative" if np.any(got < -50) else None
    result, line = verdict_line(capsys, checks.check_function, lambda x: x[:, -1] - 100.0,
                                cases, name="f", signature="x")
    assert not result and line.endswith("on a: negative"), line


def test_text_results_are_named(capsys, cases):
    result, line = verdict_line(capsys, checks.check_function,
                                lambda x: [str(v) for v in x[:, -1]], cases, name="f",
                                signature="x")
    assert not result and "got text (a list of 3 items of strings)" in line, line


def test_mae_broadcast_and_negative_slips(capsys, forecast):
    truth, pred = forecast  # (40, 1) each
    table = np.mean(np.abs(pred - truth.ravel()))  # (40, 1) - (40,) is a (40, 40) table
    for answer, text in ((table, "(40, 1) minus (40,) broadcasts to a (40, 40) table"),
                         (-np.mean(np.abs(pred - truth)), "never negative")):
        result, line = verdict_line(capsys, checks.check_mae, answer, truth, pred)
        assert not result and text in line, line


# --- reference_array: what a notebook passes to a check ----------------------------------------

def test_reference_array_returns_float64_and_names_bad_arguments():
    arr = reference_array([[1, 2], [3, 4]], "seq_out", ndim=2)
    assert arr.dtype == np.float64 and arr.shape == (2, 2)
    for values, ndim, message in (("text", None, "seq_out must be a numeric array"),
                                  ([], None, "seq_out is empty"),
                                  ([1.0, 2.0], 3, "seq_out must be 3-D, got shape (2,)")):
        with pytest.raises(ValueError, match=re.escape(message)):
            reference_array(values, "seq_out", ndim=ndim)
