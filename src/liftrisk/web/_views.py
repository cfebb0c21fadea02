"""Before/after comparison of two stored assessments for the compare page: rows with the
meaning of each change (better/worse/unchanged/neutral) and a plain-language verdict. The
assessment-side figures (cards, sections, lift table) are in `liftrisk.report.digest`.

Meaning of a change: a risk figure (compression, moment, REBA, lifting index, time above the
NIOSH action limit, joint workload) is better when it goes down; recording facts (length,
frame rate, settings) are neutral.
"""

from __future__ import annotations

from liftrisk.report import labels as L
from liftrisk.report.digest import NOT_SHOWN, SECTIONS, num

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


def compare_rows(a: dict, b: dict) -> list[dict]:
    """Before/after rows of the figures both summaries have: label, A, B, change with its unit,
    relative change and its meaning (``better``/``worse``/``same``/``neutral``).

    Examples
    --------
    >>> r = compare_rows({"peak_compression_n": 4000.0, "rate_hz": 30.0}, {"peak_compression_n": 3000.0, "rate_hz": 60})
    >>> [(x["label"], x["delta"], x["rel"], x["meaning"]) for x in r]
    [('Peak L5/S1 compression', '−1,000 N', '−25 %', 'better'), ('Frame rate', '+30 Hz', '', 'neutral')]
    >>> compare_rows({"peak_compression_n": 4000.0}, {"peak_compression_n": 3999.0})[0]["rel"]
    '0 %'
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
        na, nb = num(va), num(vb)
        if na is not None and nb is not None:
            d = nb - na
            s = L.value(k, abs(d))
            row["delta"] = "0" if s.lstrip("0.,").split(" ")[0] in ("", "°") else ("+" if d > 0 else "−") + s
            direction = DIRECTION.get(k, 0)
            if direction and na:
                rel = d / abs(na)
                pct = round(100 * rel)  # sign from the rounded figure: never "-0 %"
                row["rel"] = f"{'+' if pct > 0 else '−' if pct < 0 else ''}{abs(pct)} %"
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
    al = num(b.get("action_limit_n")) or num(a.get("action_limit_n"))
    ca, cb = num(a.get("peak_compression_n")), num(b.get("peak_compression_n"))
    if al and ca is not None and cb is not None and (ca > al) != (cb > al):
        parts.append(f"It is now {'below' if cb <= al else 'above'} the NIOSH action limit "
                     f"of {L.number(al, 'n')} N.")
    li = rows.get("max_li")
    if li and li["meaning"] != "neutral":
        lb = num(b.get("max_li"))
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
