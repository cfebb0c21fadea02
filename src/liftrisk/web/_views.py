"""What the assessment, compare and job pages show, built from a stored result (summary dict,
time-series CSV, report HTML): summary cards, labelled summary sections, the lift table, the
report's figures, key moments, before/after rows with their meaning and a verdict.

Thresholds of the cards and of the before/after colours: the NIOSH action limit (3400 N) and
maximum permissible limit (6400 N) of L5/S1 compression are read from the summary (Waters et
al. 1993); REBA levels 4-7 medium, 8-10 high, 11+ very high (Hignett & McAtamney 2000,
Table 6); NIOSH lifting index > 1 increased, > 3 high risk (Waters et al. 1994).
"""

from __future__ import annotations

import math
import re

from liftrisk.web import _labels as L

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
#: before/after meaning: figure -> +1 if higher is worse (a risk figure), 0 if neutral
DIRECTION = {
    "peak_compression_n": 1, "peak_compression_n_p05": 1, "peak_compression_n_p95": 1,
    "time_above_action_limit_s": 1, "time_above_max_permissible_s": 1, "peak_l5s1_extension_moment_nm": 1,
    "peak_l5s1_extension_moment_nm_p05": 1, "peak_l5s1_extension_moment_nm_p95": 1, "peak_reba": 1,
    "peak_fuzzy_reba": 1, "peak_rula": 1, "max_li": 1, "peak_workload_ratio": 1,
}
#: the figures of the before/after verdict (in the order of the paragraph)
VERDICT = ("peak_compression_n", "peak_l5s1_extension_moment_nm", "max_li", "peak_reba", "time_above_action_limit_s")
#: relative change below which a risk figure counts as unchanged (the uncertainty of a video
#: estimate is larger than this; see docs/web.md)
UNCHANGED = 0.05


def _num(x) -> float | None:
    if isinstance(x, bool) or not isinstance(x, int | float):
        return None
    return float(x) if math.isfinite(float(x)) else None


def cards(summary: dict) -> list[dict]:
    """The summary cards (label, value, class ``ok``/``warn``/``bad``, note) of an assessment.

    Examples
    --------
    >>> c = cards({"peak_compression_n": 4788.1, "action_limit_n": 3400.0, "maximum_permissible_n": 6400.0})
    >>> c[0]["value"], c[0]["cls"]
    ('4,790 N', 'warn')
    """
    s = summary
    out = []
    c, al, mpl = _num(s.get("peak_compression_n")), _num(s.get("action_limit_n")), _num(s.get("maximum_permissible_n"))
    if c is not None:
        cls = "bad" if mpl and c > mpl else "warn" if al and c > al else "ok"
        note = (f"action limit {L.number(al, 'n')} N, maximum {L.number(mpl, 'n')} N" if al and mpl else "")
        out.append({"label": "Peak L5/S1 compression", "value": L.value("peak_compression_n", c), "cls": cls,
                    "note": note})
    m = _num(s.get("peak_l5s1_extension_moment_nm"))
    if m is not None:
        out.append({"label": "Peak L5/S1 extension moment", "value": L.value("peak_l5s1_extension_moment_nm", m),
                    "cls": "", "note": ""})
    r = _num(s.get("peak_reba"))
    if r is not None:
        out.append({"label": "Worst posture (REBA)", "value": L.number(r, "f0"),
                    "cls": "bad" if r >= 8 else "warn" if r >= 4 else "ok",
                    "note": f"{L.text(s.get('peak_reba_level', ''))} risk" if s.get("peak_reba_level") else ""})
    li, n = _num(s.get("max_li")), s.get("n_lifts")
    if n is not None:
        out.append({"label": "Highest NIOSH lifting index", "value": L.number(li, "f2") if li is not None else "—",
                    "cls": "" if li is None else "bad" if li > 3 else "warn" if li > 1 else "ok",
                    "note": f"{n} lift{'s' if n != 1 else ''} detected"})
    w = _num(s.get("peak_workload_ratio"))
    if w is not None:
        out.append({"label": "Highest joint workload", "value": L.value("peak_workload_ratio", w),
                    "cls": "bad" if w > 0.5 else "warn" if w > 0.3 else "ok",
                    "note": L.text(s.get("peak_workload_joint", ""))})
    return out


def summary_sections(summary: dict) -> list[tuple[str, list[tuple[str, str]]]]:
    """(section title, [(label, value)]) of a stored summary; settings in their own section."""
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


def lift_table(lifts: list[dict]) -> tuple[list[str], list[list[str]]]:
    """(headers, rows of text) of the lift table: the columns of `LIFT_COLUMNS` present."""
    cols = [c for c in LIFT_COLUMNS if any(c in row for row in lifts)]
    return [L.label(c) for c in cols], [[L.value(c, row.get(c), with_unit=False) for c in cols] for row in lifts]


_IMG = re.compile(r'<img class="fig"[^>]*?src="data:image/png;base64,([A-Za-z0-9+/=]+)"[^>]*?alt="([^"]*)"')


def report_figures(report_html: str) -> list[dict]:
    """The report's figures (``{"alt", "png_b64"}``) from its stored HTML (PNG data URIs).

    Examples
    --------
    >>> report_figures('<img class="fig" src="data:image/png;base64,iVBO" alt="L5/S1 loads">')
    [{'alt': 'L5/S1 loads', 'png_b64': 'iVBO'}]
    """
    return [{"alt": alt, "png_b64": b64} for b64, alt in _IMG.findall(report_html or "")]


def key_moments(summary: dict) -> list[dict]:
    """Key moments (``{"t", "label"}``, time-ordered) of an assessment: worst posture, peak
    compression, peak moment, and the grasp of each lift.

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
        t = _num(summary.get(tkey))
        if t is not None:
            v = summary.get(vkey)
            shown = L.number(v, "f0") if vkey == "peak_reba" else L.value(vkey, v)
            out.append({"t": round(t, 3), "label": text.format(shown)})
    for row in summary.get("lifts", []) or []:
        t = _num(row.get("grasp_s")) if isinstance(row, dict) else None
        if t is not None:
            kind = "Lowering" if row.get("kind") == "lower" else "Lift"
            out.append({"t": round(t, 3), "label": f"{kind} {row.get('lift', '')} (grasp)"})
    return sorted(out, key=lambda m: m["t"])


def compare_rows(a: dict, b: dict) -> list[dict]:
    """Before/after rows of the figures both summaries have: label, A, B, change with its unit,
    relative change and its meaning (``better``/``worse``/``same``/``neutral``).

    Examples
    --------
    >>> r = compare_rows({"peak_compression_n": 4000.0, "rate_hz": 30.0}, {"peak_compression_n": 3000.0, "rate_hz": 60})
    >>> [(x["label"], x["delta"], x["rel"], x["meaning"]) for x in r]
    [('Peak L5/S1 compression', '−1,000 N', '−25 %', 'better'), ('Frame rate', '+30 Hz', '', 'neutral')]
    """
    rows = []
    keys = [k for _, ks in SECTIONS for k in ks]
    keys += [k for k in a if k not in keys and k not in NOT_SHOWN and not isinstance(a[k], dict)]
    for k in keys:
        if k not in a or k not in b:
            continue
        va, vb = a[k], b[k]
        row = {"key": k, "label": L.label(k, with_unit=False), "a": L.value(k, va), "b": L.value(k, vb),
               "delta": "", "rel": "", "meaning": "neutral"}
        na, nb = _num(va), _num(vb)
        if na is not None and nb is not None:
            d = nb - na
            s = L.value(k, abs(d))
            row["delta"] = "0" if s.lstrip("0.,").split(" ")[0] in ("", "°") else ("+" if d > 0 else "−") + s
            direction = DIRECTION.get(k, 0)
            if direction and na:
                rel = d / abs(na)
                row["rel"] = f"{'+' if rel > 0 else '−' if rel < 0 else ''}{abs(100 * rel):.0f} %"
                row["meaning"] = "same" if abs(rel) < UNCHANGED else ("worse" if rel * direction > 0 else "better")
            elif direction:
                row["meaning"] = "same" if d == 0 else ("worse" if d * direction > 0 else "better")
        rows.append(row)
    return rows


def verdict(a: dict, b: dict, name_a: str = "before", name_b: str = "after") -> str:
    """A plain-language paragraph: did the back load, lifting index and posture get better?

    Examples
    --------
    >>> verdict({"peak_compression_n": 4000.0, "action_limit_n": 3400.0, "max_li": 1.2},
    ...         {"peak_compression_n": 3000.0, "action_limit_n": 3400.0, "max_li": 1.1})[:60]
    'After the change the lower-back load is lower: peak L5/S1 co'
    """
    rows = {r["key"]: r for r in compare_rows(a, b)}
    better = [rows[k] for k in VERDICT if k in rows and rows[k]["meaning"] == "better"]
    worse = [rows[k] for k in VERDICT if k in rows and rows[k]["meaning"] == "worse"]
    parts = []
    back = rows.get("peak_compression_n")
    if back and back["meaning"] in ("better", "worse"):
        word = "lower" if back["meaning"] == "better" else "higher"
        parts.append(f"After the change the lower-back load is {word}: peak L5/S1 compression "
                     f"{back['a']} {name_a} vs {back['b']} {name_b} ({back['rel']}).")
    elif back:
        parts.append(f"The peak lower-back compression hardly changed ({back['a']} vs {back['b']}; less than "
                     f"{100 * UNCHANGED:.0f} %, within the accuracy of the estimate).")
    al = _num(b.get("action_limit_n")) or _num(a.get("action_limit_n"))
    ca, cb = _num(a.get("peak_compression_n")), _num(b.get("peak_compression_n"))
    if al and ca is not None and cb is not None and (ca > al) != (cb > al):
        parts.append(f"It is now {'below' if cb <= al else 'above'} the NIOSH action limit "
                     f"of {L.number(al, 'n')} N.")
    li = rows.get("max_li")
    if li and li["meaning"] != "neutral":
        lb = _num(b.get("max_li"))
        band = "" if lb is None else (" (now at most 1: acceptable for nearly all workers)" if lb <= 1 else
                                      " (still above 1: increased risk)" if lb <= 3 else " (still above 3: high risk)")
        parts.append(f"The highest NIOSH lifting index went from {li['a']} to {li['b']}{band}.")
    reba = rows.get("peak_reba")
    if reba and reba["meaning"] in ("better", "worse"):
        parts.append(f"The worst posture scores REBA {reba['b']} instead of {reba['a']}.")
    if better and not worse:
        parts.append("Overall: an improvement.")
    elif worse and not better:
        parts.append("Overall: worse than before; review the change.")
    elif better and worse:
        parts.append("Overall: mixed: " + ", ".join(r["label"].lower() for r in better) + " improved, "
                     + ", ".join(r["label"].lower() for r in worse) + " got worse.")
    else:
        parts.append("Overall: no meaningful difference in the risk figures.")
    return " ".join(parts)
