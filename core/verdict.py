"""The outcome of a gradient-descent run in words, explained by the spectrum of XᵀX/m.

One idea: turn what happened (converged, stopped at the iteration limit,
diverged) and what the eigenvalues predict (:mod:`core.spectrum`) into a
status and a sentence a student can act on.

Statuses (:data:`VERDICTS`):

* ``converged`` — reached the tolerance in k steps (Newton: in 1 step, and why);
* ``diverged`` — stopped early as the cost blew up (nothing infinite is
  recorded), or climbing at the limit, or bound to by the spectrum;
* ``oscillating`` — batch descent with α* < α < α_max stopped at the limit:
  the steepest direction flips sign every step;
* ``too_slow`` — stopped at the limit creeping downhill: how many steps it
  would need, and (κ large) to standardise the features;
* ``noisy`` — a row-based rule stopped at the limit: sampled gradients keep
  the path jittering around θ̂.
"""

from __future__ import annotations

from dataclasses import dataclass

from .optimizers import optimizer as _optimizer
from .settings import DescentSettings
from .spectrum import Spectrum

VERDICTS = ("converged", "diverged", "oscillating", "too_slow", "noisy")
#: A condition number above this makes the flattest direction crawl.
SLOW_KAPPA = 100.0


@dataclass(frozen=True)
class Verdict:
    """A run's verdict: one of :data:`VERDICTS` and a sentence."""

    status: str
    message: str


def unstable(settings: DescentSettings, spec: Spectrum) -> bool:
    """True when the spectrum says this constant-rate, full-gradient rule grows along the steepest direction."""
    rule = _optimizer(settings.optimizer)
    if rule.limit is None or rule.rows or settings.schedule != "constant":
        return False
    limit = rule.limit(settings.hyperparameters())
    return settings.alpha > limit if rule.rates == "newton" else settings.alpha * spec.lambda_max > limit


def verdict(outcome: str, steps: int, settings: DescentSettings, spec: Spectrum, rows: int | None = None) -> Verdict:
    """The verdict of a run.

    Parameters
    ----------
    outcome : {"converged", "max_iterations", "diverged"}
        What the run did.
    steps : int
        Steps taken.
    settings : DescentSettings
        Checked settings of the run.
    spec : Spectrum
        Of the cost the run descended (standardised, with ridge, if it was).
    rows : int, optional
        Rows of the data (for a row-based rule's batch).

    Returns
    -------
    Verdict
    """
    rule = _optimizer(settings.optimizer)
    extra = _ridge_note(settings)
    if outcome == "converged":
        return Verdict("converged", _converged(steps, settings, spec) + extra)
    if outcome == "diverged":
        return Verdict("diverged", _diverged(steps, settings, spec))
    head = f"Stopped at the iteration limit ({steps} steps) before reaching the tolerance."
    if rule.rows:
        return Verdict("noisy", head + _noisy(settings, rows) + extra)
    if rule.key == "gd" and settings.schedule == "constant" and spec.oscillates(settings.alpha):
        return Verdict("oscillating", head + _oscillating(settings, spec) + extra)
    return Verdict("too_slow", head + _slow(settings, spec) + extra)


def _converged(steps: int, settings: DescentSettings, spec: Spectrum) -> str:
    text = (f"Converged in {steps} step{'' if steps == 1 else 's'}: the gradient norm fell below "
            f"{settings.tol:g} × its starting value.")
    if settings.optimizer == "newton":
        if settings.alpha != 1:
            return text + f" With α = 1 instead of {settings.alpha:g} Newton's method lands on θ̂ in one step."
        why = ("Newton's method divides the gradient by the curvature XᵀX/m, and on this quadratic cost the step "
               "θ − (XᵀX)⁻¹(XᵀXθ − Xᵀy) = (XᵀX)⁻¹Xᵀy is exactly the normal equation's solution, from any start")
        if steps <= 1:
            return f"Converged in 1 step: {why}."
        return (f"Converged in {steps} steps: {why}; the first step landed there up to rounding, the others "
                f"only removed round-off to meet the tolerance {settings.tol:g}.")
    if settings.optimizer == "gd" and settings.schedule == "constant" and spec.oscillates(settings.alpha):
        text += (f" On the way it zig-zagged: α = {settings.alpha:g} is above α* = 2/(λmin + λmax) = "
                 f"{spec.alpha_best:.4g}, so every step overshoots along the steepest direction.")
    return text


def _diverged(steps: int, settings: DescentSettings, spec: Spectrum) -> str:
    rule = _optimizer(settings.optimizer)
    alpha = settings.alpha
    if unstable(settings, spec):
        if rule.rates == "newton":
            why = (f"α = {alpha:g} is above 2, so every Newton step overshoots θ̂ and multiplies the error by "
                   f"1 − α = {1 - alpha:.4g}")
        elif rule.key == "gd":
            why = (f"α = {alpha:g} is above the stability limit 2/λ_max = {spec.alpha_max:.4g}, so along the "
                   f"steepest direction every step overshoots the minimum and the error there grows by a "
                   f"factor {abs(1 - alpha * spec.lambda_max):.4g} per step")
        else:
            hp = settings.hyperparameters()
            limit = rule.limit(hp) / spec.lambda_max
            formula = "2(1 + β)/λmax" if rule.key == "momentum" else "2(1 + β)/((1 + 2β)λmax)"
            why = (f"α = {alpha:g} is above {rule.label}'s stability limit {formula} = {limit:.4g} "
                   f"(β = {hp['beta']:g}), so along the steepest direction its steps grow")
    elif rule.rows:
        why = (f"α = {alpha:g} is too large for single batches: a few rows can curve more steeply than all "
               f"of them together, so the batch-descent limit 2/λmax = {spec.alpha_max:.4g} does not protect "
               "a sampled step")
    elif rule.rates == "coordinate":
        why = ("Adam's steps grew instead of shrinking (Adam has no stability limit like 2/λmax: its step is "
               "about α in each coordinate)")
    else:
        why = "the steps grew instead of shrinking"
    return f"Diverged after {steps} step(s): {why}. Lower the learning rate."


def _oscillating(settings: DescentSettings, spec: Spectrum) -> str:
    alpha = settings.alpha
    return (f" The path zig-zags: α = {alpha:g} lies between α* = 2/(λmin + λmax) = {spec.alpha_best:.4g} and "
            f"the limit 2/λmax = {spec.alpha_max:.4g}, so along the steepest direction each step overshoots "
            f"and flips sign, shrinking only by |1 − αλmax| = {abs(1 - alpha * spec.lambda_max):.4g} per step."
            f"{_needed(alpha, settings.tol, spec)} Lower α towards α* for the fastest steady descent.")


def _slow(settings: DescentSettings, spec: Spectrum) -> str:
    rule = _optimizer(settings.optimizer)
    if settings.schedule != "constant":
        return (" The learning rate shrinks with the schedule, so later steps are smaller: raise the "
                "iterations, α, or the schedule's decay time.")
    if rule.rates == "newton":
        if settings.alpha == 1:
            return (f" Newton's first step landed on θ̂ up to rounding; a tolerance of {settings.tol:g} is finer "
                    "than rounding allows, so the later steps only jitter at round-off level.")
        return (f" A Newton step with α = {settings.alpha:g} goes only part of the way: the error shrinks by "
                f"|1 − α| = {abs(1 - settings.alpha):.4g} per step. With α = 1 it reaches θ̂ in one step.")
    if rule.rates == "coordinate":
        return (" Adam's step is about α in each coordinate whatever the curvature, so the limit 2/λmax says "
                "nothing about it; near θ̂ a constant α keeps it hovering at a distance of about α. Lower α, "
                "use a decaying schedule, or raise the iterations.")
    if rule.key in ("momentum", "nesterov"):
        hp = settings.hyperparameters()
        a, b = spec.momentum_best()
        own = rule.limit(hp) / spec.lambda_max
        formula = "2(1 + β)/λmax" if rule.key == "momentum" else "2(1 + β)/((1 + 2β)λmax)"
        return (f" Batch descent's limit 2/λmax = {spec.alpha_max:.4g} does not apply to {rule.label}: with "
                f"β = {hp['beta']:g} its own limit is {formula} = {own:.4g}. Heavy-ball momentum's fastest "
                f"setting here is α = 4/(√λmax + √λmin)² = {a:.4g} with β = ((√κ − 1)/(√κ + 1))² = {b:.4g}.")
    text = _needed(settings.alpha, settings.tol, spec)
    if spec.kappa > SLOW_KAPPA:
        text += (f" The cost's curvature differs by a factor κ = {spec.kappa:.3g} between directions (the "
                 "condition number of XᵀX/m): the flattest direction shrinks slowly. Raise the iterations, use "
                 f"α closer to α* = 2/(λmin + λmax) = {spec.alpha_best:.4g}, or "
                 + ("standardise the features." if not settings.standardise else "add a ridge penalty."))
    else:
        text += " Raise the iterations or the learning rate."
    return text


def _needed(alpha: float, tol: float, spec: Spectrum) -> str:
    rate = spec.rate(alpha)
    needed = spec.steps_needed(alpha, tol)
    if not (rate < 1 and tol > 0 and needed < float("inf")):
        return ""
    factor = f"{rate:.6g}" if rate < 0.999 else f"1 − {1 - rate:.3g}"
    return (f" At this α each step shrinks the error by a factor {factor} at best, so reaching the tolerance "
            f"takes about {int(needed):,} steps.")


def _noisy(settings: DescentSettings, rows: int | None) -> str:
    batch = settings.batch_size if rows is None else min(settings.batch_size, rows)
    whole = rows is not None and settings.batch_size >= rows
    sample = (f"every step uses all {rows} rows (the batch size {settings.batch_size} is not smaller), so "
              "this is batch descent in a shuffled order." if whole else
              f"each step uses {batch} row{'' if batch == 1 else 's'}, so its gradient is a noisy estimate:")
    if whole:
        return " " + sample[0].upper() + sample[1:] + " Raise the iterations or the learning rate."
    tail = (" with a constant α the path keeps jittering around θ̂ instead of settling (the tolerance on the "
            "full gradient may never be met). A decaying schedule (inverse or exponential) lets it settle; "
            "a larger batch makes the jitter smaller.") if settings.schedule == "constant" else \
        (" the schedule shrinks α, and with it the jitter; raise the iterations to let it settle.")
    return " " + sample[0].upper() + sample[1:] + tail


def _ridge_note(settings: DescentSettings) -> str:
    if not settings.ridge:
        return ""
    return (f" With the ridge penalty λ = {settings.ridge:g} the run heads for the ridge solution of "
            "(XᵀX + λI′)θ = Xᵀy, not the plain normal equation's θ̂.")
