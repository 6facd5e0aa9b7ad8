"""Linear-regression engine: data, design matrix, stable normal equation, gradient descent.

Plain numpy and pandas; never imports streamlit. The public names below are
what the pages and external checks use.
"""

from .cost import CostGrid, LeastSquaresCost, cost, cost_grid, least_squares_cost
from .data import DataError, read_csv
from .descent import (OPTIMIZERS, Trace, gradient_descent, learning_rate_bounds,
                      learning_rate_choices)
from .design import Design, design_from_arrays, design_matrix
from .solve import NormalEquationFit, fit_normal_equation
from .stats import SufficientStatistics, sufficient_statistics
from .teaching import (TUTORIAL_SLIPS, NormalEquationSteps, WorkingCheck, check_working,
                       normal_equation_steps)

__all__ = [
    "CostGrid", "DataError", "Design", "LeastSquaresCost", "NormalEquationFit",
    "NormalEquationSteps", "OPTIMIZERS", "SufficientStatistics", "TUTORIAL_SLIPS", "Trace",
    "WorkingCheck", "check_working", "cost", "cost_grid", "design_from_arrays", "design_matrix",
    "fit_normal_equation", "gradient_descent", "learning_rate_bounds", "learning_rate_choices",
    "least_squares_cost", "normal_equation_steps", "read_csv", "sufficient_statistics",
]
