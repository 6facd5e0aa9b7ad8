"""The table of every session-state key the app keeps: name, type, default, who reads it, what it means.

:mod:`ui.session` is the only module that writes these keys; widget keys are
written by Streamlit when the person moves the widget, and by the session
module only to reset them. A test checks that every literal widget key the
pages use is listed here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Key:
    """One session-state key: its name (or pattern), type, default, readers and meaning."""

    name: str
    type: str
    default: object
    readers: str
    meaning: str


#: Every key this app keeps in ``st.session_state``. Widget keys are written by Streamlit when the
#: person moves the widget, and by this module only to reset them.
KEYS: dict[str, Key] = {k.name: k for k in (
    Key("dataset", "Dataset", None, "every page, the sidebar", "The data every page works on."),
    Key("data_error", "str | None", None, "Data page", "The last refused change of the data, in words."),
    Key("data_notice", "str | None", None, "Data page", "The last accepted change, shown once."),
    Key("editor_nonce", "int", 0, "Data page", "Bumped when the data changes: the table editor starts afresh."),
    Key("controls_of", "str", "", "this module", "The dataset version the column widgets were set for."),
    Key("descent_of", "tuple", (), "this module", "The coefficients (names) the descent controls were reset for."),
    Key("canvas", "tuple | None", None, "Data page, Gradient descent page",
        "Clicked points not yet a dataset (fewer than two different x), or None."),
    Key("point_ranges", "tuple | None", None, "this module", "Axis ranges of the click-to-create plot."),
    Key("point_editor", "list | None", None, "Data page (component)", "The click-to-create plot's last edit."),
    Key("lab_open", "bool", False, "Gradient descent page (toggle)", "Show the instant lab."),
    Key("descent_lab", "dict | None", None, "Gradient descent page (component)", "The instant lab's last choice."),
    Key("gd_point_editor", "list | None", None, "Gradient descent page (component)", "Its small point editor."),
    Key("descent_settings", "DescentSettings | None", None, "Compare page",
        "The settings of the last run drawn on the Gradient descent page."),
    Key("step_of", "DescentSettings | None", None, "Gradient descent page", "The run the scrubber belongs to."),
    Key("benchmark", "DataFrame | None", None, "Compare page", "The last scaling measurement."),
    Key("link_problems", "list[str]", (), "every page (once)", "What the opening link asked for and did not get."),
    Key("teacher", "tuple", ((), None), "Gradient descent page, Share box",
        "A teacher's link: the controls it hides and its challenge key."),
    Key("benchmark_seconds", "float", 0.0, "Compare page", "How long it took."),
    # Widgets of the Data page
    Key("target", "str", None, "Data page (selectbox)", "The target column."),
    Key("features", "list[str]", None, "Data page (multiselect)", "The feature columns."),
    Key("degree", "int", 1, "Data page (number input)", "The polynomial degree."),
    Key("example_{key}", "bool", False, "Data page (buttons)", "Load a built-in example (or synthetic data)."),
    Key("upload", "UploadedFile | None", None, "Data page (file uploader)", "The uploaded file."),
    Key("editor_{nonce}", "dict", None, "Data page (data editor)", "Pending edits of the table."),
    Key("editor_base", "DataFrame | None", None, "Data page", "The table the editor opened on (None: the data)."),
    Key("editor_applied", "str | None", None, "Data page", "The editor's edits already made the dataset."),
    Key("syn_n", "int", 50, "Data page (form)", "Synthetic data: number of points."),
    Key("syn_slope", "float", 2.0, "Data page (form)", "Synthetic data: slope."),
    Key("syn_intercept", "float", 1.0, "Data page (form)", "Synthetic data: intercept."),
    Key("syn_noise", "float", 1.0, "Data page (form)", "Synthetic data: noise."),
    Key("syn_outliers", "int", 0, "Data page (form)", "Synthetic data: outliers."),
    Key("syn_seed", "int", 0, "Data page (form)", "Synthetic data: random seed."),
    # Widgets of the Gradient descent page
    Key("alpha", "float", None, "Gradient descent page (select slider)", "Learning rate α."),
    Key("iterations", "int", 1000, "Gradient descent page", "Most iterations."),
    Key("tol", "float", 1e-6, "Gradient descent page", "Stopping tolerance."),
    Key("optimizer", "str", "gd", "Gradient descent page", "Optimizer key."),
    Key("theta0_{k}", "float", 0.0, "Gradient descent page", "Start θ₀, coefficient k."),
    Key("coef_i", "int", 0, "Gradient descent page", "The surface's x-axis coefficient."),
    Key("coef_j", "int", 1, "Gradient descent page", "The surface's y-axis coefficient."),
    Key("step", "int", 0, "Gradient descent page (slider)", "The step the fitted line shows."),
    Key("standardise", "bool", False, "Gradient descent page (toggle)", "Run on standardised columns."),
    Key("ridge", "float", 0.0, "Gradient descent page", "The ridge penalty λ."),
    Key("schedule", "str", "constant", "Gradient descent page", "The learning-rate schedule."),
    Key("hp_{optimizer}_{name}", "float", None, "Gradient descent page", "An optimizer's parameter."),
    Key("sched_{schedule}_{name}", "float", None, "Gradient descent page", "A schedule's parameter."),
    Key("batch_size", "int", 32, "Gradient descent page", "Rows per step (mini-batch descent)."),
    Key("gd_seed", "int", 0, "Gradient descent page", "Seed of the rows drawn (stochastic descent)."),
    Key("overlay", "list[str]", (), "Gradient descent page", "Other optimizers drawn on the same charts."),
    Key("slice_mode", "str", "optimum", "Gradient descent page", "Where a slice holds the other coefficients."),
    Key("teach_hide", "list[str]", (), "Share box", "Controls a teacher's link will hide."),
    Key("share_qr", "bool", False, "Share box", "Whether the Share box shows the link as a QR code."),
    Key("teach_challenge", "str | None", None, "Share box", "The challenge a teacher's link sets."),
    Key("squares_show", "str", "both", "Normal equation page", "Whose residual squares are drawn."),
    Key("my_a_{version}", "float", None, "Normal equation page", "My line's intercept (per dataset)."),
    Key("my_b_{version}", "float", None, "Normal equation page", "My line's slope (per dataset)."),
    # Widgets of the Normal equation and Compare pages
    Key("chk{p}_{step}[_{r}[_{c}]]", "float | None", None, "Normal equation page",
        "Check my working: one typed entry of a hand-computed step."),
    Key("cmp_page_alpha", "bool", False, "Compare page", "Use the Gradient descent page's α."),
    Key("cmp_tol", "float", 1e-6, "Compare page", "Stopping tolerance of the comparison."),
    Key("cmp_standardise", "bool", None, "Compare page", "Descent on standardised features (default: by scales)."),
    Key("bench_budget", "int", 3, "Compare page", "Time budget of the scaling measurement."),
)}
