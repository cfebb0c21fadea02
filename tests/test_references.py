"""Citations: every "Author et al. Year" / "Author & Author Year" in the code, tests and docs has
its full reference in docs/references.md, and nothing points at the source papers' working
copies ("seed" pointers) instead of citing them.

The citation pattern is deliberately narrow (``et al.`` or ``&``/``and`` between two capitalised
names, then a year), so that it cannot misread other text; single-author citations are not
checked here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCES = ROOT / "docs" / "references.md"
SCANNED = [ROOT / "src", ROOT / "docs", ROOT / "tests", ROOT / "benchmarks", ROOT / "README.md"]

NAME = r"[A-Z][a-zA-Zöüéñçåøä'-]+"
CITATION = re.compile(rf"\b({NAME})(?: et al\.?|,? (?:&|and) {NAME}(?:,? (?:&|and) {NAME})?) \(?((?:19|20)\d\d)\b")
#: Pointers to the papers' working copies instead of a citation (random seeds are not matched).
SEED_POINTER = re.compile(r"shared/seeds|seed paper|seed's|seeds'|\bseed (?:eq|sec|table|fig)|"
                          r"(?:IMU-CNN|Mehrizi|fuzzy-REBA|2D-vs-3D|3D) seed", re.IGNORECASE)


def _text_files():
    for base in SCANNED:
        paths = [base] if base.is_file() else sorted(base.rglob("*"))
        for p in paths:
            if p.suffix in (".py", ".md", ".toml", ".j2", ".html") and p.is_file() and p != Path(__file__):
                yield p


def _entries() -> list[str]:
    return re.split(r"\n- ", REFERENCES.read_text(encoding="utf-8"))


def _citations(text: str) -> set[tuple[str, str]]:
    return {(m.group(1), m.group(2)) for m in CITATION.finditer(text)}


@pytest.fixture(scope="module")
def corpus() -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8", errors="replace") for p in _text_files()}


def test_every_cited_source_has_a_full_reference(corpus):
    entries = _entries()
    missing = {}
    for path, text in corpus.items():
        for name, year in _citations(text):
            if not any(name in e and year in e for e in entries):
                missing.setdefault(f"{name} {year}", str(path.relative_to(ROOT)))
    assert not missing, ("cited without a full reference in docs/references.md (add an entry with "
                         f"the authors and year): {missing}")


def test_no_pointers_to_the_papers_working_copies(corpus):
    hits = [f"{p.relative_to(ROOT)}:{i + 1}: {line.strip()}" for p, text in corpus.items()
            for i, line in enumerate(text.splitlines()) if SEED_POINTER.search(line)]
    assert not hits, "cite the paper as 'Author Year, eq. N' instead:\n" + "\n".join(hits)


def test_the_five_source_papers_are_referenced():
    text = REFERENCES.read_text(encoding="utf-8")
    for key in ("Mehrizi et al. 2019", "Xiang et al. 2021", "Zaman et al. 2021", "Snyder et al. 2021",
                "Int J Intell Syst 2023"):
        assert f"**{key}**" in text, key


@pytest.mark.parametrize("text, found", [
    ("as in Mehrizi et al. 2019, eq. 8-9", {("Mehrizi", "2019")}),
    ("(Hignett & McAtamney 2000)", {("Hignett", "2000")}),
    ("Ren, Jones & Howard (2008, J Biomech)", {("Jones", "2008")}),
    ("seed=0 and 2019 rows", set()),
])
def test_citation_pattern(text, found):
    assert _citations(text) == found


@pytest.mark.parametrize("line, hit", [
    ("the Mehrizi seed eq. 5", True), ("IMU-CNN seed Table 1", True), ("see shared/seeds/x.txt", True),
    ("rng = np.random.default_rng(seed)", False), ("seed : int", False), ("seeds 1-3 measured", False),
])
def test_seed_pointer_pattern(line, hit):
    assert bool(SEED_POINTER.search(line)) is hit
