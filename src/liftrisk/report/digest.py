"""The figures of a stored assessment (its summary dict and report HTML) for a reader: summary
cards with a traffic-light class, labelled summary sections, the lift table, the report's
figures and the key moments. Used by the web pages and the PDF report (`liftrisk.report.pdf`).

Thresholds of the cards: the NIOSH action limit (3400 N) and maximum permissible limit
(6400 N) of L5/S1 compression are read from the summary (Waters et al. 1993); REBA levels
4-7 medium, 8-10 high, 11+ very high (Hignett & McAtamney 2000, Table 6); NIOSH lifting
index > 1 increased, > 3 high risk (Waters et al. 1994).
"""

from __future__ import annotations

import math
import re

from liftrisk.report import labels as L

#: summary sections shown on the assessment page (other keys go under "Other")
SECTIONS = (
    ("Low back (L5/S1)", ("peak_compression_n", "peak_compression_n_p05", "peak_compression_n_p95",
                          "peak_compression_time_s", "action_limit_n", "maximum_permissible_n",
                          "time_above_action_limit_s", "time_above_max_permissible_s",
                          "peak_l5s1_extension_moment_nm", "peak_l5s1_extension_moment_nm_p05",
                          "peak_l5s1_extension_moment_nm_p95", "peak_l5s1_moment_time_s")),
    ("Posture", ("peak_reba", "peak_reba_level", "peak_reba_time_s", "peak_fuzzy_reba", "peak_fuzzy_reba_time_s",
                 "peak_rula")),
    ("Lifting", ("n_lifts", "max_li", "box_kg")),
    ("Joints", ("peak_workload_joint", "peak_workload_ratio")),
    ("Recording", ("method", "duration_s", "n_frames", "rate_hz", "median_reprojection_px", "mass_kg", "height_m")),
)
#: keys of the stored summary that are not figures (shown elsewhere, or only in the JSON)
NOT_SHOWN = ("findings", "lifts", "warnings", "settings", "lift_measures", "source", "bands", "intervals",
             "uncertainty", "reliability")
#: lift-table columns on the page (the CSV/JSON downloads keep all of them)
LIFT_COLUMNS = ("lift", "kind", "grasp_s", "release_s", "h_origin_m", "v_origin_m", "a_origin_deg", "d_m",
                "rwl_origin_kg", "li", "li_category", "acgih_zone", "acgih_tlv_kg", "reliability")
def num(x) -> float | None:
    """A finite float, or None (booleans, text, NaN and infinity are None).

    Parameters
    ----------
    x : object
        Any value.

    Returns
    -------
    float or None

    Examples
    --------
    >>> num(1), num(True), num(float("nan")), num("3")
    (1.0, None, None, None)
    """
    if isinstance(x, bool) or not isinstance(x, int | float):
        return None
    return float(x) if math.isfinite(float(x)) else None


def cards(summary: dict) -> list[dict]:
    """The summary cards (label, value, class ``ok``/``warn``/``bad``, note) of an assessment.

    Parameters
    ----------
    summary : dict
        A stored assessment summary.

    Returns
    -------
    list of dict
        ``{"label", "value", "cls", "note"}`` per card, in reading order.

    Examples
    --------
    >>> c = cards({"peak_compression_n": 4788.1, "action_limit_n": 3400.0, "maximum_permissible_n": 6400.0})
    >>> c[0]["value"], c[0]["cls"]
    ('4,790 N', 'warn')
    """
    s = summary
    out = []
    c, al, mpl = num(s.get("peak_compression_n")), num(s.get("action_limit_n")), num(s.get("maximum_permissible_n"))
    if c is not None:
        cls = "bad" if mpl and c > mpl else "warn" if al and c > al else "ok"
        note = (f"action limit {L.number(al, 'n')} N, maximum {L.number(mpl, 'n')} N" if al and mpl else "")
        out.append({"label": "Peak L5/S1 compression", "value": L.value("peak_compression_n", c), "cls": cls,
                    "note": note})
    m = num(s.get("peak_l5s1_extension_moment_nm"))
    if m is not None:
        out.append({"label": "Peak L5/S1 extension moment", "value": L.value("peak_l5s1_extension_moment_nm", m),
                    "cls": "", "note": ""})
    r = num(s.get("peak_reba"))
    if r is not None:
        out.append({"label": "Worst posture (REBA)", "value": L.number(r, "f0"),
                    "cls": "bad" if r >= 8 else "warn" if r >= 4 else "ok",
                    "note": f"{L.text(s.get('peak_reba_level', ''))} risk" if s.get("peak_reba_level") else ""})
    li, n = num(s.get("max_li")), s.get("n_lifts")
    if n is not None:
        out.append({"label": "Highest NIOSH lifting index", "value": L.number(li, "f2") if li is not None else "—",
                    "cls": "" if li is None else "bad" if li > 3 else "warn" if li > 1 else "ok",
                    "note": f"{n} lift{'s' if n != 1 else ''} detected"})
    w = num(s.get("peak_workload_ratio"))
    if w is not None:
        out.append({"label": "Highest joint workload", "value": L.value("peak_workload_ratio", w),
                    "cls": "bad" if w > 0.5 else "warn" if w > 0.3 else "ok",
                    "note": L.text(s.get("peak_workload_joint", ""))})
    return out


def summary_sections(summary: dict) -> list[tuple[str, list[tuple[str, str]]]]:
    """(section title, [(label, value)]) of a stored summary; settings in their own section.

    Parameters
    ----------
    summary : dict
        A stored assessment summary.

    Returns
    -------
    list of (str, list of (str, str))
        Section title and its (label, value) rows.
    """
    seen: set[str] = set()
    out = []
    for title, keys in SECTIONS:
        rows = [(L.label(k, with_unit=False), L.value(k, summary[k])) for k in keys if k in summary]
        seen.update(keys)
        if rows:
            out.append((title, rows))
    other = {k: v for k, v in summary.items() if k not in seen and k not in NOT_SHOWN}
    if other:
        out.append(("Other", L.rows(other)))
    if isinstance(summary.get("settings"), dict):
        out.append(("Settings used", L.rows(summary["settings"])))
    return out


def lift_columns(lifts: list[dict]) -> list[str]:
    """The columns of `LIFT_COLUMNS` that the lifts have (the lift table's columns).

    Parameters
    ----------
    lifts : list of dict
        The stored lifts (``summary["lifts"]``).

    Returns
    -------
    list of str

    Examples
    --------
    >>> lift_columns([{"li": 1.0, "lift": 1, "extra": 0}])
    ['lift', 'li']
    """
    return [c for c in LIFT_COLUMNS if any(c in row for row in lifts)]


def lift_table(lifts: list[dict]) -> tuple[list[str], list[list[str]]]:
    """(headers, rows of text) of the lift table: the columns of `LIFT_COLUMNS` present.

    Parameters
    ----------
    lifts : list of dict
        The stored lifts (``summary["lifts"]``).

    Returns
    -------
    (list of str, list of list of str)
        Column headers with units, and the rows as text.
    """
    cols = lift_columns(lifts)

    def cell(c, v):
        text = L.value(c, v, with_unit=False)
        return text.split(" (")[0] if c == "li_category" else text  # "increased risk (1 < LI <= 3)"

    return [L.label(c) for c in cols], [[cell(c, row.get(c)) for c in cols] for row in lifts]


_IMG = re.compile(r'<img class="fig"[^>]*?src="data:image/png;base64,([A-Za-z0-9+/=]+)"[^>]*?alt="([^"]*)"')


def report_figures(report_html: str) -> list[dict]:
    """The report's figures (``{"alt", "png_b64"}``) from its stored HTML (PNG data URIs).

    Parameters
    ----------
    report_html : str
        The stored HTML report.

    Returns
    -------
    list of dict

    Examples
    --------
    >>> report_figures('<img class="fig" src="data:image/png;base64,iVBO" alt="L5/S1 loads">')
    [{'alt': 'L5/S1 loads', 'png_b64': 'iVBO'}]
    """
    return [{"alt": alt, "png_b64": b64} for b64, alt in _IMG.findall(report_html or "")]


def key_moments(summary: dict) -> list[dict]:
    """Key moments (``{"t", "label"}``, time-ordered) of an assessment: worst posture, peak
    compression, peak moment, and the grasp of each lift.

    Parameters
    ----------
    summary : dict
        A stored assessment summary (with ``lifts``).

    Returns
    -------
    list of dict

    Examples
    --------
    >>> key_moments({"peak_reba_time_s": 1.0, "peak_reba": 8, "lifts": [{"lift": 1, "kind": "lift", "grasp_s": 0.5}]})
    [{'t': 0.5, 'label': 'Lift 1 (grasp)'}, {'t': 1.0, 'label': 'Worst posture (REBA 8)'}]
    """
    out = []
    pairs = (("peak_reba_time_s", "Worst posture (REBA {})", "peak_reba"),
             ("peak_compression_time_s", "Peak compression ({})", "peak_compression_n"),
             ("peak_l5s1_moment_time_s", "Peak L5/S1 moment ({})", "peak_l5s1_extension_moment_nm"))
    for tkey, text, vkey in pairs:
        t = num(summary.get(tkey))
        if t is not None:
            v = summary.get(vkey)
            shown = L.number(v, "f0") if vkey == "peak_reba" else L.value(vkey, v)
            out.append({"t": round(t, 3), "label": text.format(shown)})
    for row in summary.get("lifts", []) or []:
        t = num(row.get("grasp_s")) if isinstance(row, dict) else None
        if t is not None:
            kind = "Lowering" if row.get("kind") == "lower" else "Lift"
            out.append({"t": round(t, 3), "label": f"{kind} {row.get('lift', '')} (grasp)"})
    return sorted(out, key=lambda m: m["t"])
