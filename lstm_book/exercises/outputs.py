"""Checks for chapter 10, *Exercises: what the layer returns*.

One function per exercise. Each prints one verdict and returns a
:class:`~lstm_book.checks.Verdict`. The fresh inputs come from :func:`lstm_book.lstm_forward`
with random weights and a fixed seed, so a verdict never changes between runs.
"""

from __future__ import annotations

import itertools

import numpy as np

from ..checks import (Verdict, array_problem, describe, function_problem, reference_array,
                      say, to_array)
from ..reference import lstm_forward, sigmoid

__all__ = ["last_step", "trajectories", "stack_shapes", "backward_final", "last_real",
           "lstm_step"]

_SEED = 20240610  # the fresh inputs are the same at every call


def _random_weights(rng, features: int, units: int):
    kernel = rng.normal(0.0, 0.7, (features, 4 * units))
    recurrent_kernel = rng.normal(0.0, 0.7, (units, 4 * units))
    bias = rng.normal(0.0, 0.5, 4 * units)
    return kernel, recurrent_kernel, bias


def _fresh_run(rng, batch: int, timesteps: int, features: int, units: int):
    """A real LSTM output: (sequence, final h) for a random input and random weights."""
    x = rng.normal(size=(batch, timesteps, features))
    sequence, h, _ = lstm_forward(x, *_random_weights(rng, features, units))
    return sequence, h


def _shape_label(shape) -> str:
    return f"a fresh batch of shape {tuple(shape)}"


# --- Exercise 1: locate the last step -------------------------------------------------------

def _last_step_case(seq, expected, label):
    batch, timesteps, units = seq.shape
    mistakes = [(seq[:, 0], "that is the first timestep")]
    mistakes += [(seq[:, k], f"that is timestep {k + 1} of {timesteps}, not the last")
                 for k in range(1, timesteps - 1)]

    def shape_hint(got):
        if got == seq.shape:
            return "that is the whole sequence; take one timestep"
        if got == (batch, 1, units):
            return "the time axis is kept (a slice like -1: keeps it); index with one number"
        if got == (timesteps, units):
            return "that indexes the batch axis (axis 0); timesteps are axis 1"
        if got == (batch, timesteps):
            return "that indexes the units axis (the last one); timesteps are axis 1"
        if len(got) == 1:
            return "expected one vector per sample: shape (batch, units)"
        return None

    return dict(args=(seq,), expected=expected, label=label, mistakes=mistakes,
                shape_hint=shape_hint)


def last_step(last_step_of, seq_out, last_out) -> Verdict:
    """Exercise 1: ``last_step_of(seq)`` returns the last step of a sequence output.

    It must turn ``seq_out`` into ``last_out`` (the single output of ``LSTM(units)`` with the
    same weights), and work on fresh batches of other shapes, where ``last_out`` and
    any fixed index are of no help.
    """
    seq = reference_array(seq_out, "seq_out", 3)
    last = reference_array(last_out, "last_out", 2)
    if last.shape != (seq.shape[0], seq.shape[2]):
        raise ValueError(f"last_out must be (batch, units) = {(seq.shape[0], seq.shape[2])}, "
                         f"got {last.shape}")
    rng = np.random.default_rng(_SEED)
    cases = [_last_step_case(seq, last, "seq_out")]
    for shape in ((3, 20, 5), (6, 7, 2)):
        fresh_seq, fresh_h = _fresh_run(rng, shape[0], shape[1], 1, shape[2])
        cases.append(_last_step_case(fresh_seq, fresh_h, _shape_label(shape)))
    problem = function_problem(last_step_of, cases, signature="seq")
    return say(problem is None,
               problem or "right on seq_out and on 2 fresh batches",
               "last_step_of")


# --- Exercise 2: two inputs, two trajectories ------------------------------------------------

def _trajectory_problem(traj, seq, i_want, name_want, i_other, name_other):
    batch, timesteps, units = seq.shape
    mistakes = [(seq[i_other], f"that is window {name_other}'s path: are the two swapped?")]
    mistakes += [(seq[k], f"that is the path of window {k}, not of {name_want}")
                 for k in range(batch) if k not in (i_want, i_other)]
    mistakes.append((seq[i_want, ::-1], "the timesteps are in reverse order: row 0 is t = 1"))

    def shape_hint(got):
        if got == (1, timesteps, units):
            return "it keeps a batch axis of size 1: take that one row"
        if got == (2, timesteps, units):
            return "that holds both windows; give each variable one window"
        if got == (units,):
            return "that is a single step (one vector); keep every timestep"
        if got == (units, timesteps):
            return "it is transposed: one row per timestep, one column per unit"
        if got == (timesteps, 1) and units != 1:
            return (f"one column, like the input window: the LSTM's output has one "
                    f"column per unit ({units})")
        if got == (timesteps,) or (len(got) == 2 and got[0] == timesteps):
            return f"expected one column per unit ({units} units) and one row per timestep"
        if got == (batch, units):
            return "that indexes the time axis (axis 1); windows are axis 0"
        return None

    return array_problem(traj, seq[i_want], rtol=1e-5, atol=1e-5, shape_hint=shape_hint,
                         known_mistakes=mistakes)


def trajectories(traj_rise, traj_fall, seq_out, i_rise: int, i_fall: int) -> Verdict:
    """Exercise 2: the hidden-state trajectories of windows ``i_rise`` and ``i_fall``.

    Each is ``(timesteps, units)``: row ``i`` of ``seq_out``, whether read from ``seq_out``,
    from ``seq_layer`` called on the window, or from ``lb.lstm_forward`` (to 1e-5).
    """
    seq = reference_array(seq_out, "seq_out", 3)
    for name, i in (("i_rise", i_rise), ("i_fall", i_fall)):
        if isinstance(i, bool) or not isinstance(i, (int, np.integer)) \
                or not 0 <= i < seq.shape[0]:
            raise ValueError(f"{name} must be a window index in 0..{seq.shape[0] - 1}, got {i!r}")
    for name, traj, i, name_other, i_other in (
            ("traj_rise", traj_rise, i_rise, "i_fall", i_fall),
            ("traj_fall", traj_fall, i_fall, "i_rise", i_rise)):
        want = "i_rise" if name == "traj_rise" else "i_fall"
        problem = _trajectory_problem(traj, seq, i, want, i_other, name_other)
        if problem:
            return say(False, problem, name)
    return say(True, "traj_rise and traj_fall are the hidden-state paths of both windows")


# --- Exercise 3: shapes through a stack ------------------------------------------------------

def _as_shape(item):
    """A shape as a tuple of ints and None, or None if ``item`` is not one."""
    if isinstance(item, (str, bytes)) or not hasattr(item, "__iter__"):
        return None
    try:
        dims = list(item)
    except Exception:
        return None
    shape = []
    for dim in dims:
        if dim is None:
            shape.append(None)
        elif isinstance(dim, (int, np.integer)) and not isinstance(dim, bool):
            shape.append(int(dim))
        else:
            return None
    return tuple(shape)


def _layer_shape_hint(layer, got, want) -> str:
    name = layer.name
    recurrent = hasattr(layer, "return_sequences")
    if got == want[1:]:
        return f"{name}: {got} has no batch axis; Keras shapes start with the batch size"
    if len(got) == len(want) and got[0] == -1 and got[1:] == want[1:]:
        return f"{name}: Keras writes an open batch size as None, not -1"
    if len(got) == len(want) and got[0] is not None and got[1:] == want[1:]:
        return (f"{name}: the batch size is None until data flows "
                "(the model starts from keras.Input)")
    if recurrent and len(got) == 2 and len(want) == 3:
        return f"{name} has return_sequences=True: its output keeps the time axis"
    if recurrent and len(got) == 3 and len(want) == 2:
        return f"{name} has return_sequences=False: it returns its last step only"
    if len(got) != len(want):
        return f"{name}: Dense changes only the last axis of its input"
    if got[-1] != want[-1]:
        return f"{name}: the last axis has one entry per unit of the layer"
    if len(got) == 3 and got[1] != want[1]:
        return f"{name}: the time axis keeps the length of the input"
    return f"{name}: {got} is not its output shape"


def stack_shapes(shapes, stack) -> Verdict:
    """Exercise 3: the output shape of every layer of ``stack``, batch axis ``None``.

    Lists or tuples, and ``numpy`` integers, are all fine. A failed check names the first
    layer that is wrong and the likely reason, never its shape.
    """
    layers = list(getattr(stack, "layers", None) or [])
    if not layers:
        raise ValueError("stack must be a built Keras model with layers")
    expected = [tuple(layer.output.shape) for layer in layers]
    n = len(layers)
    name = "shapes"
    if shapes is None:
        return say(False, "got None: replace None with a list of shape tuples", name)
    if isinstance(shapes, (str, bytes)) or not isinstance(shapes, (list, tuple)):
        return say(False, f"expected a list of {n} shape tuples, got {describe(shapes)}",
                   name)
    if _as_shape(shapes) is not None and len(shapes):  # one shape, not a list of them
        if len(shapes) == n and None not in shapes:
            return say(False, f"{n} numbers, one per layer: give each layer's whole "
                              "output shape, a tuple like (None, 5)", name)
        return say(False, f"that is one shape; expected a list of {n}, one per layer", name)
    input_shape = tuple(stack.inputs[0].shape) if getattr(stack, "inputs", None) else None
    if len(shapes) and input_shape != expected[0] and _as_shape(shapes[0]) == input_shape:
        return say(False, "the first shape is the input's; list the layers' outputs only",
                   name)
    if len(shapes) != n:
        return say(False, f"expected one shape per layer of stack.layers ({n}), "
                          f"got {len(shapes)}", name)
    got_shapes = [_as_shape(item) for item in shapes]
    for i, (item, got) in enumerate(zip(shapes, got_shapes)):
        if got is None:
            if isinstance(item, (str, bytes)) or not hasattr(item, "__iter__"):
                return say(False, f"item {i} is {describe(item)}, not a shape tuple "
                                  "like (None, 5)", name)
            return say(False, f"item {i} holds something else than ints and None",
                       name)
    for layer, got, want in zip(layers, got_shapes, expected):
        if got != want:
            return say(False, _layer_shape_hint(layer, got, want), name)
    return say(True, f"all {n} layer output shapes match", name)


# --- Exercise 4: the backward final state ----------------------------------------------------

def _fresh_bidirectional(rng, batch, timesteps, features, units):
    """A Bidirectional(LSTM, merge_mode="concat") sequence output and the backward final h."""
    x = rng.normal(size=(batch, timesteps, features))
    forward, _, _ = lstm_forward(x, *_random_weights(rng, features, units))
    backward_rev, backward_h, _ = lstm_forward(x[:, ::-1], *_random_weights(rng, features, units))
    return np.concatenate([forward, backward_rev[:, ::-1]], axis=-1), backward_h


def _backward_case(seq, units, expected, label):
    batch, timesteps, _ = seq.shape
    mistakes = [
        (seq[:, -1, units:], "that is the backward half at the last index, where the "
                             "backward LSTM starts reading"),
        (seq[:, -1, :units], "that is the forward final state (the first half)"),
        (seq[:, 0, :units], "that is the forward half at t = 1; the backward half is "
                            "the second half"),
    ]
    mistakes += [(seq[:, k, units:], f"that is the backward half at index {k}; the "
                                     "backward LSTM reads to index 0 and ends there")
                 for k in range(1, timesteps - 1)]

    def shape_hint(got):
        if got == (batch, 2 * units):
            return "it keeps both directions (2 * units features); take the backward half"
        if got == (batch, timesteps, units):
            return "that is the whole backward sequence; take one timestep"
        if got == seq.shape:
            return "that is the whole output; take one timestep of the backward half"
        return None

    return dict(args=(seq, units), expected=expected, label=label, mistakes=mistakes,
                shape_hint=shape_hint,
                moved_hint="it fits the notebook's layer only: use the units argument "
                           "and indices that fit any length")


def backward_final(backward_final_of, bi_seq, bwd_h) -> Verdict:
    """Exercise 4: ``backward_final_of(seq, units)`` reads the backward final state.

    ``seq`` is the sequence output of ``Bidirectional(LSTM(units, return_sequences=True))``
    (``merge_mode="concat"``). The function must turn ``bi_seq`` into ``bwd_h`` and do the
    same for fresh layers with other sizes, so ``bwd_h`` itself, or a fixed number of units,
    cannot pass.
    """
    seq = reference_array(bi_seq, "bi_seq", 3)
    h = reference_array(bwd_h, "bwd_h", 2)
    units = h.shape[1]
    if seq.shape[0] != h.shape[0] or seq.shape[2] != 2 * units:
        raise ValueError(f"bi_seq must be (batch, timesteps, 2 * units) = "
                         f"({h.shape[0]}, T, {2 * units}) to match bwd_h, got {seq.shape}")
    rng = np.random.default_rng(_SEED + 4)
    cases = [_backward_case(seq, units, h, "bi_seq")]
    for batch, timesteps, n_units in ((3, 9, 5), (5, 6, 2)):
        fresh_seq, fresh_h = _fresh_bidirectional(rng, batch, timesteps, 2, n_units)
        label = f"a fresh layer of {n_units} units, output {fresh_seq.shape}"
        cases.append(_backward_case(fresh_seq, n_units, fresh_h, label))
    problem = function_problem(backward_final_of, cases, signature="seq, units")
    return say(problem is None,
               problem or "right on bi_seq and on 2 fresh layers",
               "backward_final_of")


# --- Exercise 5: right and left padding under a mask -----------------------------------------

def _masked_outputs(rng, lengths, timesteps, features, units):
    """What a masked LSTM returns for right- and left-padded copies of the same sequences.

    ``right_cpu``: padded steps repeat the last real output (Keras on a CPU);
    ``right_gpu``: padded steps are 0 (cuDNN on a GPU); ``left``: leading padded steps are 0.
    ``last``: the output at each sequence's last real step.
    """
    weights = _random_weights(rng, features, units)
    batch = len(lengths)
    right_cpu = np.zeros((batch, timesteps, units))
    right_gpu = np.zeros_like(right_cpu)
    left = np.zeros_like(right_cpu)
    last = np.zeros((batch, units))
    for i, n in enumerate(lengths):
        alone, h, _ = lstm_forward(rng.normal(size=(1, n, features)), *weights)
        right_cpu[i, :n] = right_gpu[i, :n] = alone[0]
        right_cpu[i, n:] = alone[0, -1]
        left[i, timesteps - n:] = alone[0]
        last[i] = h[0]
    return right_cpu, right_gpu, left, last


def _padding_case(seq, lengths, last, label, side):
    batch, timesteps, units = seq.shape
    rows = np.arange(batch)
    if side == "right":
        mistakes = [
            (seq[:, -1], "seq[:, -1] is a padded step for short sequences, and on a GPU "
                         "padded steps hold 0: use lengths"),
            (seq[:, 0], "that is step 0 of every sequence; each ends at its own index, "
                        "lengths[i] - 1"),
            (seq[rows, lengths - 2],
             "that is the step before the last real one: the last is lengths[i] - 1"),
        ]
    else:
        mistakes = [
            (seq[rows, lengths - 1], "index length - 1 is the end only for right padding; "
                                     "here the padding comes first"),
            (seq[rows, timesteps - lengths], "that is each sequence's first real step"),
            (seq[:, 0], "that is the first step, a padded one for short sequences"),
        ]

    def shape_hint(got):
        if got == (batch, batch, units):
            return ("that takes every length's step for every sample; pair each sample "
                    "with its own length")
        if got == seq.shape:
            return "that is the whole sequence; take one step per sample"
        return None

    return dict(args=(seq, lengths.copy()), expected=last, label=label, mistakes=mistakes,
                shape_hint=shape_hint)


def last_real(last_right, last_left) -> Verdict:
    """Exercise 5: ``last_right(seq, lengths)`` and ``last_left(seq, lengths)``.

    Each returns, for the sequence output of a masked LSTM, the output at every sample's
    last real step, ``(batch, units)``; ``lengths`` is a NumPy array of ints. ``last_right``
    must be right on right-padded batches both as a CPU returns them (padded steps repeat
    the last output) and as a GPU does (padded steps hold 0); ``last_left`` on left-padded
    batches (padded steps hold 0).
    """
    rng = np.random.default_rng(_SEED + 5)
    batches = []
    for lengths, timesteps, units in (([4, 10, 1, 7], 10, 3), ([2, 6, 5], 6, 5)):
        lengths = np.array(lengths)
        batches.append((lengths, *_masked_outputs(rng, lengths, timesteps, 2, units)))
    (len_a, cpu_a, gpu_a, left_a, last_a), (len_b, _, gpu_b, left_b, last_b) = batches
    right_cases = [
        _padding_case(cpu_a, len_a, last_a, "right padding as on a CPU", "right"),
        _padding_case(gpu_a, len_a, last_a, "right padding as on a GPU", "right"),
        _padding_case(gpu_b, len_b, last_b, "another right-padded batch", "right"),
    ]
    left_cases = [
        _padding_case(left_a, len_a, last_a, "a left-padded batch", "left"),
        _padding_case(left_b, len_b, last_b, "another left-padded batch", "left"),
    ]
    for name, fn, cases in (("last_right", last_right, right_cases),
                            ("last_left", last_left, left_cases)):
        problem = function_problem(fn, cases, signature="seq, lengths")
        if problem:
            return say(False, problem, name)
    return say(True, "last_right and last_left find the last real step, CPU or GPU")


# --- Exercise 6: one LSTM step by hand -------------------------------------------------------

def _step(x, h0, c0, kernel, recurrent_kernel, bias, *, order="ifgo", use_bias=True,
          recurrent=True, old_cell=True, candidate=np.tanh, gate=sigmoid,
          interleaved=False, cell="f*c0+i*g"):
    """One LSTM step, optionally with a learner's mistake. Returns (i, f, g, o, c).

    ``h0`` feeds the recurrent term and ``c0`` is the old cell state (pass them swapped, or
    zeros, to make those mistakes); ``interleaved`` reads the gates unit by unit
    (columns 0, 4, 8, ... for i) instead of as four blocks; ``cell`` is the update.
    """
    z = x @ kernel + (h0 @ recurrent_kernel if recurrent else 0.0) + (bias if use_bias else 0.0)
    parts = [z[:, k::4] for k in range(4)] if interleaved else np.split(z, 4, axis=-1)
    blocks = dict(zip(order, parts))
    i, f, o = gate(blocks["i"]), gate(blocks["f"]), gate(blocks["o"])
    g = candidate(blocks["g"])
    c = {"f*c0+i*g": (f * c0 if old_cell else 0.0) + i * g,
         "f*c0+g": f * c0 + g,
         "f*c0+i": f * c0 + i,
         "f*c0+(1-f)*g": f * c0 + (1 - f) * g,
         "c0+i*g": c0 + i * g}[cell]
    return i, f, g, o, c


def _weights_of(layer_or_weights):
    weights = (layer_or_weights.get_weights() if hasattr(layer_or_weights, "get_weights")
               else layer_or_weights)
    if not isinstance(weights, (list, tuple)) or len(weights) != 3:
        raise ValueError("layer must be an LSTM layer with a bias, or a list "
                         "[kernel, recurrent_kernel, bias]")
    kernel = reference_array(weights[0], "kernel", 2)
    recurrent_kernel = reference_array(weights[1], "recurrent_kernel", 2)
    bias = reference_array(weights[2], "bias", 1)
    return kernel, recurrent_kernel, bias


def lstm_step(h_1, c_1, x_1, h_0, c_0, layer) -> Verdict:
    """Exercise 6: one LSTM step by hand, ``h_1`` and ``c_1`` of shape (batch, units).

    ``x_1`` is the one-step input, (batch, 1, features) or (batch, features); ``h_0`` and
    ``c_0`` the initial state; ``layer`` the ``keras.layers.LSTM`` (or its three weights).
    ``h_0``, ``c_0`` and every block of the bias must be non-zero, so that leaving out any
    term of the equations changes the result and is caught.
    """
    kernel, recurrent_kernel, bias = _weights_of(layer)
    x = reference_array(x_1, "x_1", np.ndim(x_1))
    if x.ndim == 3 and x.shape[1] == 1:
        x = x[:, 0]
    if x.ndim != 2 or x.shape[1] != kernel.shape[0]:
        raise ValueError(f"x_1 must be (batch, 1, features) with {kernel.shape[0]} features, "
                         f"got {np.shape(x_1)}")
    units = recurrent_kernel.shape[0]
    h0, c0 = reference_array(h_0, "h_0", 2), reference_array(c_0, "c_0", 2)
    for name, value in (("h_0", h0), ("c_0", c0)):
        if value.shape != (x.shape[0], units):
            raise ValueError(f"{name} must be (batch, units) = {(x.shape[0], units)}, "
                             f"got {value.shape}")
        if not np.any(value):
            raise ValueError(f"{name} is all zeros: a missing term could not be caught")
    if any(not np.any(block) for block in np.split(bias, 4)):
        raise ValueError("every gate block of bias must be non-zero: a missing bias "
                         "could not be caught")

    weights = (kernel, recurrent_kernel, bias)
    i, f, g, o, c = _step(x, h0, c0, *weights)
    h = o * np.tanh(c)
    tol = dict(rtol=1e-4, atol=1e-5)

    def shape_hint(got):
        if got == (x.shape[0], 1, units):
            return "it has a timestep axis; one step is (batch, units)"
        if got == (units,):
            return "keep the batch axis: one step is (batch, units)"
        if got == (x.shape[0], 4 * units):
            return "that is 4 * units wide, all four gates; keep one block"
        return None

    arrays = {}
    for name, answer in (("h_1", h_1), ("c_1", c_1)):
        arr, problem = to_array(answer)
        if problem or arr.shape != h.shape:
            return say(False, problem or array_problem(arr, h, shape_hint=shape_hint), name)
        if not np.all(np.isfinite(arr)):
            return say(False, "contains NaN or inf", name)
        arrays[name] = arr
    h_arr, c_arr = arrays["h_1"], arrays["c_1"]
    if np.allclose(h_arr, c, **tol) and np.allclose(c_arr, h, **tol):
        return say(False, "h_1 and c_1 are swapped")

    c_mistakes = []
    initial_bias = np.zeros_like(bias)
    initial_bias[units:2 * units] = 1.0  # a new layer's bias (unit_forget_bias)
    zeros = np.zeros_like(h0)
    for state, kwargs, hint in (
            ((h0, c0), dict(use_bias=False), "you left out the bias b"),
            ((h0, c0), dict(recurrent=False), "you left out the recurrent term h_0 U"),
            ((h0, c0), dict(old_cell=False),
             "you left out f * c_0, the old cell state that is kept"),
            ((h0, c0), dict(candidate=sigmoid), "the candidate g uses tanh, not the sigmoid"),
            ((h0, c0), dict(candidate=lambda z: z), "the candidate g needs its tanh"),
            ((h0, c0), dict(gate=lambda z: z), "the gates i, f and o need the sigmoid"),
            ((h0, c0), dict(gate=np.tanh), "the gates i, f and o use the sigmoid, not tanh"),
            ((h0, h0), {}, "the old cell state in f * c_0 is c_0, not h_0"),
            ((c0, c0), {}, "the recurrent term is h_0 U, with h_0, not c_0"),
            ((c0, h0), {}, "h_0 and c_0 are swapped: h_0 goes into h_0 U, c_0 into f * c_0"),
            ((zeros, zeros), {}, "you started from h = c = 0: start from h_0 and c_0"),
            ((h0, c0), dict(interleaved=True),
             f"the gates are 4 blocks of {units} columns (i, f, g, o), not interleaved "
             "by unit"),
            ((h0, c0), dict(cell="f*c0+g"), "the input gate scales the candidate: i * g"),
            ((h0, c0), dict(cell="f*c0+i"), "the input gate scales the candidate: i * g"),
            ((h0, c0), dict(cell="f*c0+(1-f)*g"),
             "Keras's input gate is its own gate i, not 1 - f: c_1 = f * c_0 + i * g"),
            ((h0, c0), dict(cell="c0+i*g"), "the forget gate scales the old cell: f * c_0"),
    ):
        c_mistakes.append((_step(x, *state, *weights, **kwargs)[4], hint))
    c_mistakes.append((_step(x, h0, c0, kernel, recurrent_kernel, initial_bias)[4],
                       "that uses a new layer's bias (1 for f, 0 elsewhere); this layer's "
                       "bias is random"))
    for order in itertools.permutations("ifgo"):
        order = "".join(order)
        if order != "ifgo":
            c_mistakes.append((_step(x, h0, c0, *weights, order=order)[4],
                               f"you read the blocks in the order {', '.join(order)}; "
                               "check the gate order"))
    problem = array_problem(c_arr, c, known_mistakes=c_mistakes, **tol)
    if problem:
        return say(False, problem, "c_1")

    h_mistakes = [
        (o * c, "the tanh is missing: h_1 = o * tanh(c_1)"),
        (np.tanh(c), "the output gate o is missing: h_1 = o * tanh(c_1)"),
        (o * np.tanh(c0), "h_1 uses the new cell state c_1, not c_0"),
        (c, "h_1 equals c_1; h_1 = o * tanh(c_1)"),
        (sigmoid(c) * o, "h_1 = o * tanh(c_1), with tanh, not the sigmoid"),
        (np.tanh(o * c), "the tanh applies to c_1 alone: h_1 = o * tanh(c_1)"),
    ]
    h_mistakes += [(gate * np.tanh(c), f"h_1 uses the output gate o, the fourth block, "
                                       f"not {name}")
                   for gate, name in ((i, "i"), (f, "f"), (sigmoid(g), "sigmoid of g"))]
    problem = array_problem(h_arr, h, known_mistakes=h_mistakes, **tol)
    if problem:
        return say(False, problem, "h_1")
    return say(True, "h_1 and c_1 match the layer's step, every term included")
