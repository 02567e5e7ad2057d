r"""A plain NumPy LSTM that reproduces ``keras.layers.LSTM`` from its weights.

Chapter 5 runs it next to a trained Keras layer and checks that both give the same numbers,
so the equations below are exactly what the layer computes.
"""

from __future__ import annotations

import numpy as np

__all__ = ["GATE_NAMES", "lstm_forward", "sigmoid"]

#: The four blocks of ``kernel``, ``recurrent_kernel`` and ``bias``, in the order Keras stores
#: them: input gate, forget gate, cell candidate, output gate. Block ``k`` is the column slice
#: ``[k * units:(k + 1) * units]``.
GATE_NAMES = ("i", "f", "g", "o")


def sigmoid(z):
    """The logistic function ``1 / (1 + exp(-z))``, in float64.

    Negative inputs use the equal form ``exp(z) / (1 + exp(z))``, so no ``exp`` ever
    overflows: large negative inputs give (nearly) 0 without a warning, and small values keep
    their full relative precision.
    """
    z = np.asarray(z, dtype=np.float64)
    out = np.empty_like(z)
    positive = z >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-z[positive]))
    e = np.exp(z[~positive])
    out[~positive] = e / (1.0 + e)
    return out if out.ndim else out[()]


def _as_float_array(value, name: str, ndim: int) -> np.ndarray:
    """``value`` as a finite float64 array with ``ndim`` dimensions, or a ValueError naming it."""
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged lists and the like
        raise ValueError(f"{name} could not be read as an array: {exc}") from exc
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    if arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got {arr.ndim}-D shape {arr.shape}")
    if 0 in arr.shape:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    arr = arr.astype(np.float64)  # a copy: the caller's array is never touched
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must hold finite values (no NaN or inf)")
    return arr


def lstm_forward(x, kernel, recurrent_kernel, bias, initial_state=None, *, return_gates=False):
    r"""Run an LSTM over ``x`` with the weights of a ``keras.layers.LSTM``, in float64.

    The weights are those of ``layer.get_weights()`` for a layer with the default
    activations (``activation="tanh"``, ``recurrent_activation="sigmoid"``). Each of them
    holds four blocks of ``units`` columns, in the order
    input gate $i$, forget gate $f$, cell candidate $g$, output gate $o$:
    ``kernel[:, 0:u]`` belongs to $i$, ``kernel[:, u:2u]`` to $f$, ``kernel[:, 2u:3u]`` to
    $g$ and ``kernel[:, 3u:4u]`` to $o$ (likewise for ``recurrent_kernel`` and ``bias``).

    For $t = 1, \dots, T$, with $W$ = ``kernel``, $U$ = ``recurrent_kernel``, $b$ = ``bias``
    and $\sigma$ the logistic sigmoid:

    $$
    \begin{aligned}
    i_t &= \sigma(x_t W_i + h_{t-1} U_i + b_i) \\
    f_t &= \sigma(x_t W_f + h_{t-1} U_f + b_f) \\
    g_t &= \tanh(x_t W_g + h_{t-1} U_g + b_g) \\
    o_t &= \sigma(x_t W_o + h_{t-1} U_o + b_o) \\
    c_t &= f_t \odot c_{t-1} + i_t \odot g_t \\
    h_t &= o_t \odot \tanh(c_t)
    \end{aligned}
    $$

    starting from $h_0 = c_0 = 0$ unless ``initial_state`` is given.

    Parameters
    ----------
    x : array-like, shape (batch, timesteps, features)
    kernel : array-like, shape (features, 4 * units)
    recurrent_kernel : array-like, shape (units, 4 * units)
    bias : array-like, shape (4 * units,), or None
        ``None`` stands for a layer built with ``use_bias=False`` (whose ``get_weights()``
        has only two arrays).
    initial_state : pair (h0, c0), optional
        A list or tuple of two arrays of shape (batch, units), as passed to Keras with
        ``layer(x, initial_state=[h0, c0])``. Zeros if omitted.
    return_gates : bool, default False
        Also return the gate activations (keyword only).

    Returns
    -------
    sequence : ndarray, float64, shape (batch, timesteps, units)
        $h_1, \dots, h_T$: what ``LSTM(units, return_sequences=True)`` returns.
    h : ndarray, float64, shape (batch, units)
        The final hidden state $h_T$, equal to ``sequence[:, -1, :]``: what ``LSTM(units)``
        returns, and the second tensor of ``return_state=True``.
    c : ndarray, float64, shape (batch, units)
        The final cell state $c_T$: the third tensor of ``return_state=True``.
    gates : dict, only if ``return_gates=True``
        ``{"i", "f", "g", "o"}`` -> float64 arrays of shape (batch, timesteps, units), plus
        ``"c"``: the cell states $c_1, \dots, c_T$ with the same shape.

    Raises
    ------
    ValueError
        If an argument is not numeric, has the wrong number of dimensions or a shape that does
        not fit the others, holds NaN or inf, or ``initial_state`` is not a pair of
        (batch, units) arrays. The message names the argument.

    Examples
    --------
    >>> x = np.ones((1, 2, 1))
    >>> kernel, recurrent_kernel, bias = np.zeros((1, 4)), np.zeros((1, 4)), np.zeros(4)
    >>> sequence, h, c = lstm_forward(x, kernel, recurrent_kernel, bias)
    >>> sequence.shape, h.shape, c.shape
    ((1, 2, 1), (1, 1), (1, 1))
    """
    if not isinstance(return_gates, (bool, np.bool_)):
        raise ValueError(f"return_gates must be True or False, got {return_gates!r}")
    x = _as_float_array(x, "x", 3)
    kernel = _as_float_array(kernel, "kernel", 2)
    recurrent_kernel = _as_float_array(recurrent_kernel, "recurrent_kernel", 2)
    batch, timesteps, features = x.shape

    if kernel.shape[1] % 4:
        raise ValueError(
            f"kernel must have 4 * units columns (gates i, f, g, o), got shape {kernel.shape}"
        )
    units = kernel.shape[1] // 4
    if kernel.shape[0] != features:
        raise ValueError(
            f"kernel has {kernel.shape[0]} rows but x has {features} features: "
            f"kernel must be (features, 4 * units) = ({features}, {4 * units})"
        )
    if recurrent_kernel.shape != (units, 4 * units):
        raise ValueError(
            f"recurrent_kernel must be (units, 4 * units) = ({units}, {4 * units}) to match "
            f"kernel, got shape {recurrent_kernel.shape}"
        )
    if bias is None:
        bias = np.zeros(4 * units)
    else:
        bias = _as_float_array(bias, "bias", 1)
        if bias.shape != (4 * units,):
            raise ValueError(f"bias must be (4 * units,) = ({4 * units},), got shape {bias.shape}")

    if initial_state is None:
        h = np.zeros((batch, units))
        c = np.zeros((batch, units))
    else:
        if not isinstance(initial_state, (list, tuple)) or len(initial_state) != 2:
            raise ValueError(
                "initial_state must be a pair [h0, c0] of (batch, units) arrays, got "
                + (f"a {type(initial_state).__name__} of length {len(initial_state)}"
                   if isinstance(initial_state, (list, tuple)) else repr(type(initial_state).__name__))
            )
        h = _as_float_array(initial_state[0], "initial_state[0] (h0)", 2)
        c = _as_float_array(initial_state[1], "initial_state[1] (c0)", 2)
        for name, state in (("initial_state[0] (h0)", h), ("initial_state[1] (c0)", c)):
            if state.shape != (batch, units):
                raise ValueError(
                    f"{name} must be (batch, units) = ({batch}, {units}), got shape {state.shape}"
                )

    # The input part of every gate, for all timesteps at once: (batch, timesteps, 4 * units).
    x_part = x @ kernel + bias
    sequence = np.empty((batch, timesteps, units))
    gates = {name: np.empty((batch, timesteps, units)) for name in (*GATE_NAMES, "c")}
    u = units
    for t in range(timesteps):
        z = x_part[:, t, :] + h @ recurrent_kernel
        i = sigmoid(z[:, 0:u])
        f = sigmoid(z[:, u:2 * u])
        g = np.tanh(z[:, 2 * u:3 * u])
        o = sigmoid(z[:, 3 * u:4 * u])
        c = f * c + i * g
        h = o * np.tanh(c)
        sequence[:, t, :] = h
        for name, value in zip((*GATE_NAMES, "c"), (i, f, g, o, c)):
            gates[name][:, t, :] = value

    if return_gates:
        return sequence, h, c, gates
    return sequence, h, c
