"""Checks for chapter 13, *Generating words one letter at a time*.

Two exercises, one check each; each prints one verdict and returns a
:class:`~lstm_book.checks.Verdict`.

- :func:`sampling_loop` checks ``generate_word(choose)``, the loop that generates one word with
  the step model. The check passes its own ``choose``: a seeded sampler that records every
  probability vector the loop hands it. It then replays the letters that were drawn through
  the step model, carrying ``h`` and ``c`` correctly, and compares: every recorded vector must
  be the step model's prediction for the letters so far, and the word must be the letters
  drawn. So a loop that resets the state, drops ``c``, forgets the start marker or takes the
  most likely letter fails, whatever letters happen to come out.
- :func:`temperature` checks ``with_temperature(probs, temperature)`` on fresh probability
  rows and temperatures.

The draws and the fresh inputs come from fixed seeds, so a verdict never changes between runs.
"""

from __future__ import annotations

import contextlib

import numpy as np

from ..checks import Verdict, function_problem, quiet, say, to_array

__all__ = ["sampling_loop", "temperature"]

_SEED = 20240613
#: The longest word a loop may generate (the longest training word has 12 letters).
MAX_LETTERS = 12
#: ``choose`` stops a loop that calls it more often than this (it would never end).
_CALL_LIMIT = 3 * (MAX_LETTERS + 1)


# --- Exercise: the sampling loop that carries the states ------------------------------------

class _Stop(BaseException):
    """Raised inside the learner's loop by ``choose`` to stop it; carries the verdict text.

    A ``BaseException``, so that an ``except Exception`` in the learner's loop cannot swallow it.
    """


class _Chooser:
    """The ``choose`` handed to the learner's loop: records the probabilities, draws a symbol."""

    def __init__(self, vocab: int, never: list[int], rng):
        self.vocab, self.never, self.rng = vocab, never, rng
        self.probs: list[np.ndarray] = []
        self.picks: list[int] = []

    def __call__(self, probs):
        if len(self.picks) >= _CALL_LIMIT:
            raise _Stop(f"the loop still runs after {_CALL_LIMIT} calls of choose: "
                        f"stop at $ or after {MAX_LETTERS} letters")
        arr, problem = to_array(probs)
        if arr is None:
            raise _Stop(f"choose(probs) {problem}: pass the probabilities")
        if arr.size != self.vocab:
            raise _Stop(f"choose(probs) got shape {arr.shape}: pass the {self.vocab} "
                        "probabilities of one step")
        p = arr.reshape(-1).astype(np.float64)
        if not np.all(np.isfinite(p)) or p.min() < 0 or abs(p.sum() - 1) > 1e-3:
            raise _Stop("choose got numbers that are not probabilities: pass the "
                        "softmax output")
        self.probs.append(p)
        weights = p.copy()
        weights[self.never] = 0
        cum = np.cumsum(weights / weights.sum())
        pick = int(min(np.searchsorted(cum, self.rng.random(), side="right"),
                       self.vocab - 1))
        self.picks.append(pick)
        return pick


def _step_model_parts(step_model, alphabet):
    """Validate the references: (units, vocab) of the step model for this alphabet."""
    inputs = getattr(step_model, "inputs", None)
    outputs = getattr(step_model, "outputs", None)
    if not callable(step_model) or inputs is None or len(inputs) != 3 \
            or outputs is None or len(outputs) != 3:
        raise ValueError("step_model must be a Keras model with inputs [letter, h, c] and "
                         "outputs [probs, h, c]")
    for name in ("size", "start_index", "end_index", "symbols"):
        if getattr(alphabet, name, None) is None:
            raise ValueError("alphabet must be an lstm_book Alphabet with start and end "
                             "markers, e.g. lb.make_alphabet(words, start='^', end='$')")
    units = int(inputs[1].shape[-1])
    vocab = int(outputs[0].shape[-1])
    if vocab != alphabet.size:
        raise ValueError(f"step_model predicts {vocab} symbols but alphabet has "
                         f"{alphabet.size}")
    return units, vocab


def _run_step(step_model, letters, h, c):
    """One call of the step model on NumPy inputs: (probs (batch, vocab), h, c)."""
    import keras  # only when a check runs: the package itself does not need Keras

    out = step_model([np.asarray(letters, dtype="int32")[:, None],
                      np.asarray(h, dtype="float32"), np.asarray(c, dtype="float32")])
    probs, h, c = (keras.ops.convert_to_numpy(t) for t in out)
    return probs.reshape(len(letters), -1), h, c


def _replay(step_model, units, feeds, variant="right"):
    """The probabilities a loop hands to ``choose`` when it feeds ``feeds`` (one row per run).

    ``feeds[i, k]`` is the symbol fed at call k of run i (all runs padded to one length).
    ``variant`` is how a loop handles the state between calls: "right" carries h and c;
    "reset" starts every call from zeros; "no_c" carries h only; "no_h" carries c only;
    "swapped" passes [c, h] where [h, c] belongs.
    """
    rows, calls = feeds.shape
    zeros = np.zeros((rows, units), dtype="float32")
    h, c = zeros, zeros
    out = []
    for k in range(calls):
        if variant == "swapped":
            probs, h_new, c_new = _run_step(step_model, feeds[:, k], c, h)
        else:
            probs, h_new, c_new = _run_step(step_model, feeds[:, k], h, c)
        out.append(probs)
        h = zeros if variant == "reset" or variant == "no_h" else h_new
        c = zeros if variant == "reset" or variant == "no_c" else c_new
    return np.stack(out, axis=1)


def _replay_prefix_again(step_model, units, start, picks):
    """Probabilities when a loop re-feeds the whole word so far at each step, state carried."""
    h = c = np.zeros((1, units), dtype="float32")
    out = []
    for k in range(len(picks)):
        for symbol in [start, *picks[:k]]:
            probs, h, c = _run_step(step_model, [symbol], h, c)
        out.append(probs[0])
    return np.stack(out)


@contextlib.contextmanager
def _recording_lstm_calls(step_model):
    """While active, record for each call of ``step_model``'s LSTM layer whether it got an
    initial state (``True``) or started from zeros (``False``).

    The layer's ``call`` is wrapped for the duration only. Calls that run inside an
    already traced function (``predict``) are not seen; the list is then empty.
    """
    calls: list[bool] = []
    layer = next((layer for layer in getattr(step_model, "layers", [])
                  if hasattr(layer, "return_state")
                  and callable(getattr(layer, "call", None))), None)
    if layer is None or "call" in vars(layer):
        yield calls
        return
    original = layer.call

    def call(*args, **kwargs):
        calls.append(kwargs.get("initial_state") is not None)
        return original(*args, **kwargs)

    object.__setattr__(layer, "call", call)  # past Keras's attribute tracking
    try:
        yield calls
    finally:
        vars(layer).pop("call", None)


def _expected_word(picks, alphabet) -> str:
    letters = []
    for pick in picks:
        if pick == alphabet.end_index or len(letters) == MAX_LETTERS:
            break
        letters.append(alphabet.symbols[pick])
    return "".join(letters)


def _state_hint(step_model, units, alphabet, runs, k_bad) -> str:
    """Name the mistake behind the recorded probabilities, or say where they go wrong."""
    start, end = alphabet.start_index, alphabet.end_index
    run = runs[0]
    n = len(run.picks)
    got = np.stack(run.probs)
    right_feed = np.array([[start, *run.picks[:-1]]])

    def same(probs):
        return probs.shape == got.shape and np.allclose(probs, got, rtol=1e-4, atol=1e-5)

    variants = [
        ("reset", "every call starts from zeros: carry the h and c that step_model returns"),
        ("no_c", "h is carried but c is not: pass both, initial state [h, c]"),
        ("no_h", "c is carried but h is not: pass both, initial state [h, c]"),
        ("swapped", "h and c are swapped: step_model takes [letter, h, c], returns "
                    "[probs, h, c]"),
    ]
    for variant, hint in variants:
        if same(_replay(step_model, units, right_feed, variant)[0]):
            return hint
    if _reshaped(got[0], _replay(step_model, units, right_feed[:, :1])[0, 0]):
        return "choose got reshaped probabilities (a temperature?): pass step_model's own"
    for first, what in ((0, "padding (0)"), (end, "the end marker $")):
        feed = np.array([[first, *run.picks[:-1]]])
        if same(_replay(step_model, units, feed)[0]):
            return f"the first call feeds {what}: start from ^ with h = c = 0"
    if same(_replay(step_model, units, np.full((1, n), start))[0]):
        return "every call feeds ^ again: feed the symbol that choose returned"
    greedy = np.array([[start, *got.argmax(axis=1)[:-1]]])
    if same(_replay(step_model, units, greedy)[0]):
        return "the loop feeds the most likely symbol (argmax): feed choose's pick"
    if n > 1 and same(_replay_prefix_again(step_model, units, start, run.picks)):
        return ("each call re-feeds the whole word so far: feed only the newest "
                "symbol, h and c hold the rest")
    if k_bad == 0:
        return "the first probabilities are wrong: start from ^ with h = c = 0"
    return (f"the probabilities at call {k_bad + 1} are wrong: feed each pick back "
            "and carry h and c")


def _reshaped(got, right) -> bool:
    """Whether ``got`` is ``right`` raised to a power other than 1 and normalised."""
    keep = (got > 1e-12) & (right > 1e-12)
    if keep.sum() < 3 or np.allclose(got, right, rtol=1e-4, atol=1e-5):
        return False
    x, y = np.log(right[keep]), np.log(got[keep])
    with quiet():  # np.polyfit warns when the fit is poor: that only means "no"
        power = np.polyfit(x, y, 1)[0]
    if not np.isfinite(power) or abs(power - 1) < 1e-3:
        return False
    w = right ** power
    return bool(np.allclose(w / w.sum(), got, rtol=1e-3, atol=1e-6))


def _word_hint(word, run, alphabet) -> str:
    expected = _expected_word(run.picks, alphabet)
    got = np.stack(run.probs)
    if alphabet.start in word or alphabet.end in word:
        return "leave the markers out: the word is the letters before $"
    greedy = _expected_word(list(got.argmax(axis=1)), alphabet)
    if word == greedy != expected:
        return "those are the argmax letters: return the letters that choose picked"
    if word.startswith(expected) and len(word) > len(expected):
        return f"the word runs on past its end: stop at $ or after {MAX_LETTERS} letters"
    if expected.startswith(word) and len(word) < len(expected):
        return "the word misses its last letters: keep every letter until $"
    return "the word is not the letters choose returned, in order"


def sampling_loop(generate_word, step_model, alphabet) -> Verdict:
    """Check ``generate_word(choose) -> str``, one word generated with ``step_model``.

    The loop must start from the start marker and zero states, pass each step's next-symbol
    probabilities (``alphabet.size`` numbers) to ``choose``, feed the symbol it returns
    back in while carrying ``h`` and ``c``, and stop when ``choose`` returns the end marker
    or after :data:`MAX_LETTERS` letters. It returns the letters as a string, without the
    markers.

    The check calls it three times with a seeded sampler as ``choose`` (the third time the
    sampler never returns ``$``, to test the letter limit), replays the drawn symbols through
    ``step_model`` and compares every probability vector and every word.

    Raises
    ------
    ValueError
        If ``step_model`` is not a model with inputs [letter, h, c] and outputs [probs, h, c]
        for this ``alphabet``.
    """
    name = "generate_word"
    units, vocab = _step_model_parts(step_model, alphabet)
    if generate_word is None:
        return say(False, "got None: write a function generate_word(choose)", name)
    if not callable(generate_word):
        return say(False, "expected a function generate_word(choose) that returns a word",
                   name)
    never = [0, alphabet.start_index]
    runs = []
    stateless = False  # the LSTM ran, but never with an initial state: no state carried
    # the third run never draws $: the loop must stop at 12 letters by itself
    for i, also_never in enumerate([[], [], [alphabet.end_index]]):
        chooser = _Chooser(vocab, never + also_never, np.random.default_rng(_SEED + i))
        try:
            with quiet(), _recording_lstm_calls(step_model) as lstm_calls:
                word = generate_word(chooser)  # quiet: prints would bury the verdict
        except _Stop as stop:
            return say(False, str(stop), name)
        except Exception as exc:  # the learner's code may fail in any way: report it
            text = (str(exc).strip().splitlines() or [""])[0][:50]
            return say(False, f"it raised {type(exc).__name__}" + (f": {text}" if text else ""),
                       name)
        if not chooser.picks:
            return say(False, "choose was never called: pass each step's probabilities "
                              "to choose(probs)", name)
        if word is None:
            return say(False, "it returned None: did you forget `return word`?", name)
        if not isinstance(word, str):
            arr, _ = to_array(word)
            hint = ("return the word as a string, e.g. lb.decode(codes, alphabet)"
                    if arr is not None else
                    f"expected the word as a string, got {type(word).__name__}")
            return say(False, hint, name)
        runs.append((chooser, word))
        stateless = stateless or (bool(lstm_calls) and not any(lstm_calls))

    # Every recorded probability vector against the step model's, for the symbols drawn.
    calls = max(len(ch.picks) for ch, _ in runs)
    feeds = np.full((len(runs), calls), alphabet.start_index)
    for r, (ch, _) in enumerate(runs):
        feeds[r, 1:len(ch.picks)] = ch.picks[:-1]
    reference = _replay(step_model, units, feeds)
    for r, (ch, _) in enumerate(runs):
        got = np.stack(ch.probs)
        ok = np.isclose(got, reference[r, :len(got)], rtol=1e-4, atol=1e-5).all(axis=1)
        if not ok.all():
            hint = _state_hint(step_model, units, alphabet, [ch], int(np.argmin(ok)))
            return say(False, hint, name)

    for ch, word in runs:
        if word != _expected_word(ch.picks, alphabet):
            return say(False, _word_hint(word, ch, alphabet), name)
    if stateless:
        return say(False, "it re-reads the word, carrying no h and c: feed step_model one "
                          "symbol and the last h, c", name)
    word = runs[-1][1]  # the run in which choose never returns $
    if len(word) < MAX_LETTERS:
        return say(False, f"with no $ drawn, the loop stopped after {len(word)} letters: "
                          f"stop at $ or after {MAX_LETTERS} letters", name)
    calls = sum(len(ch.picks) for ch, _ in runs)
    return say(True, f"the state carried through {calls} calls, {len(runs)} right words",
               name)


# --- Exercise: temperature ------------------------------------------------------------------

def _softmax_rows(z):
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def _temperature_case(probs, t, label, earlier=()):
    expected = _softmax_rows(np.log(probs) / t)
    power_t = probs ** t
    inv = probs ** (1 / t)
    mistakes = [(_softmax_rows(np.log(probs) / t0),
                 f"that is the result for T = {t0:g}: use the temperature argument")
                for t0 in earlier if t0 != t]
    mistakes += [
        (probs / t, "dividing p by T only rescales it: use p ** (1/T), then normalise"),
        (power_t / power_t.sum(axis=-1, keepdims=True),
         "that is p ** T: use the power 1/T, so that T < 1 sharpens"),
        (inv, "the rows do not sum to 1: divide each row by its sum"),
        (inv / inv.sum(axis=0, keepdims=True),
         "you normalised each column: normalise each row (axis=-1)"),
        (inv / inv.sum(), "you normalised the whole array: normalise each row (axis=-1)"),
        (_softmax_rows(probs / t), "that is softmax(p / T): p holds probabilities, "
                                   "use softmax(log(p) / T)"),
        (np.log(probs) / t, "these are log(p) / T: apply the softmax to get probabilities"),
    ]
    if t != 1:
        mistakes.append((probs, "the rows are unchanged: the temperature must reshape them"))

    def shape_hint(got):
        if int(np.prod(got)) == probs.shape[0]:
            return "one number per row: return the whole reshaped distribution, not a pick"
        return None

    def value_hint(got):
        sums = got.sum(axis=-1)
        if not np.allclose(sums, 1, atol=1e-4):
            return "the rows do not sum to 1: divide each row by its own sum"
        if np.any(got < 0):
            return "some values are negative: probabilities are >= 0"
        if np.any((got == 0) & (expected > 0)):
            return ("some probabilities are set to 0: keep every symbol, the temperature "
                    "only reshapes each row")
        return None

    return dict(args=(probs, t), expected=expected, mistakes=mistakes, label=label,
                shape_hint=shape_hint, value_hint=value_hint)


def temperature(with_temperature) -> Verdict:
    """Check ``with_temperature(probs, temperature)``: rows of ``p ** (1/T)``, normalised.

    ``probs`` is a (batch, symbols) array whose rows sum to 1; the answer has the same shape,
    each row proportional to ``p ** (1 / temperature)`` and summing to 1. It runs on fresh
    rows at T = 0.5, 2, 1 and 0.25.
    """
    rng = np.random.default_rng(_SEED)
    cases, earlier = [], []
    for t, rows, symbols in [(0.5, 4, 30), (2.0, 3, 30), (1.0, 2, 5), (0.25, 5, 12)]:
        probs = rng.dirichlet(np.full(symbols, 0.7), size=rows)
        probs = np.clip(probs, 1e-4, None)  # an epsilon in log(p + 1e-8) stays harmless
        probs /= probs.sum(axis=1, keepdims=True)
        cases.append(_temperature_case(probs, t, f"rows at T = {t:g}", earlier))
        earlier.append(t)
    with np.errstate(all="ignore"):
        problem = function_problem(with_temperature, cases,
                                   signature="probs, temperature", rtol=1e-4, atol=1e-6)
    return say(problem is None, problem or "right at T = 0.5, 2, 1 and 0.25",
               "with_temperature")
