"""Linear-regression engine: data, design matrix, solvers, gradient descent, cost surfaces."""
