"""Make Keras runs repeatable: the same numbers on every run and on every x86-64 machine."""

from __future__ import annotations

import os

__all__ = ["make_reproducible"]

_QUIET_ENV = {"TF_ENABLE_ONEDNN_OPTS": "0", "TF_CPP_MIN_LOG_LEVEL": "3"}


def make_reproducible(seed: int = 0) -> None:
    """Seed every generator and pin TensorFlow to one deterministic thread.

    - ``keras.utils.set_random_seed(seed)`` seeds Python, NumPy and the backend.
    - Deterministic ops and a single intra-/inter-op thread make floating-point sums run in one
      fixed order, so a laptop with 8 cores computes the same weights as a 2-core CI machine.
      The models in this book are tiny, so one thread costs nothing noticeable.

    Call it once, right after ``import keras`` and before building any model. The notebooks
    also set ``TF_ENABLE_ONEDNN_OPTS=0`` and ``TF_CPP_MIN_LOG_LEVEL=3`` before importing Keras;
    this function checks that they did, because afterwards it is too late.

    Raises
    ------
    ValueError
        If ``seed`` is not a non-negative integer.
    RuntimeError
        If the two environment variables were not set before TensorFlow was imported.
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    missing = [k for k, v in _QUIET_ENV.items() if os.environ.get(k) != v]
    if missing:
        raise RuntimeError(
            "set " + ", ".join(f"{k}={_QUIET_ENV[k]}" for k in missing)
            + " in os.environ before the first `import keras`"
        )
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    try:
        tf.config.threading.set_intra_op_parallelism_threads(1)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    except RuntimeError:
        # The runtime is already initialised (the function was called a second time):
        # the thread settings from the first call still hold.
        pass
