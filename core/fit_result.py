"""The result of a least-squares fit: θ, the diagnostics, and how it reads (predictions, the equation).

:func:`core.solve.fit_normal_equation` makes it; everything that shows a fit
reads it. Coefficients that are rounding noise are written as 0
(:meth:`NormalEquationFit.negligible`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .design import Design


@dataclass(frozen=True, eq=False)
class NormalEquationFit:
    """The least-squares solution and its diagnostics.

    Attributes
    ----------
    theta : ndarray, shape (p,)
    names : list of str
    rank : int
        Numerical rank, decided on the scaled problem.
    condition_number : float
        κ(X) = σ_max/σ_min of X itself (not of XᵀX); ``inf`` when rank deficient.
    rss : float
        Residual sum of squares ‖y − Xθ‖².
    tss : float
        Total sum of squares, centred with an intercept, uncentred (Σy²) without.
    r_squared : float
        1 − rss/tss (uncentred without an intercept column, as NIST certifies it).
    residual_sd : float
        sqrt(rss / (m − rank)); ``nan`` when m = rank.
    std_errors : ndarray, shape (p,)
        Standard errors of θ; ``nan`` when rank deficient.
    method : str
        Which solver ran.
    warnings : list of str
        Sentences a person can act on.
    m, p : int
    r_factor : ndarray, shape (q, p)
        Upper-triangular R with XᵀX = RᵀR (original units), q = p when full rank.
    trusted_digits : float
        Significant digits of θ that can be trusted: θ's estimated error against the exact
        least-squares solution of the float64 data (from the last refinement step and
        bounds on the rounding of the residual), never κ alone; 15 = all.
    """

    theta: np.ndarray
    names: list[str]
    rank: int
    condition_number: float
    rss: float
    tss: float
    r_squared: float
    residual_sd: float
    std_errors: np.ndarray
    method: str
    m: int
    p: int
    r_factor: np.ndarray
    trusted_digits: float
    warnings: list[str] = field(default_factory=list)
    design: Design | None = None

    @property
    def mse(self) -> float:
        """Mean squared error rss/m."""
        return self.rss / self.m

    @property
    def cost_min(self) -> float:
        """J(θ̂) = rss/(2m), the minimum of the cost 1/(2m)‖Xθ − y‖²."""
        return self.rss / (2 * self.m)

    def predict(self, X) -> np.ndarray:
        """Predictions ``X θ``.

        Parameters
        ----------
        X : array_like, shape (n, p)

        Returns
        -------
        ndarray, shape (n,)
        """
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.p:
            raise ValueError(f"X must have {self.p} columns ({', '.join(self.names)}); got shape {X.shape}.")
        return X @ self.theta

    def negligible(self) -> np.ndarray:
        """Coefficients that are rounding noise: each one's share of the predictions ``|θ_i|·‖X_i‖``
        is below 1e-12 of their size (‖Xθ‖, or √RSS), so it shows as 0 rather than as 2e-19.

        Scale-free (a feature in large units has a large ‖X_i‖); computed from the factor R
        (‖X_i‖ = ‖R e_i‖), with no pass over the rows.
        """
        R = np.asarray(self.r_factor, dtype=np.float64)
        theta = np.asarray(self.theta, dtype=np.float64)
        size = max(float(np.linalg.norm(R @ theta)), float(np.sqrt(max(self.rss, 0.0))),
                   np.finfo(np.float64).tiny)
        return np.abs(theta) * np.linalg.norm(R, axis=0) <= 1e-12 * size

    def equation(self, precision: int = 4) -> str:
        """The fitted model as text, e.g. ``ŷ = 0.7 + 1.2·hours`` (rounding noise written as 0)."""
        target = self.design.target if self.design is not None else "y"
        hat = f"{target}̂" if len(target) == 1 else f"predicted {target}"
        terms = []
        shown = np.where(self.negligible(), 0.0, self.theta)
        for value, name in zip(shown, self.names):
            number = f"{abs(value):.{precision}g}"
            term = number if name == "1" else f"{number}·{name}"
            sign = "−" if value < 0 else "+"
            terms.append((sign, term))
        if not terms:
            return f"{hat} = 0"
        first_sign, first = terms[0]
        text = ("−" if first_sign == "−" else "") + first
        for sign, term in terms[1:]:
            text += f" {sign} {term}"
        return f"{hat} = {text}"
