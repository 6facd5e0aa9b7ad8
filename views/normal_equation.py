"""Normal equation page: XᵀXθ = Xᵀy, every step with the numbers, the result, and a checker."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from core import figures
from core.figures.squares import SHOW as SQUARES_SHOW
from core.squares import default_my_line, least_squares_line, line_ranges, line_sums, require_straight_line
from core.teaching import STEP_LABELS, TUTORIAL_SLIPS, check_working
from ui import latex as tex
from ui import links, results, session
from ui.controls import CHART_CONFIG
from ui.downloads import downloads_ui

SMALL_ROWS = 12  # up to this many rows every matrix is written out in full
PREVIEW_ROWS = 5  # larger data: this many rows (first ones and the last) of X and y
MAX_COLS = 8  # wider matrices are elided in the middle
CHECK_MAX_P = 3  # "check my working" takes hand-computed matrices up to 3×3

# What the solver's diagnostics mean, for the person reading them.
DIAGNOSTICS_HELP = {
    "rank": "How many columns of X are linearly independent. Below the number of coefficients, "
            "some column is a combination of others and θ is not unique.",
    "condition": "κ(X) = σ_max/σ_min. Each factor of 10 can cost one significant digit of θ; "
                 "XᵀX has κ², which is why the textbook inverse loses twice as many.",
    "digits": "Significant digits of θ that survive rounding the data to float64 (about 16 at best).",
    "method": "How the solver computed θ. It never inverts XᵀX.",
}


def _num_inputs(prefix: str, shape: tuple[int, int], label: str) -> None:
    """A grid of number inputs for a hand-computed matrix (empty until typed in)."""
    for r in range(shape[0]):
        cols = st.columns(shape[1])
        for c in range(shape[1]):
            cols[c].number_input(f"{label} row {r + 1}, column {c + 1}", value=None, step=1.0,
                                 format="%g", key=f"{prefix}_{r}_{c}", placeholder="—",
                                 label_visibility="collapsed")


def _read_inputs(prefix: str, shape: tuple[int, ...]):
    """The typed matrix/vector/number, or None unless every entry is filled in."""
    if shape == ():
        return st.session_state.get(prefix)
    values = [st.session_state.get(k) for k in _entries(prefix, shape)]
    if any(v is None for v in values):
        return None
    return np.array(values, dtype=float).reshape(shape)


def _entries(prefix: str, shape: tuple[int, ...]) -> list[str]:
    """The widget keys of one hand-computed step, row by row."""
    if shape == ():
        return [prefix]
    if len(shape) == 1:
        return [f"{prefix}_{r}" for r in range(shape[0])]
    return [f"{prefix}_{r}_{c}" for r in range(shape[0]) for c in range(shape[1])]


def _check_keys(p: int) -> dict:
    return {"XtX": (f"chk{p}_XtX", (p, p)), "Xty": (f"chk{p}_Xty", (p,)), "det": (f"chk{p}_det", ()),
            "XtX_inv": (f"chk{p}_inv", (p, p)), "theta": (f"chk{p}_theta", (p,))}


def _load_slips() -> None:
    """Fill the checker with the numbers the tutorial printed (slips included)."""
    values = {}
    for key, (prefix, shape) in _check_keys(2).items():
        values.update(zip(_entries(prefix, shape), np.ravel(np.asarray(TUTORIAL_SLIPS[key], dtype=float)).tolist()))
    session.set_values(values)


def _clear_inputs(p: int) -> None:
    session.set_values({k: None for prefix, shape in _check_keys(p).values() for k in _entries(prefix, shape)})


def squares_ui(ds, design, fit) -> None:
    """Each residual drawn as a square, and "my line" (slope and intercept sliders) against least squares."""
    try:
        require_straight_line(design)
    except ValueError:
        return
    with st.expander("Residuals as squares: the sum that least squares makes smallest", icon=":material/square:"):
        (a_lo, a_hi, a_step), (b_lo, b_hi, b_step) = line_ranges(design, fit)
        a0, b0 = default_my_line(design.y, step=a_step)
        c1, c2, c3 = st.columns([2, 2, 1])
        a = c1.slider("My line: intercept", a_lo, a_hi, a0, a_step, key=f"my_a_{ds.version}",
                      help="Where my line crosses x = 0.")
        b = c2.slider("My line: slope", b_lo, b_hi, b0, b_step, key=f"my_b_{ds.version}",
                      help="How much my line rises per unit of x.")
        problem = links.bound_problem("squares_show", SQUARES_SHOW)
        if problem:
            c3.warning(tex.md(problem), icon=":material/link_off:")
        show = c3.radio("Squares of", SQUARES_SHOW, index=2, key="squares_show", bind="query-params")
        x = design.raw[:, 0]
        fig = figures.residual_squares(design, fit, (a, b), show=show, uirevision=f"squares|{ds.version}")
        st.plotly_chart(fig, key="squares", config=CHART_CONFIG)
        st.caption(tex.md(figures.describe(fig)))
        bars = figures.sum_of_squares_bars(line_sums(x, design.y, *least_squares_line(design, fit)).sum_of_squares,
                                           line_sums(x, design.y, a, b).sum_of_squares,
                                           uirevision=f"bars|{ds.version}")
        st.plotly_chart(bars, key="squares_bars", config=CHART_CONFIG)
        st.caption(tex.md(fig.layout.meta if isinstance(fig.layout.meta, str) else figures.describe(bars)))


# ------------------------------------------------------------------------------ page

ds = session.current()
st.title("Normal equation")
st.markdown("Least squares in one step: the θ that minimises the squared error solves "
            r"$X^\top X\,\theta = X^\top y$. Below, every step on your data, then the result.")

try:
    design, fit, steps = results.design(ds), results.fit(ds), results.steps(ds)
except session.INPUT_ERRORS as exc:
    st.error(tex.md(f"The normal equation cannot be set up for this data: {exc} "
                    "Choose other columns on the Data page."))
    st.stop()

names = list(design.names)
m, p = design.m, design.p
small = m <= SMALL_ROWS

with st.expander("Where the normal equation comes from (derivation)", icon=":material/school:"):
    st.markdown("Write the squared error of a line (or plane) through the data as a function of θ:")
    st.latex(r"J(\theta) = \tfrac12 (X\theta - y)^\top (X\theta - y)")
    st.markdown("**Short form.** Expand, differentiate, and set the gradient to zero at the minimum:")
    st.latex(r"J(\theta) = \tfrac12\left(\theta^\top X^\top X\theta - 2\,\theta^\top X^\top y + y^\top y\right)")
    st.latex(r"\nabla_\theta J = X^\top X\,\theta - X^\top y = 0 \quad\Longrightarrow\quad "
             r"X^\top X\,\theta = X^\top y \quad\Longrightarrow\quad \theta = (X^\top X)^{-1} X^\top y")
    st.markdown("**With the trace rules** (as in Andrew Ng's CS229 notes): a scalar equals its own trace, "
                r"so $J(\theta)=\tfrac12\operatorname{tr}\!\left(\theta^\top X^\top X\theta - \theta^\top X^\top y "
                r"- y^\top X\theta + y^\top y\right)$. Using "
                r"$\nabla_A \operatorname{tr}(ABA^\top C) = CAB + C^\top A B^\top$ and "
                r"$\nabla_A \operatorname{tr}(AB) = B^\top$:")
    st.latex(r"\nabla_\theta J = \tfrac12\left(X^\top X\theta + X^\top X\theta - X^\top y - X^\top y\right) "
             r"= X^\top X\theta - X^\top y = 0")
    st.markdown(r"The inverse exists when the columns of $X$ are linearly independent (rank $p$). "
                r"The factor ½ (or $\tfrac1{2m}$, as on the gradient-descent page) does not move the minimum.")

# --- the steps with the numbers
st.header("Step by step" + ("" if small else f" ({m:,} rows: shapes and a few rows)"))
rows = None if small else PREVIEW_ROWS
theta_vec = tex.theta_vector(names)
cols_note = ", ".join(f"${tex.name(n)}$" for n in names)
st.markdown(f"**1. The design matrix** $X$ ({m} × {p}): "
            f"one row per observation, columns {cols_note}" + (" (the column of ones gives the intercept)."
                                                                if design.intercept else "."))
st.latex(rf"X = {tex.bmatrix(steps.X, max_rows=rows, max_cols=MAX_COLS)}, \quad "
         rf"y = {tex.bmatrix(steps.y, max_rows=rows)}")
if small:
    st.markdown(r"**2. Transpose** $X^\top$: rows become columns.")
    st.latex(rf"X^\top = {tex.bmatrix(steps.Xt, max_cols=SMALL_ROWS)}")
else:
    st.markdown(rf"**2. Transpose** $X^\top$ (${tex.shape(steps.Xt)}$): rows become columns.")
st.markdown(rf"**3.** $X^\top X$ (${p} \times {p}$): entry $(i, j)$ is the sum over rows of "
            r"column $i$ times column $j$. $X^\top y$: entry $i$ is the sum of column $i$ times $y$.")
st.latex(rf"X^\top X = {tex.bmatrix(steps.XtX, max_rows=MAX_COLS, max_cols=MAX_COLS)}, \quad "
         rf"X^\top y = {tex.bmatrix(steps.Xty, max_rows=MAX_COLS)}")
st.markdown(r"**4. Determinant and inverse.**")
if p == 2:
    a, b, c, d = steps.XtX.ravel()
    st.latex(rf"\det(X^\top X) = {tex.num(a)}\cdot{tex.num(d)} - {tex.num(b)}\cdot{tex.num(c)} = {tex.num(steps.det)}")
else:
    st.latex(rf"\det(X^\top X) = {tex.num(steps.det)}")
if steps.XtX_inv is None:
    st.warning(tex.md(f"No inverse: {steps.inverse_reason}") + " The stable solver still finds the least-squares θ "
               "(the one of smallest length when there are many).", icon=":material/block:")
else:
    if p == 2:
        a, b, c, d = steps.XtX.ravel()
        st.latex(rf"(X^\top X)^{{-1}} = \frac{{1}}{{{tex.num(steps.det)}}}"
                 rf"\begin{{bmatrix}}{tex.num(d)} & {tex.num(-b)} \\ {tex.num(-c)} & {tex.num(a)}\end{{bmatrix}}"
                 rf" = {tex.bmatrix(steps.XtX_inv)}")
    else:
        st.latex(rf"(X^\top X)^{{-1}} = {tex.bmatrix(steps.XtX_inv, max_rows=MAX_COLS, max_cols=MAX_COLS)}")
    if steps.inverse_warning:
        st.warning(tex.md(steps.inverse_warning), icon=":material/warning:")
st.markdown(r"**5. Solve** $X^\top X\,\theta = X^\top y$:")
if steps.XtX_inv is not None and p <= MAX_COLS:
    st.latex(rf"\theta = {theta_vec} = (X^\top X)^{{-1}} X^\top y = {tex.bmatrix(steps.XtX_inv)}"
             rf"{tex.bmatrix(steps.Xty)} = {tex.bmatrix(steps.theta)}")
else:
    st.latex(rf"\theta = {theta_vec} = {tex.bmatrix(steps.theta, max_rows=MAX_COLS + 4)}")

# --- the result
st.header("Result")
left, right = st.columns([3, 2], gap="large")
with left:
    st.markdown(f"**{tex.md(fit.equation())}**")
    table = pd.DataFrame({
        "coefficient": [f"θ{k}" for k in range(p)],
        "column": ["intercept (1)" if n == "1" else n for n in names],
        "θ": ["0 (rounding)" if zero else tex.plain(t) for t, zero in zip(fit.theta, fit.negligible())],
        "θ (full precision)": [repr(float(t)) for t in fit.theta],
        "std. error": [tex.plain(s, 4) for s in fit.std_errors],
    })
    st.dataframe(table, hide_index=True, key="theta_table", width="stretch",
                 column_config={"θ (full precision)": st.column_config.TextColumn(
                     help="Every digit of the float64 value, to copy (the solver is good for the trusted digits "
                          "shown below)."),
                     "std. error": st.column_config.TextColumn(
                     help="Standard error of each θ: its typical sampling error if the data were "
                          "collected again (needs more rows than coefficients).")})
    if fit.negligible().any():
        st.caption("“0 (rounding)”: this coefficient's share of the predictions is below a trillionth of "
                   "them, the size of float64's rounding, so it is 0 up to the solver's precision (its "
                   "float64 value is in the full-precision column).")
    c1, c2, c3 = st.columns(3)
    c1.metric("MSE", tex.plain(fit.mse, 4), help="Mean squared error Σ(y − ŷ)²/m, in squared units of the target.")
    c2.metric("R²", tex.plain(fit.r_squared, 4), help="Share of the target's variance the model explains (1 = all).")
    c3.metric("Residual SD", tex.plain(fit.residual_sd, 4),
              help="Typical size of a residual y − ŷ, in units of the target: √(RSS/(m − rank)).")
    st.markdown("**Solver diagnostics**")
    d1, d2, d3 = st.columns(3)
    d1.metric("Rank of X", f"{fit.rank} of {p}", help=DIAGNOSTICS_HELP["rank"])
    d2.metric("Condition number κ(X)", tex.plain(fit.condition_number, 3), help=DIAGNOSTICS_HELP["condition"])
    d3.metric("Trusted digits of θ", f"{fit.trusted_digits:.1f}", help=DIAGNOSTICS_HELP["digits"])
    st.caption(tex.md(f"Method: {fit.method}. {DIAGNOSTICS_HELP['method']}"))
    for w in fit.warnings:
        st.warning(tex.md(w), icon=":material/warning:")
    if not fit.warnings:
        st.caption("No warnings: the columns are independent and θ is well determined by the data.")
with right:
    with st.container(border=True, key="textbook_panel"):
        st.markdown("**Textbook inverse vs stable solver**")
        st.markdown(r"The textbook forms $(X^\top X)^{-1}$ and multiplies. The solver here never inverts: "
                    "it uses a QR factorisation in extended precision, which keeps digits that the "
                    "inverse loses when the columns are nearly dependent.")
        if steps.theta_textbook is None:
            st.markdown(tex.md(f"The textbook formula fails here: {steps.inverse_reason}"))
        else:
            comp = pd.DataFrame({"coefficient": [f"θ{k}" for k in range(p)],
                                 "textbook (XᵀX)⁻¹Xᵀy": [f"{v:.15g}" for v in steps.theta_textbook],
                                 "stable solver": [f"{v:.15g}" for v in steps.theta]})
            st.dataframe(comp, hide_index=True, key="textbook_table")
            if steps.inverse_warning:
                st.markdown(tex.md(f"The textbook formula fails visibly here. {steps.inverse_warning}"))
            st.metric("Digits of agreement", f"{steps.agreement_digits:.1f} of 15",
                      help="Significant digits on which the two answers agree, for the worst coefficient. "
                           "Low agreement means the textbook inverse has lost digits.")

# --- plots
shown, note = results.display_design(ds)
fit_fig, residual_fig = (figures.data_and_fit(shown, fit, uirevision=ds.version),
                         figures.residuals(shown, fit, uirevision=ds.version))
p1, p2 = st.columns(2)
with p1:
    st.plotly_chart(fit_fig, key="ne_fit", config=CHART_CONFIG)
    st.caption(tex.md(figures.describe(fit_fig)))
with p2:
    st.plotly_chart(residual_fig, key="ne_residuals", config=CHART_CONFIG)
    st.caption(tex.md(figures.describe(residual_fig)))
if note:
    st.caption(note)
squares_ui(ds, design, fit)
downloads_ui(session.csv_file_name(ds).removesuffix(".csv"), fit,
             figures={"Fitted model": fit_fig, "Residuals": residual_fig})

# --- check my working
st.header("Check my working")
if p > CHECK_MAX_P:
    st.info(f"Checking a hand calculation is offered for up to {CHECK_MAX_P} coefficients; this model has {p}. "
            "Choose fewer features (or degree 1) on the Data page.", icon=":material/info:")
else:
    st.markdown("Type the numbers you computed by hand (leave a step empty to skip it). "
                "The checker names the first step that is wrong and why.")
    keys = _check_keys(p)
    b1, b2 = st.columns([1, 1])
    if p == 2:
        b1.button("Load the tutorial's slips", key="load_slips", on_click=_load_slips,
                  help="Fill in the numbers the hours-studied tutorial printed: det(XᵀX) = 100 (it is 50) "
                       "and Xᵀy₂ = 77.5 (it is 76.5). Then see what the checker says.")
    b2.button("Clear my numbers", key="clear_working", on_click=_clear_inputs, args=(p,))
    with st.form("working_form", border=True):
        top = st.columns([p, p, 1], gap="large")
        bottom = st.columns([p, p, 1], gap="large")
        places = {"XtX": top[0], "Xty": top[1], "det": top[2], "XtX_inv": bottom[0], "theta": bottom[1]}
        for key, place in places.items():
            prefix, shape = keys[key]
            with place:
                st.markdown(f"**{STEP_LABELS[key]}**")
                if shape == ():
                    st.number_input(STEP_LABELS[key], value=None, step=1.0, format="%g", key=prefix,
                                    placeholder="—", label_visibility="collapsed")
                elif len(shape) == 1:
                    # A column vector: one input per row, stacked.
                    for r in range(shape[0]):
                        st.number_input(f"{STEP_LABELS[key]} entry {r + 1}", value=None, step=1.0, format="%g",
                                        key=f"{prefix}_{r}", placeholder="—", label_visibility="collapsed")
                else:
                    _num_inputs(prefix, shape, STEP_LABELS[key])
        st.form_submit_button("Check my working", key="check_working", type="primary")
    given = {key: _read_inputs(prefix, shape) for key, (prefix, shape) in keys.items()}
    verdict = check_working(steps, **given)
    if verdict.first_wrong is None and verdict.ok and any(v is not None for v in given.values()):
        st.success(verdict.message, icon=":material/check_circle:")
    elif verdict.first_wrong is None:
        st.info(verdict.message, icon=":material/edit:")
    else:
        st.error(verdict.message, icon=":material/error:")
    if verdict.steps:
        st.dataframe(pd.DataFrame({"step": [s.label for s in verdict.steps],
                                   "right?": ["yes" if s.ok else "no" for s in verdict.steps],
                                   "what the checker says": [s.message for s in verdict.steps]}),
                     hide_index=True, key="working_steps", width="stretch")
