"""The residual ``y' − Bγ`` and ``Bᵀr`` of a scaled basis in double-double arithmetic, compiled.

Iterative refinement on ill-conditioned data needs the residual and its
products with the basis columns to more digits than float64 gives. numpy's
``longdouble`` has 11 more bits but no BLAS (about 17 ns per matrix entry);
this module computes the same pass with about 30 correct digits in
double-double arithmetic (each number an unevaluated sum ``hi + lo`` of two
float64s, with Knuth's TwoSum and an FMA-based TwoProduct) in a kernel that
numba compiles once per machine (``cache=True``), at close to the speed of a
float64 pass. Without numba, :data:`AVAILABLE` is false and callers use the
longdouble pass of :func:`core.stats.basis_residual` instead.

The kernel walks the rows in blocks of :data:`BLOCK` rows, column by column,
so that every inner loop runs over independent rows (which the compiler
vectorises), and keeps one double-double accumulator of ``Bᵀr`` per row
position of a block; they are summed once at the end. Long passes are split
over :data:`THREADS` threads (the kernel releases the GIL), their parts added
in double-double. Memory is O(THREADS·BLOCK·p).
"""

from __future__ import annotations

import functools
import importlib.util
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

#: Threads a pass runs on (the rows in equal contiguous parts, a few per thread), and the fewest rows of a part.
THREADS = min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
MIN_ROWS_PER_PART = 1 << 16
#: Rows per block of the compiled pass (not a power of two: rows of its work arrays then fall in different cache sets).
BLOCK = 264

#: numba is optional, and imported (then the kernel loaded or compiled) only at the first pass.
AVAILABLE = importlib.util.find_spec("numba") is not None


def residual_dd(raw, y, centre, inv_scale, degree: int, intercept: bool, inv_y: float,
                w_hi, w_lo) -> tuple[float, np.ndarray, np.ndarray]:
    """``‖y·inv_y − Bw‖²`` and ``Bᵀ(y·inv_y − Bw)`` in double-double, for ``B`` built from raw columns.

    Basis column ``first + j·degree + k − 1`` is ``((x_j − c_j)·inv_scale_j)^k``
    (``first`` = 1 with an intercept, whose column is all ones), formed
    exactly (TwoSum) before its powers are taken in double-double.

    Parameters
    ----------
    raw : ndarray, shape (m, k)
    y : ndarray, shape (m,)
    centre, inv_scale : ndarray, shape (k,)
        Multiplying by ``inv_scale`` is exact only for powers of two.
    degree : int
    intercept : bool
    inv_y : float
        A power of two.
    w_hi, w_lo : ndarray, shape (p,)
        The coefficients as double-double numbers.

    Returns
    -------
    rss : float
    g_hi, g_lo : ndarray, shape (p,)
        ``Bᵀr`` as double-double numbers.
    """
    raw, y = np.asarray(raw, dtype=np.float64), np.asarray(y, dtype=np.float64)  # views stay views
    rest = (np.asarray(centre, dtype=np.float64), np.asarray(inv_scale, dtype=np.float64), int(degree),
            bool(intercept), float(inv_y), np.asarray(w_hi, dtype=np.float64), np.asarray(w_lo, dtype=np.float64))
    m = len(y)
    parts = min(4 * THREADS, m // MIN_ROWS_PER_PART)  # a few per thread: a slow core holds up less
    if THREADS == 1 or parts <= 1:
        return _compiled()(raw, y, *rest)
    cuts = [m * t // parts for t in range(parts + 1)]
    with ThreadPoolExecutor(THREADS) as pool:  # the kernel releases the GIL
        kernel = _compiled()
        results = list(pool.map(lambda t: kernel(raw[cuts[t]:cuts[t + 1]], y[cuts[t]:cuts[t + 1]], *rest),
                                range(parts)))
    rss, g_hi, g_lo = results[0]
    for part_rss, hi, lo in results[1:]:  # double-double sums of the parts (TwoSum)
        total = g_hi + hi
        v = total - g_hi
        g_lo = g_lo + lo + ((g_hi - (total - v)) + (hi - v))
        rss, g_hi = rss + part_rss, total
    return rss, g_hi, g_lo


def rounding_units(m: int, p: int, degree: int) -> tuple[float, float]:
    """Bounds on the relative rounding of :func:`residual_dd`, as units for an error model.

    Returns
    -------
    residual : float
        Error of each residual relative to Σ|terms| (products ``b_ij w_j`` and
        ``y_i``): Dot2's ``γ_n²`` with ``n = p + 2 + degree`` (the powers of
        the basis included), in units of 2⁻¹⁰⁶ (Ogita, Rump and Oishi, 2005).
    sums : float
        Error of ``(Bᵀr)_j`` relative to ``‖b_j‖·‖r‖``: ``γ_n²`` with ``n``
        the terms an accumulator sums (rows per block position, then the
        block positions and the threads).
    """
    u2 = 2.0**-106
    per_position = m // BLOCK + 1 + BLOCK + 4 * THREADS
    return (p + 2 + degree) ** 2 * u2 * 2, per_position**2 * u2 * 2


@functools.cache
def _compiled():
    """The kernel compiled by numba (once per machine: the machine code is cached beside this file,
    or in numba's user cache directory where that is read-only; compiled per process where neither is writable)."""
    from llvmlite import ir
    from numba import njit, types
    from numba.core import cgutils
    from numba.extending import intrinsic

    @intrinsic
    def fma(typingctx, a, b, c):
        """a·b + c with one rounding (llvm.fma: the hardware instruction where there is one)."""
        sig = types.float64(types.float64, types.float64, types.float64)

        def codegen(context, builder, signature, args):
            double = ir.DoubleType()
            fnty = ir.FunctionType(double, [double, double, double])
            return builder.call(cgutils.get_or_insert_function(builder.module, fnty, "llvm.fma.f64"), args)

        return sig, codegen

    globals()["_fma"] = fma  # what the kernel calls, resolved when numba compiles it
    try:
        return njit(cache=True, nogil=True)(_kernel)
    except RuntimeError:  # pragma: no cover - no writable cache directory at all
        return njit(nogil=True)(_kernel)


def _fma(a, b, c):
    """Placeholder for the FMA intrinsic that :func:`_compiled` puts here (numba code only)."""
    raise RuntimeError("_fma is only defined inside the compiled kernel.")


def _kernel(raw, y, centre, inv_scale, degree, intercept, inv_y, w_hi, w_lo):  # pragma: no cover
    m, k = raw.shape
    first = 1 if intercept else 0
    p = first + k * degree
    bh = np.empty((p, BLOCK))  # the basis of a block, column by column, hi and lo parts
    bl = np.empty((p, BLOCK))
    rh = np.empty(BLOCK)  # the residual, hi and lo (then its compensation while summing)
    rl = np.empty(BLOCK)
    gh = np.zeros((p, BLOCK))  # Bᵀr per row position of a block, hi and lo
    gl = np.zeros((p, BLOCK))
    sh = np.zeros(BLOCK)  # Σr², with compensation
    sl = np.zeros(BLOCK)
    for start in range(0, m, BLOCK):
        n = min(BLOCK, m - start)
        for i in range(n):
            rh[i] = y[start + i] * inv_y
            rl[i] = 0.0
        if intercept:
            for i in range(n):
                bh[0, i] = 1.0
                bl[0, i] = 0.0
        for i in range(n):  # the raw block, transposed
            for j in range(k):
                bh[first + j * degree, i] = raw[start + i, j]
        for j in range(k):
            col = first + j * degree
            c, s = -centre[j], inv_scale[j]
            for i in range(n):  # x − c exactly (TwoSum), then scaled
                x = bh[col, i]
                hi = x + c
                v = hi - x
                lo = (x - (hi - v)) + (c - v)
                bh[col, i] = hi * s
                bl[col, i] = lo * s
            for power in range(1, degree):  # t^(k+1) = t^k · t in double-double
                for i in range(n):
                    ah, al = bh[col + power - 1, i], bl[col + power - 1, i]
                    th, tl = bh[col, i], bl[col, i]
                    hi = ah * th
                    lo = _fma(ah, th, -hi) + (ah * tl + al * th)
                    top = hi + lo
                    bh[col + power, i] = top
                    bl[col + power, i] = lo - (top - hi)
        for j in range(p):  # r −= B_j w_j (Dot2: exact products, TwoSum, compensation in rl)
            wh, wl = w_hi[j], w_lo[j]
            for i in range(n):
                ph = bh[j, i] * wh
                pl = _fma(bh[j, i], wh, -ph) + (bh[j, i] * wl + bl[j, i] * wh)
                hi = rh[i] - ph
                v = hi - rh[i]
                e = (rh[i] - (hi - v)) - (ph + v)
                rh[i] = hi
                rl[i] += e - pl
        for i in range(n):  # renormalise r and add r² to Σr²
            hi = rh[i] + rl[i]
            rl[i] = rl[i] - (hi - rh[i])
            rh[i] = hi
            sq = hi * hi
            tot = sh[i] + sq
            v = tot - sh[i]
            sl[i] += (sh[i] - (tot - v)) + (sq - v)
            sh[i] = tot
        for j in range(p):  # g_j += B_j r per row position (Dot2 again)
            for i in range(n):
                ph = bh[j, i] * rh[i]
                pl = _fma(bh[j, i], rh[i], -ph) + (bh[j, i] * rl[i] + bl[j, i] * rh[i])
                hi = gh[j, i] + ph
                v = hi - gh[j, i]
                gl[j, i] += ((gh[j, i] - (hi - v)) + (ph - v)) + pl
                gh[j, i] = hi
    g_hi = np.zeros(p)
    g_lo = np.zeros(p)
    rss = 0.0
    for i in range(BLOCK):
        rss += sl[i]
    for i in range(BLOCK):
        rss += sh[i]
    for j in range(p):  # sum the row positions, still in double-double
        hi_sum, lo_sum = 0.0, 0.0
        for i in range(BLOCK):
            a = gh[j, i]
            hi = hi_sum + a
            v = hi - hi_sum
            lo_sum += ((hi_sum - (hi - v)) + (a - v)) + gl[j, i]
            hi_sum = hi
        top = hi_sum + lo_sum
        g_hi[j] = top
        g_lo[j] = lo_sum - (top - hi_sum)
    return rss, g_hi, g_lo
