"""The package's shape, read from the source: one-way layers, imports at the top of each module,
no private names borrowed across packages (docs/architecture.md).

Every module under src/liftrisk is parsed with `ast` (nothing is imported), so these tests
see every import, including those inside functions and under ``if TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
import time
from dataclasses import dataclass
from pathlib import Path

import pytest


def _parse(text: str, filename: str = "<unknown>") -> ast.Module:
    """`ast.parse`, tried again when CPython 3.11 (before 3.11.9, gh-106905) raises "SystemError:
    AST constructor recursion depth mismatch": its AST conversion keeps one recursion counter for
    all threads, and a background thread of an earlier test (e.g. an import in the report's
    warm-up thread) can still be converting an AST at the same moment."""
    for attempt in range(20):
        try:
            return ast.parse(text, filename)
        except SystemError as exc:
            if "recursion depth mismatch" not in str(exc) or attempt == 19:
                raise
            time.sleep(0.05)
    raise AssertionError("unreachable")

SRC = Path(__file__).resolve().parents[1] / "src" / "liftrisk"

#: Allowed direction of imports, lowest layer first. A module may import from its own package
#: and from any package of a LOWER layer; packages that share a layer may not import each other.
#: A new sub-package takes its place here (the test fails until it has one).
#: `io` sits above the algorithms so that they never touch files (they take Motion and arrays);
#: it itself imports only core and errors (IMPORT_ONLY).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors",),
    ("core",),
    ("processing", "metrics", "liftrisk"),  # "liftrisk" = the top package's __init__
    ("kinematics",),
    ("kinetics", "risk"),
    ("io",),
    ("bodymodel", "pose", "synthetic", "imu", "predict"),
    ("uncertainty",),
    ("job",),
    ("assessment",),
    ("pipeline",),
    ("report",),
    ("store",),
    ("batch",),
    ("web",),
    ("cli",),
)

#: Packages held to a narrower set than their layer allows (package -> packages it may import).
IMPORT_ONLY: dict[str, frozenset[str]] = {
    "io": frozenset({"core", "errors"}),
}

#: Imports against the layers that other work still has to remove: (importer package,
#: imported package) -> why it is tolerated. Keep this list empty; remove an entry together
#: with the import it excuses (the test fails on an entry that no longer matches an import).
KNOWN_VIOLATIONS: dict[tuple[str, str], str] = {}

#: Modules of other work in progress that still import liftrisk modules inside functions
#: (module -> owner). Remove an entry when its imports move to the header (stale entries fail).
#: Imports deferred on purpose so that start-up overlaps work already running (the cost is
#: measured in docs/pose.md): module -> why. Not a to-do list; each entry is a design decision.
DEFERRED_FOR_START_UP: dict[str, str] = {
    "liftrisk.cli.assess": "`liftrisk assess VIDEO` starts pose detection before it imports the analysis "
                           "(pipeline, report, SciPy), so the imports overlap the detector (issue 15)",
}

KNOWN_IMPORTS_INSIDE_FUNCTIONS: dict[str, str] = {
    "liftrisk.web.jobs": "hardening (issue 11: batch/store/web)",
    "liftrisk.report.job": "arch-flow / job-risk (report/)",
}

#: Private modules or names imported across packages by other work in progress:
#: (importing module, imported module) -> owner. Remove with the import (stale entries fail).
KNOWN_PRIVATE_IMPORTS: dict[tuple[str, str], str] = {
    ("liftrisk.web._pool", "liftrisk.batch._lifeline"): "hardening (issue 11: batch/store/web)",
}

#: Public sub-packages without ``__all__`` yet (package -> owner); stale entries fail.
KNOWN_WITHOUT_ALL: dict[str, str] = {}

#: Third-party libraries that are slow to import or optional: imported inside the function
#: that needs them, and so is a liftrisk module that imports one of them at its top.
HEAVY = frozenset({"torch", "mediapipe", "cv2", "matplotlib", "dask", "ray", "opensim"})


@dataclass(frozen=True)
class Import:
    module: str  # importing module, e.g. "liftrisk.kinematics.angles"
    target: str  # imported module, e.g. "liftrisk.core.motion" (or "numpy")
    names: tuple[str, ...]  # names taken from it (empty for `import x`)
    line: int
    top_level: bool  # at module level (also under if/try there), not in a function or class


def _modules() -> dict[str, tuple[Path, bool]]:
    out = {}
    for f in sorted(SRC.rglob("*.py")):
        parts = f.relative_to(SRC.parent).with_suffix("").parts
        is_pkg = f.name == "__init__.py"
        out[".".join(parts[:-1] if is_pkg else parts)] = (f, is_pkg)
    return out


MODULES = _modules()


def _imports(module: str) -> list[Import]:
    path, is_pkg = MODULES[module]
    tree = _parse(path.read_text(encoding="utf-8"), str(path))
    package = module if is_pkg else module.rpartition(".")[0]
    found: list[Import] = []

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                found.extend(Import(module, a.name, (), child.lineno, top) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")[: len(package.split(".")) - child.level + 1]
                    target = ".".join(base + ([child.module] if child.module else []))
                else:
                    target = child.module or ""
                names = tuple(a.name for a in child.names)
                # `from liftrisk import io` imports the module liftrisk.io
                subs = [n for n in names if f"{target}.{n}" in MODULES]
                for n in subs:
                    found.append(Import(module, f"{target}.{n}", (), child.lineno, top))
                rest = tuple(n for n in names if n not in subs)
                if rest or not subs:
                    found.append(Import(module, target, rest, child.lineno, top))
            else:
                inner = top and not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
                                               | ast.ClassDef)
                visit(child, inner)

    visit(tree, True)
    return found


IMPORTS: dict[str, list[Import]] = {m: _imports(m) for m in MODULES}


def _package(module: str) -> str:
    """Layer unit of a module: the sub-package (or top-level module) under liftrisk."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "liftrisk"


def _layer(package: str) -> int | None:
    return next((i for i, layer in enumerate(LAYERS) if package in layer), None)


def _internal(imp: Import) -> bool:
    return imp.target == "liftrisk" or imp.target.startswith("liftrisk.")


def _edges_against_layers() -> dict[tuple[str, str], list[str]]:
    bad: dict[tuple[str, str], list[str]] = {}
    for imps in IMPORTS.values():
        for imp in filter(_internal, imps):
            src, dst = _package(imp.module), _package(imp.target)
            if src == dst:
                continue
            ls, ld = _layer(src), _layer(dst)
            if ls is None or ld is None or ld >= ls or (src in IMPORT_ONLY and dst not in IMPORT_ONLY[src]):
                bad.setdefault((src, dst), []).append(f"{imp.module}:{imp.line} imports {imp.target}")
    return bad


def test_every_package_has_a_layer():
    missing = sorted({_package(m) for m in MODULES} - {p for layer in LAYERS for p in layer})
    assert not missing, f"packages without a place in LAYERS (tests/test_architecture.py): {missing}"


def test_imports_follow_the_layers():
    bad = _edges_against_layers()
    unexpected = {k: v for k, v in bad.items() if k not in KNOWN_VIOLATIONS}
    assert not unexpected, "imports against the layer order (lower layers never import higher ones):\n" + "\n".join(
        f"  {s} -> {d}: " + "; ".join(where) for (s, d), where in sorted(unexpected.items()))
    stale = sorted(set(KNOWN_VIOLATIONS) - set(bad))
    assert not stale, f"KNOWN_VIOLATIONS entries that no import needs any more (remove them): {stale}"


def test_the_layer_check_can_fail():
    """The checker itself sees an upward edge (kinetics -> pipeline) and a same-layer edge."""
    saved = dict(IMPORTS)
    try:
        IMPORTS["liftrisk.kinetics.spine"] = [*saved["liftrisk.kinetics.spine"],
                                              Import("liftrisk.kinetics.spine", "liftrisk.pipeline", (), 1, False),
                                              Import("liftrisk.kinetics.spine", "liftrisk.risk.niosh", (), 1, True)]
        bad = _edges_against_layers()
    finally:
        IMPORTS.clear()
        IMPORTS.update(saved)
    assert ("kinetics", "pipeline") in bad and ("kinetics", "risk") in bad


def _heavy_modules() -> set[str]:
    """liftrisk modules whose import (their top-level imports, followed) loads a HEAVY library."""
    heavy: set[str] = set()
    changed = True
    while changed:
        changed = False
        for m, imps in IMPORTS.items():
            if m in heavy:
                continue
            parents = {".".join(m.split(".")[:i]) for i in range(1, m.count(".") + 1)}
            tops = {i.target for i in imps if i.top_level} | (parents & set(MODULES))
            if any(t.split(".")[0] in HEAVY or t in heavy for t in tops):
                heavy.add(m)
                changed = True
    return heavy


def test_liftrisk_imports_are_at_the_top_of_each_module():
    """The dependency graph reads from the file headers: a liftrisk import inside a function is
    allowed only for a module that loads a heavy optional library (HEAVY) when imported."""
    heavy = _heavy_modules()
    found = [i for imps in IMPORTS.values() for i in imps if _internal(i) and not i.top_level and i.target not in heavy]
    inside = [f"{i.module}:{i.line} imports {i.target}" for i in found
              if i.module not in KNOWN_IMPORTS_INSIDE_FUNCTIONS and i.module not in DEFERRED_FOR_START_UP]
    stale = sorted((set(KNOWN_IMPORTS_INSIDE_FUNCTIONS) | set(DEFERRED_FOR_START_UP)) - {i.module for i in found})
    assert not stale, f"KNOWN_IMPORTS_INSIDE_FUNCTIONS entries with no such import any more (remove them): {stale}"
    assert not inside, f"{len(inside)} liftrisk imports inside functions (move them to the module header):\n  " + \
        "\n  ".join(inside)


def _is_private(dotted: str) -> bool:
    return any(p.startswith("_") and not (p.startswith("__") and p.endswith("__")) for p in dotted.split("."))


def test_no_private_names_across_packages():
    """A leading underscore means 'this package only': no other package imports such a module
    or name (a package's own modules may)."""
    bad, known = [], set()
    for imps in IMPORTS.values():
        for i in filter(_internal, imps):
            if _package(i.module) == _package(i.target):
                continue
            names = [n for n in i.names if _is_private(n)]
            if _is_private(i.target) or names:
                if (i.module, i.target) in KNOWN_PRIVATE_IMPORTS:
                    known.add((i.module, i.target))
                else:
                    bad.append(f"{i.module}:{i.line} imports {i.target} {', '.join(names)}".rstrip())
    stale = sorted(set(KNOWN_PRIVATE_IMPORTS) - known)
    assert not stale, f"KNOWN_PRIVATE_IMPORTS entries with no such import any more (remove them): {stale}"
    assert not bad, "private modules/names imported from another package:\n  " + "\n  ".join(bad)


PUBLIC_PACKAGES = sorted(m for m, (_, is_pkg) in MODULES.items() if is_pkg and not _is_private(m))


@pytest.mark.parametrize("package", PUBLIC_PACKAGES)
def test_public_surface_is_declared(package):
    """Each public package states its public names in ``__all__``, and every listed name exists."""
    path, _ = MODULES[package]
    tree = _parse(path.read_text(encoding="utf-8"))
    listed = None
    defined = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) \
            else []
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            listed = ast.literal_eval(node.value)
        for sub in ast.walk(node):
            if isinstance(sub, ast.ImportFrom):
                defined |= {a.asname or a.name for a in sub.names}
            elif isinstance(sub, ast.Import):
                defined |= {(a.asname or a.name).split(".")[0] for a in sub.names}
            elif isinstance(sub, ast.FunctionDef | ast.ClassDef):
                defined.add(sub.name)
            elif isinstance(sub, ast.Assign):
                defined |= {t.id for t in sub.targets if isinstance(t, ast.Name)}
    if package in KNOWN_WITHOUT_ALL:
        assert listed is None, f"{package} has an __all__ now: remove it from KNOWN_WITHOUT_ALL"
        pytest.skip(f"{package}: __all__ still to add ({KNOWN_WITHOUT_ALL[package]})")
    assert listed is not None, f"{package}/__init__.py has no __all__"
    assert not [n for n in listed if n not in defined], f"{package}.__all__ lists undefined names"
    assert not [n for n in listed if n.startswith("_") and n != "__version__"], f"{package}.__all__ lists private names"


#: Public top-level names defined in more than one module on purpose: name -> why.
SAME_NAME_ON_PURPOSE: dict[str, str] = {
    # the 2D and 3D prediction backends implement one model Protocol (liftrisk.predict)
    "forward_kinematics": "predict 2D/3D backends of one Protocol",
    "inverse_dynamics": "predict 2D/3D backends of one Protocol",
    "inverse_dynamics_lagrange": "predict 2D/3D backends of one Protocol",
    "point_kinematics": "predict 2D/3D backends of one Protocol (kinematics.point_kinematics: a Motion's points)",
    "G": "predict 2D/3D backends (model gravity constant); TODO use core.constants.GRAVITY_MPS2",
    "SIDES": "predict.model3d orders its sides (r, l); core.skeletons.SIDES is (l, r)",
    # one role in each of several parallel modules
    "register": "each CLI command module registers its commands",
    "main": "console entry points (cli.main, synthetic.make_demo) and alembic's env",
    "upgrade": "alembic migration steps", "downgrade": "alembic migration steps",
    "DATA_DIR": "each area's own data folder", "HERE": "each module's own folder",
    "METHODS": "the options of one function each (processing.gaps, kinematics.derivatives)",
    "damage_per_cycle": "job: LiFFT and the Shoulder Tool, the same fatigue-damage step of two tools",
    "risk_band": "job: LiFFT and the Shoulder Tool bands",
    "SEXES": "job.evaluate orders (female, male); TODO share core.subject.SEXES",
    "Body": "bodymodel.model and predict.model3d; TODO one name each (issue 11 item 2)",
}


def test_one_definition_per_public_name():
    """One name, one concept: a public class, function or constant is defined in one module
    (others import it); two things that differ get different names."""
    where: dict[str, list[str]] = {}
    for module, (path, _) in MODULES.items():
        for node in _parse(path.read_text(encoding="utf-8")).body:
            names = []
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                names = [node.name]
            elif isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name) and t.id.isupper()]
            for n in names:
                if not n.startswith("_"):
                    where.setdefault(n, []).append(module)
    twice = {n: m for n, m in where.items() if len(m) > 1 and n not in SAME_NAME_ON_PURPOSE}
    assert not twice, "names defined in several modules (import one, or give different things different names):\n" + \
        "\n".join(f"  {n}: {', '.join(m)}" for n, m in sorted(twice.items()))
    stale = sorted(n for n in SAME_NAME_ON_PURPOSE if len(where.get(n, [])) < 2)
    assert not stale, f"SAME_NAME_ON_PURPOSE entries no longer defined twice (remove them): {stale}"
