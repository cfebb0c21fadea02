"""OpenSim storage files (.mot, .sto): read and write tables; ground reactions from *_grf.mot.

Layout::

    subject01_walk1_grf.mot          <- name line (optional)
    version=1
    nRows=1501
    nColumns=19
    inDegrees=yes
    endheader
    time  ground_force_vx  ground_force_vy ...   <- tab or space separated
    0     101.51           745.47 ...

Values are returned exactly as in the file (angles stay in the file's degrees; the header's
``inDegrees`` says which). Ground reactions are converted to liftrisk's frame and units.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from liftrisk.core.loads import GroundReaction
from liftrisk.errors import DataQualityError, InputFileError, UnitsError
from liftrisk.io._common import (
    atomic_write_text,
    check_frame,
    check_readable,
    check_writable,
    regular_time,
    to_z_up,
)

_TIME_COLUMNS = ("time", "Time", "time_s")


def read_mot(path) -> tuple[pd.DataFrame, dict]:
    """Read an OpenSim .mot/.sto table.

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    table : pandas.DataFrame
        One column per file column except time; index ``time_s`` (s). Values as in the file.
    header : dict
        ``name`` (first line), ``key=value`` pairs (``version``, ``nRows``, ``nColumns``,
        ``inDegrees``, ...) and ``description`` (the other header lines).

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> df = pd.DataFrame({"knee_angle_r": [0.0, 10.0]}, index=pd.Index([0.0, 0.01], name="time_s"))
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "q.mot"
    >>> write_mot(df, f, in_degrees=True)
    >>> table, header = read_mot(f)
    >>> float(table["knee_angle_r"].iloc[1]), header["inDegrees"]
    (10.0, 'yes')
    """
    p = check_readable(path)
    header: dict = {"name": "", "description": []}
    n_head = None
    with open(p, encoding="utf-8", errors="replace") as fh:
        for i, line in enumerate(fh):
            s = line.strip()
            if s.lower() == "endheader":
                n_head = i + 1
                break
            if i == 0 and "=" not in s:
                header["name"] = s
            elif "=" in s:
                k, v = s.split("=", 1)
                header[k.strip()] = v.strip()
            elif s:
                header["description"].append(s)
            if i > 200:
                break
    if n_head is None:
        raise InputFileError(p, "no 'endheader' line in the first 200 lines; not an OpenSim .mot/.sto file",
                             fix="export the table from OpenSim, or give a .trc/.c3d file")
    try:
        df = pd.read_csv(p, sep=r"\s+", skiprows=n_head, header=0, dtype=float, engine="c")
    except (ValueError, pd.errors.ParserError) as exc:
        raise InputFileError(p, f"the data rows cannot be read as numbers ({exc})",
                             fix="check the column line and the separators") from None
    except pd.errors.EmptyDataError:
        raise InputFileError(p, "no column line after 'endheader'", fix="export the table again") from None
    tcol = next((c for c in _TIME_COLUMNS if c in df.columns), None)
    if tcol is None:
        raise InputFileError(p, f"no time column; columns are {list(df.columns)[:8]}", field="time",
                             fix="the first column must be named 'time'")
    if df.empty:
        raise InputFileError(p, "the file has a header but no rows", fix="export the table again")
    df = df.set_index(tcol)
    df.index.name = "time_s"
    return df, header


read_sto = read_mot


def write_mot(table: pd.DataFrame, path, in_degrees: bool = True, name: str | None = None,
              overwrite: bool = False, description: str = "") -> None:
    """Write a table (index = time in s) as an OpenSim .mot/.sto file.

    Parameters
    ----------
    table : pandas.DataFrame
        Numeric columns; the index is the time in s.
    path : str or Path
        Output file; an existing file is kept unless `overwrite`.
    in_degrees : bool
        Value of the ``inDegrees`` header field (the values are written as given).
    name : str, optional
        First header line (default: the file name).
    overwrite : bool
        Replace an existing file.
    description : str
        Extra header lines (e.g. "Units are S.I. units").

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> df = pd.DataFrame({"a": [1.0]}, index=pd.Index([0.0], name="time_s"))
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "x.sto"
    >>> write_sto(df, f)
    >>> f.read_text().splitlines()[5]
    'endheader'
    """
    p = check_writable(path, overwrite)
    if not isinstance(table, pd.DataFrame) or table.empty:
        raise InputFileError(p, "nothing to write: the table is empty or not a DataFrame")
    lines = [name if name is not None else Path(p).name, "version=1", f"nRows={len(table)}",
             f"nColumns={table.shape[1] + 1}", f"inDegrees={'yes' if in_degrees else 'no'}"]
    lines += [ln for ln in description.splitlines() if ln.strip()]
    lines.append("endheader")
    lines.append("\t".join(["time", *map(str, table.columns)]))
    body = np.column_stack([np.asarray(table.index, float), table.to_numpy(float)])
    txt = np.char.mod("%.10g", body)
    lines += ["\t".join(row) for row in txt]
    atomic_write_text(p, "\n".join(lines) + "\n")


write_sto = write_mot


# ------------------------------------------------------------------------- ground reactions
def _grf_prefixes(columns) -> list[str]:
    """Force identifiers f such that f+'x', f+'y', f+'z' are columns (e.g. 'ground_force_v', '1_ground_force_v')."""
    out = []
    for c in columns:
        if "force" in c.lower() and c.endswith("vx") and c[:-1] + "y" in columns and c[:-1] + "z" in columns:
            out.append(c[:-1])
    return out


def _external_loads(xml_path) -> dict[str, dict]:
    """force identifier -> {'name', 'body', 'point', 'torque'} from an OpenSim ExternalLoads xml."""
    p = check_readable(xml_path)
    try:
        root = ET.parse(p).getroot()
    except ET.ParseError as exc:
        raise InputFileError(p, f"not valid XML ({exc})", fix="give the ExternalLoads .xml from OpenSim") from None
    out = {}
    for ef in root.iter("ExternalForce"):
        def txt(tag, ef=ef):
            el = ef.find(tag)
            return (el.text or "").strip() if el is not None else ""
        if txt("isDisabled").lower() == "true":
            continue
        fid = txt("force_identifier")
        if fid:
            out[fid] = {"name": ef.get("name", ""), "body": txt("applied_to_body"),
                        "point": txt("point_identifier"), "torque": txt("torque_identifier")}
    if not out:
        raise InputFileError(p, "no enabled ExternalForce with a force_identifier",
                             fix="give the ExternalLoads file that goes with the GRF .mot")
    return out


def _foot_from_text(text: str) -> str:
    t = text.lower()
    if re.search(r"(^|[_.\s])(r|right)($|[_.\s])", t) or t.startswith(("r_", "right")) or t.endswith("_r"):
        return "right"
    if re.search(r"(^|[_.\s])(l|left)($|[_.\s])", t) or t.startswith(("l_", "left")) or t.endswith("_l"):
        return "left"
    return ""


def read_opensim_grf(path, external_loads=None, frame: str = "y_up",
                     min_force_n: float = 20.0) -> list[GroundReaction]:
    """Ground reactions from an OpenSim GRF file (``*_grf.mot``).

    Each plate/foot is a set of columns ``<prefix>ground_force_v{x,y,z}`` (force, N),
    ``<prefix>ground_force_p{x,y,z}`` (centre of pressure, m) and
    ``<prefix>ground_torque_{x,y,z}`` (free moment, N·m), with prefixes such as ``""``,
    ``"1_"``, ``"r_"``, ``"l_"``.

    Parameters
    ----------
    path : str or Path
        The GRF .mot file.
    external_loads : str or Path, optional
        OpenSim ExternalLoads .xml. When given, the foot of each force is taken from its
        ``applied_to_body`` (``calcn_r`` -> right) and the point/torque identifiers from it.
        Otherwise the foot is guessed from the prefix (``r_``/``l_``/``right``/``left``) and
        left "" when the name says nothing (e.g. ``1_``).
    frame : {"y_up", "z_up"}
        Frame of the file (OpenSim ground is Y-up).
    min_force_n : float
        Below this vertical force (N) the centre of pressure is set to NaN (unloaded plate).

    Returns
    -------
    list of GroundReaction
        In liftrisk's Z-up frame: force of the ground on the body (N), COP (m), free moment (N·m).

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> cols = {f"ground_force_v{a}": [0.0, 700.0 if a == "y" else 0.0] for a in "xyz"}
    >>> cols |= {f"ground_force_p{a}": [0.0, 0.1] for a in "xyz"}
    >>> df = pd.DataFrame(cols, index=pd.Index([0.0, 0.01], name="time_s"))
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "walk_grf.mot"
    >>> write_mot(df, f)
    >>> grf = read_opensim_grf(f)
    >>> grf[0].force_n[1].tolist()  # Y-up 700 N -> Z-up 700 N
    [0.0, 0.0, 700.0]
    """
    frame = check_frame(frame)
    table, _ = read_mot(path)
    p = Path(path)
    cols = list(table.columns)
    loads = _external_loads(external_loads) if external_loads is not None else None
    if loads is not None:
        specs = []
        for fid, info in loads.items():
            if fid + "x" not in cols:
                raise InputFileError(p, f"the ExternalLoads force identifier {fid!r} has no columns "
                                        f"{fid}x/y/z in this file", field=fid,
                                     fix="check that the .xml belongs to this GRF file")
            specs.append((fid, info["point"], info["torque"], _foot_from_text(info["body"]) or
                          _foot_from_text(info["name"]), info["name"] or fid))
    else:
        prefixes = _grf_prefixes(cols)
        if not prefixes:
            raise InputFileError(p, "no force columns (<prefix>ground_force_vx/vy/vz) found",
                                 fix="give an OpenSim GRF .mot with ground_force_v*/p* columns")
        specs = []
        for fp in prefixes:
            base = fp[: -len("ground_force_v")] if fp.endswith("ground_force_v") else fp[:-1]
            pp = base + "ground_force_p" if fp.endswith("ground_force_v") else fp[:-1] + "p"
            tp = base + "ground_torque_"
            specs.append((fp, pp, tp, _foot_from_text(base.strip("_")), (base + "ground_force").strip("_")))
    t = regular_time(table.index.to_numpy(float))
    out = []
    for fid, pid, tid, foot, name in specs:
        force = to_z_up(table[[fid + a for a in "xyz"]].to_numpy(float), frame)
        if not pid or pid + "x" not in cols:
            raise InputFileError(p, f"no centre-of-pressure columns {pid or '<point>'}x/y/z for force {fid!r}",
                                 field=fid, fix="export the COP (ground_force_p*) with the forces")
        cop = to_z_up(table[[pid + a for a in "xyz"]].to_numpy(float), frame)
        tq = (to_z_up(table[[tid + a for a in "xyz"]].to_numpy(float), frame)
              if tid and tid + "x" in cols else np.zeros_like(force))
        if np.nanmax(np.abs(cop)) > 100.0:
            raise UnitsError(f"{p} [{pid}]: centre of pressure values reach {np.nanmax(np.abs(cop)):.4g}; "
                             "OpenSim GRF files give the COP in m, these look like mm. "
                             "Fix: divide the ground_force_p* columns by 1000")
        cop = np.where((force[:, 2] >= min_force_n)[:, None], cop, np.nan)
        out.append(GroundReaction(time_s=t, force_n=force, cop_m=cop, free_moment_nm=tq, foot=foot, name=name))
    return out


def write_osim(text: str, path, overwrite: bool = False) -> None:
    """Write an OpenSim model document (.osim XML text made by `liftrisk.bodymodel.osim`).

    Parameters
    ----------
    text : str
        The XML document.
    path : str or Path
        Output file; an existing file is kept unless `overwrite`.
    overwrite : bool
        Replace an existing file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "m.osim"
    >>> write_osim("<OpenSimDocument/>", p); p.read_text()
    '<OpenSimDocument/>'
    """
    if not isinstance(text, str) or "OpenSimDocument" not in text:
        raise DataQualityError(f"{path}: the text to write is not an OpenSim document")
    atomic_write_text(check_writable(path, overwrite), text)


def write_external_loads(loads: list[GroundReaction], mot_path, xml_path, bodies: dict[str, str] | None = None,
                         overwrite: bool = False, applied_to: list[str] | None = None) -> None:
    """Write ground reactions as OpenSim external loads: a GRF ``.mot`` and its ExternalLoads ``.xml``.

    Each reaction becomes one ``ExternalForce`` (force, point and free moment expressed in
    ground) applied to ``bodies[load.foot]``; columns ``ground_force_v{x,y,z}`` (N),
    ``ground_force_p{x,y,z}`` (m), ``ground_torque_{x,y,z}`` (N m), prefixed ``1_``, ``2_`` ... for
    the second and later reactions (OpenSim's own example naming). Values are converted from
    liftrisk's Z-up frame to OpenSim's Y-up ground (``v_osim = (x, z, -y)``); frames without
    contact (NaN) are written as zero force at the origin. All reactions are written on the
    first one's time base (linear interpolation). The .xml names the .mot by file name, so keep
    the two files together.

    Parameters
    ----------
    loads : list of GroundReaction
        Ground reactions in liftrisk's frame (e.g. from `read_opensim_grf` or a plate CSV).
    mot_path, xml_path : str or Path
        Output files; existing files are kept unless `overwrite`.
    bodies : dict
        Body the reaction is applied to per ``GroundReaction.foot`` value (e.g.
        ``{"right": "r_foot", "left": "l_foot"}``); a reaction whose foot is not a key is an error.
    overwrite : bool
        Replace existing files.
    applied_to : list of str, optional
        The body of each load, in order (instead of `bodies`; e.g. a hand body for the load of
        a lifted object, which then goes through the same columns: force, point of
        application, free moment).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> g = GroundReaction(time_s=np.array([0.0, 0.01]), force_n=np.array([[0, 0, 700.0]] * 2),
    ...                    cop_m=np.array([[0.1, -0.1, 0.0]] * 2), foot="right")
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> write_external_loads([g], d / "grf.mot", d / "grf.xml", {"right": "r_foot"})
    >>> t, _ = read_mot(d / "grf.mot"); t[["ground_force_vy", "ground_force_pz"]].iloc[0].tolist()
    [700.0, 0.1]
    """
    mp, xp = check_writable(mot_path, overwrite), check_writable(xml_path, overwrite)
    if not loads:
        raise DataQualityError(f"{mp}: no ground reaction to write")
    c = np.asarray([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, -1.0, 0.0]])  # Z-up -> Y-up
    t = np.asarray(loads[0].time_s, float)
    cols: dict[str, np.ndarray] = {}
    forces = []
    if applied_to is not None and len(applied_to) != len(loads):
        raise DataQualityError(f"{xp}: {len(loads)} loads but {len(applied_to)} bodies in applied_to")
    if applied_to is None and bodies is None:
        raise DataQualityError(f"{xp}: give the bodies the loads are applied to (bodies or applied_to)")
    for i, g in enumerate(loads):
        if applied_to is None and g.foot not in bodies:
            raise DataQualityError(f"{xp}: ground reaction {i + 1} ({g.name or 'unnamed'}) is under foot "
                                   f"{g.foot!r}; expected one of {sorted(bodies)} (argument bodies)")
        pre = "" if i == 0 else f"{i}_"
        gt = np.asarray(g.time_s, float)
        fm = g.free_moment_nm if g.free_moment_nm is not None else np.zeros_like(g.force_n)
        for tag, arr in (("ground_force_v", g.force_n), ("ground_force_p", g.cop_m), ("ground_torque_", fm)):
            a = np.asarray(arr, float)
            a = np.column_stack([np.interp(t, gt, a[:, k], left=np.nan, right=np.nan) for k in range(3)])
            a = np.nan_to_num(a, nan=0.0) @ c.T
            for k, ax in enumerate("xyz"):
                cols[f"{pre}{tag}{ax}"] = a[:, k]
        forces.append((g.name or f"load{i + 1}", applied_to[i] if applied_to is not None else bodies[g.foot], pre))
    write_mot(pd.DataFrame(cols, index=pd.Index(t, name="time_s")), mp, in_degrees=False,
              overwrite=overwrite, description="ground reactions written by liftrisk (N, m, N m; Y-up ground)")
    objs = "".join(
        f'<ExternalForce name="{name}"><applied_to_body>{body}</applied_to_body>'
        "<force_expressed_in_body>ground</force_expressed_in_body>"
        "<point_expressed_in_body>ground</point_expressed_in_body>"
        f"<force_identifier>{pre}ground_force_v</force_identifier>"
        f"<point_identifier>{pre}ground_force_p</point_identifier>"
        f"<torque_identifier>{pre}ground_torque_</torque_identifier></ExternalForce>"
        for name, body, pre in forces)
    atomic_write_text(xp, '<?xml version="1.0" encoding="UTF-8"?>\n<OpenSimDocument Version="40000">'
                      f'<ExternalLoads name="externalloads"><objects>{objs}</objects><groups/>'
                      f"<datafile>{Path(mp).name}</datafile></ExternalLoads></OpenSimDocument>\n")


def read_osim_names(path) -> dict[str, list[str]]:
    """Names in an OpenSim model file (read as XML; no OpenSim needed).

    Parameters
    ----------
    path : str or Path
        The .osim file.

    Returns
    -------
    dict
        ``markers``, ``bodies`` and ``coordinates``: lists of names in file order.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "m.osim"
    >>> _ = p.write_text('<OpenSimDocument><Model><BodySet><objects><Body name="femur_r"/></objects></BodySet>'
    ...                  '<MarkerSet><objects><Marker name="RKNE"/></objects></MarkerSet></Model></OpenSimDocument>')
    >>> read_osim_names(p)["markers"], read_osim_names(p)["bodies"]
    (['RKNE'], ['femur_r'])
    """
    p = check_readable(path)
    try:
        root = ET.parse(p).getroot()
    except ET.ParseError as exc:
        raise InputFileError(p, f"not valid XML ({exc})", fix="give an OpenSim model (.osim) file") from None
    model = root.find("Model")
    if root.tag != "OpenSimDocument" or model is None:
        raise InputFileError(p, "no <OpenSimDocument><Model> element; not an OpenSim model file",
                             fix="give an OpenSim 4 model (.osim)")

    def names(set_tag: str, tag: str) -> list[str]:
        return [e.get("name", "") for s in model.iter(set_tag) for e in s.iter(tag) if e.get("name")]

    return {"markers": names("MarkerSet", "Marker"), "bodies": names("BodySet", "Body"),
            "coordinates": [e.get("name", "") for e in model.iter("Coordinate") if e.get("name")]}


@dataclass(frozen=True)
class MarkerMap:
    """How a recording's markers meet a user's OpenSim model (`read_marker_map`).

    Attributes
    ----------
    markers : dict
        Data marker name -> model marker name.
    weights : dict
        Model marker name -> inverse-kinematics weight (1 unless given).
    scale : list of dict
        OpenSim scaling measurements: ``{"name", "pairs": [[model marker, model marker], ...],
        "bodies": [...]}`` (empty: the model is used as it is, unscaled).
    coordinate_weights : dict
        Model coordinate -> weight of an IK task that holds it at its default value (e.g. the
        subtalar and MTP angles of gait2354, as OpenSim's own IK setups do).
    coordinates : dict
        liftrisk coordinate (``r_hip_flexion``, ``r_knee_flexion``, ``r_ankle_dorsiflexion``,
        the same with ``l_``, ``lumbar_flexion``) -> model coordinate, prefixed ``-`` where its
        positive direction is the opposite: liftrisk's Newton-Euler is compared with the
        model's ID at these.
    bodies : dict
        "right_foot", "left_foot", "right_hand", "left_hand" -> model body, where given.
    source : str
        The map file.
    """

    markers: dict
    weights: dict
    scale: list = field(default_factory=list)
    coordinate_weights: dict = field(default_factory=dict)
    coordinates: dict = field(default_factory=dict)
    bodies: dict = field(default_factory=dict)
    source: str = ""


_MAP_BODIES = ("right_foot", "left_foot", "right_hand", "left_hand")
_MAP_COORDINATES = tuple(f"{s}_{c}" for s in "rl" for c in ("hip_flexion", "knee_flexion", "ankle_dorsiflexion")
                         ) + ("lumbar_flexion",)


def read_marker_map(path) -> MarkerMap:
    """Read a marker map (TOML) for a user's OpenSim model.

    Layout::

        # markers.toml
        [markers]              # data marker = model marker (only these markers are used)
        RASI = "R.ASIS"
        LASI = "L.ASIS"
        [weights]              # optional: data marker = IK weight (default 1)
        RASI = 10.0
        [coordinate_weights]   # optional: model coordinate held at its default value, weight
        subtalar_angle_r = 1000.0
        [coordinates]          # optional: liftrisk coordinate = model coordinate ("-": opposite sign)
        r_knee_flexion = "-knee_angle_r"
        [[scale]]              # optional, repeat: one OpenSim scaling measurement
        name = "thigh"
        pairs = [["R.ASIS", "R.Knee.Lat"], ["L.ASIS", "L.Knee.Lat"]]   # model marker names
        bodies = ["femur_r", "femur_l"]
        [bodies]               # optional: where the external loads go
        right_foot = "calcn_r"
        left_foot = "calcn_l"
        right_hand = "hand_r"
        left_hand = "hand_l"

    Parameters
    ----------
    path : str or Path
        The TOML file.

    Returns
    -------
    MarkerMap

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "map.toml"
    >>> _ = p.write_text('[markers]\\nRKNE = "R.Knee"\\n[weights]\\nRKNE = 2.0\\n')
    >>> m = read_marker_map(p); m.markers, m.weights
    ({'RKNE': 'R.Knee'}, {'R.Knee': 2.0})
    """
    import tomllib

    p = check_readable(path)
    try:
        doc = tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputFileError(p, f"not valid TOML ({exc})", fix="see docs/bodymodel.md for the marker map layout"
                             ) from None
    unknown = sorted(set(doc) - {"markers", "weights", "coordinate_weights", "coordinates", "scale", "bodies"})
    if unknown:
        raise InputFileError(p, f"unknown key(s) {unknown}", field=unknown[0],
                             fix="the keys are [markers], [weights], [coordinate_weights], [coordinates], [[scale]] "
                                 "and [bodies]")
    markers = doc.get("markers")
    if not isinstance(markers, dict) or not markers:
        raise InputFileError(p, "no [markers] table (data marker = \"model marker\")", field="markers",
                             fix='add e.g. [markers] followed by RASI = "R.ASIS"')
    bad = [k for k, v in markers.items() if not isinstance(v, str) or not v]
    if bad:
        raise InputFileError(p, f"marker {bad[0]!r} maps to {markers[bad[0]]!r}; expected a model marker name",
                             field=f"markers.{bad[0]}", fix=f'write {bad[0]} = "ModelMarkerName"')
    doubled = sorted({v for v in markers.values() if list(markers.values()).count(v) > 1})
    if doubled:
        raise InputFileError(p, f"model marker {doubled[0]!r} is the target of several data markers",
                             field="markers", fix="map each model marker from one data marker")
    weights = {}
    for k, v in (doc.get("weights") or {}).items():
        if k not in markers:
            raise InputFileError(p, f"weight given for {k!r}, which is not in [markers]", field=f"weights.{k}",
                                 fix="name a data marker of the [markers] table")
        if not isinstance(v, int | float) or isinstance(v, bool) or not v >= 0:
            raise InputFileError(p, f"weight of {k!r} is {v!r}; expected a number >= 0", field=f"weights.{k}",
                                 fix=f"write {k} = 1.0")
        weights[markers[k]] = float(v)
    weights = {m: weights.get(m, 1.0) for m in markers.values()}
    coordinate_weights = {}
    for k, v in (doc.get("coordinate_weights") or {}).items():
        if not isinstance(v, int | float) or isinstance(v, bool) or not v > 0:
            raise InputFileError(p, f"coordinate weight of {k!r} is {v!r}; expected a number > 0",
                                 field=f"coordinate_weights.{k}", fix=f"write {k} = 1000.0")
        coordinate_weights[k] = float(v)
    coordinates = {}
    for k, v in (doc.get("coordinates") or {}).items():
        if k not in _MAP_COORDINATES:
            raise InputFileError(p, f"[coordinates] {k!r} is not a liftrisk coordinate compared by the inverse "
                                    f"dynamics", field=f"coordinates.{k}", fix=f"use {', '.join(_MAP_COORDINATES)}")
        if not isinstance(v, str) or not v.lstrip("-"):
            raise InputFileError(p, f"[coordinates] {k} = {v!r}; expected a model coordinate name",
                                 field=f"coordinates.{k}", fix=f'write {k} = "hip_flexion_r" (or "-name")')
        coordinates[k] = v
    scale = []
    for i, s in enumerate(doc.get("scale") or [], 1):
        where = f"scale[{i}]"
        if not isinstance(s, dict) or not {"name", "pairs", "bodies"} <= set(s):
            raise InputFileError(p, f"{where} needs name, pairs and bodies", field=where,
                                 fix='write name = "thigh", pairs = [["A", "B"]], bodies = ["femur_r"]')
        pairs = s["pairs"]
        if (not isinstance(pairs, list) or not pairs
                or not all(isinstance(x, list) and len(x) == 2 and all(isinstance(n, str) for n in x) for x in pairs)):
            raise InputFileError(p, f"{where}.pairs is {pairs!r}; expected a list of [marker, marker] pairs",
                                 field=f"{where}.pairs", fix='write pairs = [["R.ASIS", "R.Knee.Lat"]]')
        if not isinstance(s["bodies"], list) or not s["bodies"] or not all(isinstance(b, str) for b in s["bodies"]):
            raise InputFileError(p, f"{where}.bodies is {s['bodies']!r}; expected a list of body names",
                                 field=f"{where}.bodies", fix='write bodies = ["femur_r", "femur_l"]')
        scale.append({"name": str(s["name"]), "pairs": [list(x) for x in pairs], "bodies": list(s["bodies"])})
    bodies = dict(doc.get("bodies") or {})
    wrong = sorted(set(bodies) - set(_MAP_BODIES))
    if wrong or not all(isinstance(v, str) and v for v in bodies.values()):
        raise InputFileError(p, f"[bodies] has {wrong or bodies}; expected keys {list(_MAP_BODIES)} with body names",
                             field="bodies", fix='write right_foot = "calcn_r"')
    return MarkerMap(markers=dict(markers), weights=weights, scale=scale, bodies=bodies,
                     coordinate_weights=coordinate_weights, coordinates=coordinates, source=str(p))
