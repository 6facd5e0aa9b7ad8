"""The address bar: what is on screen is written to it on every run, and read back once per session.

A reload (F5) or a copied link opens a new session; :func:`restore` rebuilds
from the link the dataset (an example, synthetic parameters with their seed,
or a small table carried in the link), the column choice and the
gradient-descent settings, through :mod:`core.share`'s one reader, which
validates every value and never raises. Every refused value becomes a
sentence the page shows (:func:`problems`). :func:`write` puts the current
view back into ``st.query_params`` on every run, so the address bar always
reproduces it; the page itself is the URL's path.

Two kinds of value, two ways into the address bar:

- What shapes more than one page (the dataset, its columns, every
  gradient-descent setting, which the Compare page also uses) is written here
  by hand. Streamlit's own binding (``bind="query-params"``) removes a bound
  value from the URL as soon as its widget is not on the page, drops a value
  equal to the widget's default (several defaults here depend on the data)
  and ignores an invalid value without a word.
- A view control that shapes only its own page (:data:`BOUND`) is bound with
  ``bind="query-params"``: Streamlit keeps it in the URL while its page is
  shown. :func:`write` leaves those parameters alone, and
  :func:`bound_problem` says when a link gave one a value it cannot take.
"""

from __future__ import annotations

import math
import re
from urllib.parse import urlencode

import streamlit as st

from core import data as cdata
from core import share
from core.settings import TOLERANCES, DescentSettings
from ui import session

#: Page-local view controls bound to the URL by Streamlit (their keys are the parameter names).
BOUND = ("squares_show", "cmp_tol", "cmp_page_alpha", "cmp_standardise", "bench_budget")
#: Widget keys of the Gradient descent page that a link carries, by link parameter.
DESCENT_KEYS = ("alpha", "iterations", "tol", "optimizer", "coef_i", "coef_j")
_THETA0 = re.compile(r"theta0_(\d{1,2})")
_CONTENT = re.compile(r"[0-9a-f]{32}")
MAX_NAME = 80


def _query() -> dict[str, list[str]]:
    return {name: st.query_params.get_all(name) for name in st.query_params}


def restore() -> session.Dataset:
    """The first run of a session: the dataset and settings the link asks for (or the defaults)."""
    query = _query()
    extra = [k for k in query if _THETA0.fullmatch(k)] + ["name", "nodata", "held", *BOUND]
    values, problems = share.read_params(query, also_known=extra)
    name = _name(query.get("name", [""])[-1]) or "Shared data"
    kept = _held(query)
    if query.get("held") and not _CONTENT.fullmatch(query["held"][-1]):
        problems.append(f"The link's {cdata.quote('held')} value {cdata.quote(query['held'][-1][:40])} is not a "
                        "reference to data held by this app; it is ignored.")
    if query.get("nodata") and kept is None:
        problems.append(f"This link was made with data too large to carry in a link ({_name(query['nodata'][-1])})"
                        ", and this server no longer holds it; it opens with the example data instead. Ask for "
                        "the file and upload it.")
    message = None
    if kept is not None:
        frame, kept_name, target, features, degree, description, source = kept
        message = session.replace(frame, kept_name, values["target"] or target,
                                  features if values["features"] is None else values["features"],
                                  values["degree"] or degree, description, notice=None, source=source)
    elif values["data"] is not None:
        message = session.replace(values["data"].frame, name, values["target"], values["features"],
                                  values["degree"] or 1, notice=None, source="link")
    elif values["example"] == "synthetic" and any(k.startswith("syn_") for k in query):
        session.set_values({k: values[k] for k in session.SYNTHETIC_DEFAULTS})
        message = session.load_synthetic()
    elif values["example"] != session.DEFAULT_EXAMPLE:
        message = session.load_example(values["example"])
    ds = session.start_run()
    if message:
        problems.append(message)
    elif values["data"] is None and (values["target"] or values["features"] is not None or values["degree"]):
        target = values["target"] or ds.target
        features = ds.features if values["features"] is None else values["features"]
        message = session.set_columns(target, features, values["degree"] or ds.degree)
        if message:
            problems.append(message)
        ds = session.current()
    _restore_descent(ds, values, query, problems)
    session.set_link_state(problems, values["hide"], values["challenge"])
    return session.current()


def _restore_descent(ds: session.Dataset, values: dict, query: dict, problems: list[str]) -> None:
    """Seed the Gradient descent page's controls from the link (they are drawn later, from these)."""
    from ui import results
    from core.rates import learning_rate_choices

    try:
        design, model = results.design(ds), results.model(ds)
    except session.INPUT_ERRORS:
        return
    values, more = share.for_data(values, ds.frame.columns, design.p)
    problems += more
    seeds = {"iterations": values["iterations"], "optimizer": values["optimizer"], "coef_i": values["coef_i"],
             "coef_j": values["coef_j"], "standardise": values["standardise"], "ridge": values["ridge"],
             "schedule": values["schedule"], "batch_size": values["batch_size"], "gd_seed": values["seed"]}
    seeds.update({f"hp_{values['optimizer']}_{k}": v for k, v in values["params"]})
    seeds.update({f"sched_{values['schedule']}_{k}": v for k, v in values["schedule_params"]})
    tol = min(TOLERANCES, key=lambda t: abs(_log(t) - _log(values["tol"])))
    if tol != values["tol"]:
        problems.append(f"The link's stopping tolerance {values['tol']:g} is not one of the values offered; "
                        f"the nearest, {tol:g}, is used.")
    seeds["tol"] = tol
    if values["alpha"] is not None:
        run, _ = results.run_model(ds, DescentSettings(standardise=values["standardise"], ridge=values["ridge"]))
        choices = learning_rate_choices(run, values["optimizer"])
        nearest = min(choices, key=lambda a: abs(_log(a) - _log(values["alpha"])))
        if nearest != values["alpha"]:
            problems.append(f"The link's learning rate {values['alpha']:g} is not one of the values offered for "
                            f"this data; the nearest, {nearest:g}, is used.")
        seeds["alpha"] = nearest
    theta0 = list(values["theta0"]) or [0.0] * design.p
    for key, given in query.items():
        match = _THETA0.fullmatch(key)
        if not match:
            continue
        k = int(match.group(1))
        try:
            number = float(given[-1])
            if k >= design.p or not abs(number) < 1e150:
                raise ValueError
        except ValueError:
            problems.append(f"The link's {cdata.quote(key)} value {cdata.quote(given[-1][:40])} is not a finite "
                            f"number for one of the {design.p} coefficients; 0 is used instead.")
            continue
        theta0[k] = number
    seeds.update({f"theta0_{k}": float(v) for k, v in enumerate(theta0)})
    # What the link does not say keeps the page's own default (some depend on the data: standardise).
    said = {"seed": "gd_seed", "params": "hp_", "schedule_params": "sched_"}
    given = {said.get(k, k) for k in query}
    always = ("theta0_", "coef_i", "coef_j") + tuple(g for g in ("hp_", "sched_") if g in given)
    seeds = {k: v for k, v in seeds.items() if k in given or k.startswith(always)}
    session.seed_descent_controls(tuple(design.names), seeds)


def _held(query: dict):
    """The dataset a link's ``held`` names, if this server still holds it (see :func:`view_params`)."""
    from ui import cache

    given = query.get("held", [""])[-1]
    return cache.held(given) if _CONTENT.fullmatch(given) else None


def session_design_names(ds: session.Dataset) -> tuple:
    """The coefficient names of the dataset's design (empty if it cannot be built)."""
    from ui import results

    try:
        return tuple(results.design(ds).names)
    except session.INPUT_ERRORS:
        return ()


def _log(value: float) -> float:
    return math.log10(value)


def _name(text: str) -> str:
    text = re.sub(r"[\x00-\x1f\x7f]", " ", str(text)).strip()
    return text[:MAX_NAME]


def view_params(ds: session.Dataset) -> tuple[dict[str, str | list[str]], str | None]:
    """The query parameters of the current view, and a sentence when the data could not be included."""
    values: dict[str, object] = {}
    note = None
    example = ds.source.removeprefix("example:") if ds.source.startswith("example:") else None
    if example and example != "synthetic":
        values["example"] = example
    elif ds.source == "synthetic" or example == "synthetic":
        values["example"] = "synthetic"
        values.update(session.synthetic_values())
    else:
        encoded = link_data(ds)
        if isinstance(encoded, str):
            note = encoded
        else:
            values["data"] = encoded
    values.update({"target": ds.target, "features": tuple(ds.features), "degree": ds.degree})
    settings = session.descent_settings()
    if settings is not None and len(settings.theta0) == len(session_design_names(ds)):
        values.update(share.settings_values(settings))
        values.update({k: v for k, v in session.descent_values().items() if k in ("coef_i", "coef_j")})
    params = share.write_params(values)
    if "standardise" in values:  # its default depends on the data: always say it
        params["standardise"] = "true" if values["standardise"] else "false"
    if "data" in values:
        params["name"] = _name(ds.name)
    elif note:  # too large for a link: this server holds it by its content hash, so a reload loses nothing
        from ui import cache

        params["nodata"] = _name(ds.name)
        params["held"] = ds.content
        cache.hold(ds.content, (ds.frame, ds.name, ds.target, tuple(ds.features), ds.degree, ds.description,
                                ds.source))
    hide, challenge = session.teacher()
    if hide:
        params["hide"] = ",".join(hide)
    if challenge:
        params["challenge"] = challenge
    return params, note


#: Tables with more cells than this are not even tried: no link could carry them.
MAX_LINK_CELLS = 20_000


def link_data(ds: session.Dataset):
    """The dataset as link data (encoded once per content), or a sentence saying why it cannot travel."""
    from ui import cache

    def encode():
        if ds.frame.size > MAX_LINK_CELLS:
            return (f"The data ({ds.rows:,} rows) is too large for a link: share the file instead "
                    "(download it on the Data page).")
        try:
            return share.LinkData.from_frame(ds.frame)
        except cdata.DataError as exc:
            return str(exc)

    return cache.memo().get(("link", ds.content), encode)


def write(ds: session.Dataset) -> str | None:
    """Put the current view into the address bar; returns the sentence when the data did not fit.

    The parameters Streamlit binds to widgets (:data:`BOUND`) are left as they are.
    """
    params, note = view_params(ds)
    current = {k: v for k, v in _query().items() if k not in BOUND}
    wanted = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    if current != wanted:
        for stale in current.keys() - wanted.keys():
            del st.query_params[stale]
        st.query_params.update(params)
    return note


def bound_problem(key: str, labels) -> str | None:
    """Before a bound widget is drawn: a sentence if the link gives it a value it does not offer.

    Streamlit would silently use the default instead; the page shows this sentence beside the control.
    """
    given = st.query_params.get_all(key)
    if not given or given[-1] in labels:
        return None
    return (f"The link's {cdata.quote(key)} value {cdata.quote(given[-1][:40])} is not one of "
            f"{', '.join(labels)}: the default is used.")


def full_link(params: dict) -> str:
    """The shareable address of the current page with ``params``."""
    base = st.context.url or ""
    return base + ("?" + urlencode(params, doseq=True) if params else "")


def problems() -> list[str]:
    """Sentences about values the opening link asked for and did not get (shown once)."""
    return session.take_link_problems()

