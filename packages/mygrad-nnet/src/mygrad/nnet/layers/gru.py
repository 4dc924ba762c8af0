"""The gated recurrent unit (GRU): one operation, a NumPy forward pass and a hand-written backward pass.

The forward pass projects the whole input sequence onto the three gates at once (one batched matrix
product), then steps through time; the backward pass (backpropagation through time, optionally truncated)
walks the steps in reverse and ends with one batched matrix product per kind of weight, over all steps.
Only the loop over time steps is in Python; everything in it is vectorized over the batch and hidden units.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

import numpy as np

import mygrad as mg
from mygrad.nnet._utils import TypeAssertionError, ValueAssertionError
from mygrad.operation_base import Operation

__all__ = ["gru"]

# The operands in the order the operation receives them (s0 last, and only when it is given).
_NAMES = ("X", "Uz", "Wz", "bz", "Ur", "Wr", "br", "Uh", "Wh", "bh", "s0")


class GRUnit(Operation):
    """The whole GRU sequence as one node of the graph (see :func:`gru`).

    Per-gate quantities are stacked along a leading axis of length 3 in the order z, r, h (input weights
    ``(3, C, D)``, input projections ``(3, T, N, D)``, gradients of the pre-activations ``(3, T, N, D)``),
    so that every slice the time loop touches is contiguous.
    """

    _cache: tuple[Any, list] | None = None  # (upstream gradient, the gradients it gives every variable)
    _recorded: tuple[Any, list] | None = None  # the same, as Tensors, in the recorded backward pass

    def __call__(
        self,
        *tensors: mg.Tensor,
        dtype: np.dtype,
        bp_lim: int | None,
        input_mask: np.ndarray | None,
        hidden_mask: np.ndarray | None,
    ) -> np.ndarray:
        self.variables = tensors
        X = tensors[0].data
        T, N, C = X.shape
        D = tensors[1].shape[1]
        self.dtype = dtype
        self.bp_lim = bp_lim
        self.input_mask = input_mask  # (3, N, D), already divided by the keep probability; or None
        self.hidden_mask = hidden_mask  # (3, D, D), likewise

        U = np.stack([tensors[i].data for i in (1, 4, 7)], dtype=dtype)  # (3, C, D)
        W = np.stack([tensors[i].data for i in (2, 5, 8)], dtype=dtype)  # (3, D, D)
        b = np.stack([tensors[i].data for i in (3, 6, 9)], dtype=dtype)  # (3, D)
        if hidden_mask is not None:
            W *= hidden_mask  # DropConnect: the same dropped weights at every step
        self.U = U
        self.W = W  # the effective hidden-hidden weights, used again by the backward pass

        # sigmoid(a) = (1 + tanh(a / 2)) / 2: the halving is folded into the z and r weights and biases
        # (exact: a power of two), and tanh cannot overflow.
        half = np.array([0.5, 0.5, 1.0], dtype=dtype)[:, None, None]
        X2 = X.reshape(T * N, C)
        # Every step's input projection at once: (T*N, C) @ (3, C, D) -> (3, T*N, D).
        if input_mask is None:
            # the biases ride along as one more input feature that is always 1: no pass over the result
            X1 = np.empty((T * N, C + 1), dtype=dtype)
            X1[:, :C] = X2
            X1[:, C] = 1
            proj = np.matmul(X1, np.concatenate((U, b[:, None]), axis=1) * half).reshape(3, T, N, D)
        else:
            proj = np.matmul(X2.astype(dtype, copy=False), U * half).reshape(3, T, N, D)
            proj *= input_mask[:, None]  # variational dropout: the same mask at every step
            proj += (b * half[:, 0])[:, None, None]
        P_z, P_r, P_h = proj
        W_z = W[0] * 0.5
        W_r = W[1] * 0.5
        W_h = W[2]

        S = np.empty((T + 1, N, D), dtype=dtype)
        self.zero_start = len(tensors) == 10  # s0 defaults to zeros: step 0 skips its hidden products
        if self.zero_start:
            S[0] = 0
        else:
            S[0] = tensors[10].data
        Z = np.empty((T, N, D), dtype=dtype)  # update gates
        R = np.empty((T, N, D), dtype=dtype)  # reset gates
        H = np.empty((T, N, D), dtype=dtype)  # candidate states
        RS = np.empty((T, N, D), dtype=dtype)  # reset gate times the previous state
        sh = np.empty((N, D), dtype=dtype)
        for t in range(T):
            s = S[t]
            z, r, h, rs = Z[t], R[t], H[t], RS[t]
            if t or not self.zero_start:
                np.matmul(s, W_z, out=z)
                z += P_z[t]
                np.matmul(s, W_r, out=r)
                r += P_r[t]
            else:
                z[...] = P_z[t]
                r[...] = P_r[t]
            np.tanh(z, out=z)
            z *= 0.5
            z += 0.5
            np.tanh(r, out=r)
            r *= 0.5
            r += 0.5
            np.multiply(r, s, out=rs)
            if t or not self.zero_start:
                np.matmul(rs, W_h, out=h)
                h += P_h[t]
            else:
                h[...] = P_h[t]
            np.tanh(h, out=h)
            np.subtract(s, h, out=sh)
            s_next = S[t + 1]  # (1 - z) h + z s = h + z (s - h)
            np.multiply(sh, z, out=s_next)
            s_next += h
        self.S, self.Z, self.R, self.H, self.RS = S, Z, R, H, RS
        return S

    # ------------------------------------------------------------------------------------------ backward
    def backward(self, grad: np.ndarray, **kwargs: Any) -> None:
        """Run backpropagation through time once, then let the base class hand out each variable's share."""
        self._cache = (grad, self._bptt(np.asarray(grad)))
        try:
            super().backward(grad, **kwargs)
        finally:
            self._cache = None

    def backward_var(self, grad: Any, index: int, **kwargs: Any) -> Any:
        if isinstance(grad, mg.Tensor):  # the recorded backward pass (higher-order derivatives)
            return self._recorded_var(grad, index)
        # one pass computes every variable's gradient: run it once per upstream gradient
        if self._cache is None or self._cache[0] is not grad:
            self._cache = (grad, self._bptt(np.asarray(grad)))
        return self._cache[1][index]

    # ---------------------------------------------------------------------------------- recorded backward
    def _recorded_var(self, grad: mg.Tensor, index: int) -> mg.Tensor | None:
        """The gradient of variable ``index`` as a Tensor computed from the variables with mygrad operations.

        The recorded backward pass asks for the non-constant variables one by one, in order, with the same
        ``grad``: backpropagation through time runs once, and its results are let go after the last one
        (so that the operation holds no graph of gradients)."""
        cached = self._recorded
        if cached is None or cached[0] is not grad:
            cached = self._recorded = (grad, self._recorded_bptt(grad))
        if index == max(i for i, v in enumerate(self.variables) if not v.constant):
            self._recorded = None
        return cached[1][index]

    def _recorded_bptt(self, grad: mg.Tensor) -> list[mg.Tensor | None]:
        """``_bptt`` in mygrad operations: the forward pass again, on the variables, then backpropagation
        through time (truncated at ``bp_lim`` likewise), so the gradients are differentiable in turn.

        Truncated BPTT is not the derivative of the forward function, so it cannot come from differentiating
        a composite of the forward pass: the rule itself is written on Tensors."""
        variables = self.variables
        dtype = self.dtype
        X = variables[0].astype(dtype)
        T, N, _ = X.shape
        D = variables[1].shape[1]
        U = [variables[i].astype(dtype) for i in (1, 4, 7)]
        W = [variables[i].astype(dtype) for i in (2, 5, 8)]
        b = [variables[i].astype(dtype) for i in (3, 6, 9)]
        if self.hidden_mask is not None:
            W = [w * m for w, m in zip(W, self.hidden_mask)]
        proj = [mg.matmul(X, u) for u in U]  # (T, N, D) per gate
        if self.input_mask is not None:
            proj = [p * m for p, m in zip(proj, self.input_mask)]
        proj = [p + bias for p, bias in zip(proj, b)]

        def sigmoid(a: mg.Tensor) -> mg.Tensor:
            return (1 + mg.tanh(a / 2)) / 2  # no overflow

        s = mg.zeros((N, D), dtype=dtype, constant=True) if self.zero_start else variables[10].astype(dtype)
        S, Z, R, H = [s], [], [], []
        for t in range(T):
            z = sigmoid(proj[0][t] + mg.matmul(s, W[0]))
            r = sigmoid(proj[1][t] + mg.matmul(s, W[1]))
            h = mg.tanh(proj[2][t] + mg.matmul(r * s, W[2]))
            s = h + z * (s - h)
            S.append(s)
            Z.append(z)
            R.append(r)
            H.append(h)

        G = grad.astype(dtype)
        Wz_T, Wr_T, Wh_T = (mg.swapaxes(w, 0, 1) for w in W)
        dA: list[list[mg.Tensor]] = [[], [], []]  # per gate, per step (in reverse)
        ages = [G[T]]  # the gradient at S[t], split by how many steps it has travelled back
        for t in range(T - 1, -1, -1):
            s, z, r, h = S[t], Z[t], R[t], H[t]
            # d(S[t+1]) / d(pre-activations): per unit of the gradient that arrives at S[t+1]
            step = ((s - h) * z * (1 - z), (1 - z) * (1 - h * h), s * r * (1 - r), r, z, Wz_T, Wr_T, Wh_T)
            total = ages[0] if len(ages) == 1 else mg.add_sequence(*ages)
            d_az, d_ar, d_ah, to_prev = _step_back(total, *step)
            for gate, d in zip(dA, (d_az, d_ar, d_ah)):
                gate.append(d)
            # truncated: every age below bp_lim moves one step further back; age bp_lim is dropped
            lim = self.bp_lim
            ages = [G[t] + to_prev] if lim is None else [G[t], *(_step_back(a, *step)[3] for a in ages[:lim])]
        d_s0 = ages[0] if len(ages) == 1 else mg.add_sequence(*ages)

        def steps(values: list[mg.Tensor]) -> mg.Tensor:  # (T, N, D), in time order
            if not values:
                return mg.zeros((0, N, D), dtype=dtype, constant=True)
            return mg.stack(values[::-1])

        dA_z, dA_r, dA_h = (steps(d) for d in dA)
        grads: list[mg.Tensor | None] = [None] * len(variables)
        if len(variables) == 11:
            grads[10] = d_s0
        flat = [d.reshape(T * N, D) for d in (dA_z, dA_r, dA_h)]
        for i, d in zip((3, 6, 9), flat):
            grads[i] = mg.sum(d, axis=0)
        previous = steps(S[:-1][::-1]).reshape(T * N, D)
        reset = steps([r * s for r, s in zip(R[::-1], S[-2::-1])]).reshape(T * N, D)
        for k, (i, inputs) in enumerate(zip((2, 5, 8), (previous, previous, reset))):
            dW = mg.matmul(mg.swapaxes(inputs, 0, 1), flat[k])
            grads[i] = dW if self.hidden_mask is None else dW * self.hidden_mask[k]
        d_proj = [dA_z, dA_r, dA_h]
        if self.input_mask is not None:
            d_proj = [d * m for d, m in zip(d_proj, self.input_mask)]
        grads[0] = mg.add_sequence(*(mg.matmul(d, mg.swapaxes(u, 0, 1)) for d, u in zip(d_proj, U)))
        X_T = mg.swapaxes(X.reshape(T * N, X.shape[2]), 0, 1)
        for i, d in zip((1, 4, 7), d_proj):
            grads[i] = mg.matmul(X_T, d.reshape(T * N, D))
        return grads

    def _bptt(self, grad: np.ndarray) -> list[np.ndarray | None]:
        variables = self.variables
        needed = [not v.constant for v in variables]
        dtype = self.dtype
        S, RS, W = self.S, self.RS, self.W
        T, N, D = self.H.shape
        G = grad.astype(dtype, copy=False)

        # dA[g, t]: the gradient of the loss with respect to gate g's pre-activation at step t
        dA = np.empty((3, T, N, D), dtype=dtype)
        W_T = np.ascontiguousarray(W.transpose(0, 2, 1))  # (Wz^T, Wr^T, Wh^T), effective weights
        want_s0 = len(variables) == 11 and needed[10]
        d_s0 = (
            self._full_bptt(G, dA, W_T, want_s0) if self.bp_lim is None else self._truncated_bptt(G, dA, W_T)
        )

        grads: list[np.ndarray | None] = [None] * len(variables)
        if want_s0:
            grads[10] = d_s0
        flat = dA.reshape(3, T * N, D)
        if any(needed[i] for i in (3, 6, 9)):
            db = np.matmul(np.ones(T * N, dtype=dtype), flat)  # (3, D)
            grads[3], grads[6], grads[9] = db
        if any(needed[i] for i in (2, 5, 8)):
            dW = np.empty((3, D, D), dtype=dtype)
            first = N if self.zero_start else 0  # the rows of step 0 are zeros when S[0] is
            np.matmul(S[:-1].reshape(T * N, D)[first:].T, flat[:2, first:], out=dW[:2])
            np.matmul(RS.reshape(T * N, D)[first:].T, flat[2, first:], out=dW[2])
            if self.hidden_mask is not None:
                dW *= self.hidden_mask
            grads[2], grads[5], grads[8] = dW
        if needed[0] or any(needed[i] for i in (1, 4, 7)):
            d_proj = flat if self.input_mask is None else (dA * self.input_mask[:, None]).reshape(3, T * N, D)
            if needed[0]:
                U = self.U
                dX = np.matmul(d_proj[0], U[0].T)
                dX += np.matmul(d_proj[1], U[1].T)
                dX += np.matmul(d_proj[2], U[2].T)
                grads[0] = dX.reshape(variables[0].shape)
            if any(needed[i] for i in (1, 4, 7)):
                X = variables[0].data
                X2 = X.reshape(T * N, X.shape[2]).astype(dtype, copy=False)
                grads[1], grads[4], grads[7] = np.matmul(X2.T, d_proj)  # (3, C, D)
        return grads

    def _full_bptt(self, G: np.ndarray, dA: np.ndarray, W_T: np.ndarray, want_s0: bool) -> np.ndarray | None:
        """Backpropagation through time; fills ``dA`` and returns the gradient of ``S[0]`` if ``want_s0``.

        With ``ds`` the gradient at ``S[t+1]`` (its own plus what came back from later steps):
        ``dL/da_z = ds (s - h) z (1 - z)``, ``dL/da_h = ds (1 - z) (1 - h^2)``,
        ``dL/d(r s) = dL/da_h @ Wh^T``, ``dL/da_r = dL/d(r s) s r (1 - r)`` and
        ``dL/ds_prev = ds z + dL/d(r s) r + dL/da_z @ Wz^T + dL/da_r @ Wr^T``.
        """
        S, Z, R, H = self.S, self.Z, self.R, self.H
        T, N, D = H.shape
        Wz_T, Wr_T, Wh_T = W_T
        dA_z, dA_r, dA_h = dA
        ds = G[T].copy()
        one_minus_z = np.empty((N, D), dtype=ds.dtype)
        drs = np.empty_like(one_minus_z)
        prev = np.empty_like(one_minus_z)
        tmp = np.empty_like(one_minus_z)
        for t in range(T - 1, -1, -1):
            s, z, r, h = S[t], Z[t], R[t], H[t]
            np.subtract(1, z, out=one_minus_z)
            d_az = dA_z[t]
            np.subtract(s, h, out=d_az)
            d_az *= ds
            d_az *= z
            d_az *= one_minus_z
            d_ah = dA_h[t]
            np.multiply(h, h, out=d_ah)
            np.subtract(1, d_ah, out=d_ah)
            d_ah *= one_minus_z
            d_ah *= ds
            np.matmul(d_ah, Wh_T, out=drs)
            d_ar = dA_r[t]
            np.subtract(1, r, out=d_ar)
            d_ar *= r
            d_ar *= s
            d_ar *= drs
            if t == 0 and not want_s0:
                return None
            np.matmul(d_az, Wz_T, out=prev)
            np.matmul(d_ar, Wr_T, out=tmp)
            prev += tmp
            drs *= r
            prev += drs
            ds *= z
            ds += prev
            ds += G[t]
        return ds if want_s0 else None

    def _truncated_bptt(self, G: np.ndarray, dA: np.ndarray, W_T: np.ndarray) -> np.ndarray:
        """Truncated BPTT: the gradient that arrives at ``S[t]`` reaches ``S[t - bp_lim]`` and stops there.

        The gradient at a state is kept split by age, the number of steps it has travelled back:
        ``ages[a]`` at ``S[t]`` came from ``G[t + a]``. Every age feeds the step's weights; ages below
        ``bp_lim`` move one step further back, and age ``bp_lim`` is dropped.
        """
        S, Z, R, H = self.S, self.Z, self.R, self.H
        T, N, D = H.shape
        Wz_T, Wr_T, Wh_T = W_T
        lim = self.bp_lim
        assert lim is not None  # (the untruncated pass is another method)
        ages = np.zeros((lim + 1, N, D), dtype=G.dtype)
        ages[0] = G[T]
        for t in range(T - 1, -1, -1):
            s, z, r, h = S[t], Z[t], R[t], H[t]
            d_az = ages * ((s - h) * z * (1 - z))
            d_ah = ages * ((1 - z) * (1 - h * h))
            drs = np.matmul(d_ah, Wh_T)
            d_ar = drs * (s * r * (1 - r))
            dA[0, t] = d_az.sum(axis=0)
            dA[1, t] = d_ar.sum(axis=0)
            dA[2, t] = d_ah.sum(axis=0)
            if lim:
                older = np.matmul(d_az[:lim], Wz_T)
                older += np.matmul(d_ar[:lim], Wr_T)
                older += drs[:lim] * r
                older += ages[:lim] * z
                ages[1:] = older
            ages[0] = G[t]
        return ages.sum(axis=0)


def _step_back(
    ds: mg.Tensor, per_z: Any, per_h: Any, per_r: Any, r: Any, z: Any, Wz_T: Any, Wr_T: Any, Wh_T: Any
) -> tuple[mg.Tensor, mg.Tensor, mg.Tensor, mg.Tensor]:
    """One step of backpropagation through time on Tensors: from ``ds``, the gradient at ``S[t+1]``, the
    gradients of the step's three pre-activations and the gradient it passes on to ``S[t]``."""
    d_az, d_ah = ds * per_z, ds * per_h
    d_rs = mg.matmul(d_ah, Wh_T)
    d_ar = d_rs * per_r
    to_prev = mg.matmul(d_az, Wz_T) + mg.matmul(d_ar, Wr_T) + d_rs * r + ds * z
    return d_az, d_ar, d_ah, to_prev


def _operand(x: Any, name: str) -> Any:
    """``x`` as a Tensor or an ndarray of a real numeric dtype."""
    if not isinstance(x, mg.Tensor):
        x = np.asarray(x)
    if x.dtype.kind not in "biuf":
        raise TypeError(f"gru: `{name}` must hold real numbers, got dtype {x.dtype}")
    return x


def _check_shape(x: Any, name: str, expected: tuple[int, ...], meaning: str) -> None:
    if x.shape != expected:
        raise ValueError(f"gru: `{name}` must have shape {meaning} = {expected}, got {x.shape}")


def _dropout_masks(
    dropout: float, N: int, D: int, rng: np.random.Generator | None, dtype: np.dtype
) -> tuple[np.ndarray, np.ndarray]:
    """The input masks (3, N, D) and the weight masks (3, D, D) of the gates z, r, h, scaled by 1 / keep."""
    keep = 1.0 - dropout
    source = np.random if rng is None else rng
    input_mask = (source.random((3, N, D)) < keep).astype(dtype) / keep
    hidden_mask = (source.random((3, D, D)) < keep).astype(dtype) / keep
    return input_mask, hidden_mask


def gru(
    X: Any,
    Uz: Any,
    Wz: Any,
    bz: Any,
    Ur: Any,
    Wr: Any,
    br: Any,
    Uh: Any,
    Wh: Any,
    bh: Any,
    s0: Any = None,
    bp_lim: int | None = None,
    dropout: float = 0.0,
    constant: bool | None = None,
    *,
    rng: np.random.Generator | None = None,
) -> mg.Tensor:
    """Run a gated recurrent unit (GRU) over a batch of sequences.

    For each time step ``t = 0, ..., T-1``, with ``sigmoid(a) = 1 / (1 + exp(-a))``, ``*`` the elementwise
    product and ``@`` the matrix product::

        Z = sigmoid(X[t] @ Uz + S[t] @ Wz + bz)
        R = sigmoid(X[t] @ Ur + S[t] @ Wr + br)
        H = tanh(X[t] @ Uh + (R * S[t]) @ Wh + bh)
        S[t + 1] = (1 - Z) * H + Z * S[t]

    The whole sequence is a single operation of the graph, with a hand-written backward pass
    (backpropagation through time).

    Parameters
    ----------
    X : array_like, shape (T, N, C)
        The input sequences: ``T`` steps of a batch of ``N`` vectors of ``C`` features.
    Uz, Ur, Uh : array_like, shape (C, D)
        The input weights of the update gate, the reset gate and the candidate state.
    Wz, Wr, Wh : array_like, shape (D, D)
        Their hidden-to-hidden weights.
    bz, br, bh : array_like, shape (D,)
        Their biases.
    s0 : array_like, shape (N, D), optional
        The initial hidden state; zeros by default. A non-constant tensor receives a gradient.
    bp_lim : int, optional
        Truncates backpropagation through time, ``0 <= bp_lim < T``; ``None`` (the default) is full
        backpropagation. The gradient that arrives at the output ``S[t]`` is carried back through at most
        ``bp_lim`` steps of the recurrence: it reaches the states ``S[t], S[t-1], ..., S[t-bp_lim]`` (so
        the weights of the steps that computed them, and ``s0`` when ``t <= bp_lim``) and no earlier
        ones. ``bp_lim=0`` lets every step learn only from the gradient of its own output; with
        ``bp_lim = T-1`` the weights get their full gradients and only ``s0`` misses the contribution of
        ``S[T]``. The forward pass is not affected.
    dropout : float, default 0.0
        The probability, in ``[0, 1)``, of dropping a unit. When positive, each of the three gates gets
        a variational dropout mask of shape ``(1, N, D)`` on its input projection ``X[t] @ U``, shared by
        all time steps (the bias is not dropped), and a DropConnect mask of shape ``(D, D)`` on its
        hidden-to-hidden weights ``W``, shared by all time steps. Kept values are divided by the keep
        probability ``1 - dropout``. New masks are drawn at every call; ``dropout=0`` draws none.
    constant : bool, optional
        If True the result is a constant; by default it is one only if every operand is.
    rng : numpy.random.Generator, optional
        The source of the dropout masks; NumPy's global random state when None. The masks are drawn
        as ``rng.random((3, N, D)) < 1 - dropout`` (the input masks of the gates z, r, h, in this order),
        then ``rng.random((3, D, D)) < 1 - dropout`` (their weight masks); with ``rng=None`` the same
        calls are made through ``numpy.random.random``.

    Returns
    -------
    mygrad.Tensor, shape (T+1, N, D)
        The hidden states: index 0 holds ``s0``, index ``t+1`` the state after step ``t``. Its dtype is
        the result type of all the operands (float64 if they are all integers or booleans).

    Raises
    ------
    TypeError
        If an operand does not hold real numbers, ``bp_lim`` is not an integer (this one is also an
        AssertionError, for code written against MyGrad 2), ``dropout`` is not a real number or ``rng``
        is not a ``numpy.random.Generator``.
    ValueError
        If an operand has the wrong number of dimensions or a shape that does not match the others,
        ``dropout`` is outside ``[0, 1)`` or ``bp_lim`` is outside ``[0, T)`` (these two are also
        AssertionErrors, for code written against MyGrad 2).

    Notes
    -----
    Beyond MyGrad 2.x: NumPy alone (no numba), a gradient for a non-constant ``s0`` and a
    ``numpy.random.Generator`` for the masks. The output's ``.grad`` is the derivative with respect to
    the output, of its shape ``(T+1, N, D)``; MyGrad 2 stored there, with shape ``(T, N, D)``, each
    state's derivative through the recurrence.

    Higher-order derivatives (``mygrad.grad``, ``mygrad.hessian``, ...) pass through: the recorded
    backward pass runs the forward pass and backpropagation through time again with mygrad operations,
    with the same dropout masks. With ``bp_lim`` the truncated backpropagation is the GRU's derivative in
    every pass, so a second derivative is the chain rule applied with it twice.

    Examples
    --------
    >>> import numpy as np
    >>> import mygrad as mg
    >>> from mygrad.nnet.layers.gru import gru
    >>> rng = np.random.default_rng(0)
    >>> T, N, C, D = 5, 2, 3, 4
    >>> X = rng.normal(size=(T, N, C))
    >>> Uz, Ur, Uh = (mg.tensor(rng.normal(size=(C, D))) for _ in range(3))
    >>> Wz, Wr, Wh = (mg.tensor(rng.normal(size=(D, D))) for _ in range(3))
    >>> bz, br, bh = (mg.tensor(np.zeros(D)) for _ in range(3))
    >>> S = gru(X, Uz, Wz, bz, Ur, Wr, br, Uh, Wh, bh)
    >>> S.shape
    (6, 2, 4)
    >>> bool(np.all(S.data[0] == 0))  # s0 defaults to zeros
    True
    >>> S.backward()
    >>> Wz.grad.shape, S.grad.shape
    ((4, 4), (6, 2, 4))

    With dropout, a generator makes the masks, hence the result, reproducible:

    >>> def run():
    ...     return gru(X, Uz, Wz, bz, Ur, Wr, br, Uh, Wh, bh, dropout=0.25, rng=np.random.default_rng(1))
    >>> bool(np.array_equal(run().data, run().data))
    True

    A tensor ``s0`` gets a gradient, here cut off by truncated backpropagation: the gradient of ``S[5]``
    reaches ``S[3]`` with ``bp_lim=2``, but not ``S[0]``:

    >>> s0 = mg.tensor(rng.normal(size=(N, D)))
    >>> S = gru(X, Uz, Wz, bz, Ur, Wr, br, Uh, Wh, bh, s0=s0, bp_lim=2)
    >>> S[5].sum().backward()
    >>> bool(np.all(s0.grad == 0))
    True
    >>> S = gru(X, Uz, Wz, bz, Ur, Wr, br, Uh, Wh, bh, s0=s0)
    >>> S[5].sum().backward()
    >>> bool(np.any(s0.grad != 0))
    True
    """
    operands = [_operand(x, name) for x, name in zip((X, Uz, Wz, bz, Ur, Wr, br, Uh, Wh, bh), _NAMES)]
    if s0 is not None:
        operands.append(_operand(s0, "s0"))

    X_ = operands[0]
    if X_.ndim != 3:
        raise ValueError(f"gru: `X` must have shape (T, N, C), got {X_.ndim} dimension(s): {X_.shape}")
    T, N, C = X_.shape
    Uz_ = operands[1]
    if Uz_.ndim != 2:
        raise ValueError(f"gru: `Uz` must have shape (C, D), got {Uz_.ndim} dimension(s): {Uz_.shape}")
    D = Uz_.shape[1]
    for i, name in enumerate(_NAMES[1 : len(operands)], start=1):
        if name.startswith("U"):
            _check_shape(operands[i], name, (C, D), "(C, D)")
        elif name.startswith("W"):
            _check_shape(operands[i], name, (D, D), "(D, D)")
        elif name.startswith("b"):
            _check_shape(operands[i], name, (D,), "(D,)")
        else:
            _check_shape(operands[i], name, (N, D), "(N, D)")

    # the errors of bp_lim and dropout's range are also AssertionErrors: MyGrad 2 asserted these
    if bp_lim is not None:
        if isinstance(bp_lim, bool) or not isinstance(bp_lim, Integral):
            raise TypeAssertionError(f"gru: `bp_lim` must be None or an integer, got {bp_lim!r}")
        if not 0 <= bp_lim < T:
            raise ValueAssertionError(f"gru: `bp_lim` must satisfy 0 <= bp_lim < T = {T}, got {bp_lim}")
        bp_lim = int(bp_lim)
    if isinstance(dropout, bool) or not isinstance(dropout, Real):
        raise TypeError(f"gru: `dropout` must be a real number, got {dropout!r}")
    if not 0 <= dropout < 1:
        raise ValueAssertionError(f"gru: `dropout` must be in [0, 1), got {dropout!r}")
    if rng is not None and not isinstance(rng, np.random.Generator):
        raise TypeError(f"gru: `rng` must be a numpy.random.Generator or None, got {type(rng).__name__}")

    dtype = np.result_type(*(x.dtype for x in operands))
    if dtype.kind != "f":
        dtype = np.dtype(np.float64)
    input_mask = hidden_mask = None
    if dropout:
        input_mask, hidden_mask = _dropout_masks(float(dropout), N, D, rng, dtype)
    return mg.execute_op(
        GRUnit,
        *operands,
        op_kwargs={"dtype": dtype, "bp_lim": bp_lim, "input_mask": input_mask, "hidden_mask": hidden_mask},
        constant=constant,
    )
