"""The browser benchmark's baseline app runs: it is what the Gradient descent page is measured against.

(It was once broken by a widget change and only the five-minute benchmark noticed.)
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "benchmarks" / "combined_layout_app.py"


def test_the_baseline_app_runs_the_same_settings_as_the_page():
    from core import data
    from core.cost import LeastSquaresCost
    from core.design import design_matrix
    from core.rates import default_learning_rate
    from core.solve import fit_normal_equation

    ex = data.example("hours")
    model = LeastSquaresCost.from_fit(fit_normal_equation(design_matrix(ex.frame, ex.target, list(ex.features))))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    slider = at.select_slider(key="alpha")
    assert slider.value == default_learning_rate(model)  # the page's own first α
    assert at.info[0].value.startswith("Converged in")
    slider.set_value(float(slider.options[-1])).run()
    assert not at.exception and at.info[0].value.startswith("Diverged after")
    [chart] = at.get("plotly_chart")
    assert '"surface"' in chart.proto.spec and '"contour"' in chart.proto.spec
