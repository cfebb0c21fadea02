"""Checks on an uploaded file before anything is stored: its name, suffix, declared MIME
type and first bytes ("magic numbers").

The stored file is named by its SHA-256 (`liftrisk.store.blobs`), so the user's file name
is only kept as a label: `safe_filename` reduces it to its last path component and a safe
character set (letters and digits of any script, ``. _ - ( ) +`` and spaces; no control,
format or bidirectional-override characters), so that names like ``../../etc/passwd`` or
``C:\\x\\..\\a.mp4`` can never point anywhere, while ``lîft_日本.trc`` stays readable.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

from liftrisk.errors import InputFileError, LiftriskError, UnknownFormatError
from liftrisk.io import read_insole_spec, read_plate_spec
from liftrisk.io.dispatch import MOTION_SUFFIXES, VIDEO_SUFFIXES

ALLOWED_SUFFIXES = VIDEO_SUFFIXES + MOTION_SUFFIXES
GENERIC_MIME = ("", "application/octet-stream", "binary/octet-stream")
TEXT_MIME = ("text/plain", "text/csv", "text/x-csv", "application/csv", "application/x-csv",
             "application/vnd.ms-excel", "application/json", "text/json", "text/tab-separated-values")
#: declared MIME types accepted per suffix (besides the generic ones)
MIME_BY_SUFFIX = {
    ".mp4": ("video/mp4", "video/x-m4v", "video/quicktime"),
    ".m4v": ("video/mp4", "video/x-m4v"),
    ".mov": ("video/quicktime", "video/mp4"),
    ".avi": ("video/x-msvideo", "video/avi", "video/msvideo"),
    ".mkv": ("video/x-matroska", "video/matroska", "video/webm"),
    ".webm": ("video/webm", "video/x-matroska"),
    ".mpg": ("video/mpeg", "video/x-mpeg"),
    ".mpeg": ("video/mpeg", "video/x-mpeg"),
    ".3gp": ("video/3gpp", "audio/3gpp", "video/mp4"),
    ".c3d": ("application/x-c3d", "application/c3d"),
    ".trc": TEXT_MIME,
    ".csv": TEXT_MIME,
    ".json": TEXT_MIME,
    ".txt": TEXT_MIME,
    ".tsv": TEXT_MIME,
    ".toml": TEXT_MIME + ("application/toml", "application/x-toml", "text/x-toml", "text/toml"),
}
#: tables of force plates and insoles (any delimiter: the TOML description names it)
TABLE_SUFFIXES = (".csv", ".txt", ".tsv")
#: the lab files an upload may bring (`liftrisk.io.LabInputs`): form field -> accepted suffixes
LAB_SUFFIXES = {"static": MOTION_SUFFIXES, "plates": TABLE_SUFFIXES, "plates_spec": (".toml",),
                "insoles": TABLE_SUFFIXES, "insole_spec": (".toml",)}
#: what each lab field holds, for messages and the assessment page
LAB_LABELS = {"static": "static trial", "plates": "force-plate table", "plates_spec": "force-plate description",
              "insoles": "insole table", "insole_spec": "insole description"}
#: the lab options an upload may bring (`liftrisk.io.LabInputs`): form field -> what it holds
LAB_OPTION_LABELS = {"plates_under_both_feet": "C3D platforms under both feet",
                     "object_plates": "C3D platforms under the object", "leg_length_mm": "leg length",
                     "knee_width_mm": "knee width", "ankle_width_mm": "ankle width"}
_UNSAFE = re.compile(r"[^\w. \-()+]")  # \w: letters, digits and _ of every script (str patterns)
MAX_NAME_CHARS = 120


def safe_filename(name: str) -> str:
    """The last component of a user-supplied file name, reduced to safe characters.

    Examples
    --------
    >>> safe_filename("../../etc/passwd")
    'passwd'
    >>> safe_filename("C:\\\\Users\\\\x\\\\..\\\\lift 1.MP4")
    'lift 1.MP4'
    >>> safe_filename("..")
    'upload'
    >>> safe_filename("lîft_日本.trc"), safe_filename("a\u202egnp.trc")
    ('lîft_日本.trc', 'a_gnp.trc')
    """
    name = unicodedata.normalize("NFKC", str(name or "")).replace("\\", "/").replace("\x00", "")
    base = PurePosixPath(name).name
    base = _UNSAFE.sub("_", base).strip(" .")
    if len(base) > MAX_NAME_CHARS:  # keep the suffix: it selects the reader
        stem, dot, suffix = base.rpartition(".")
        base = (stem[: MAX_NAME_CHARS - len(suffix) - 1] + "." + suffix) if dot and len(suffix) < 10 \
            else base[:MAX_NAME_CHARS]
    return base or "upload"


def kind_of_suffix(suffix: str) -> str:
    """'video' or 'motion' for an allowed suffix."""
    return "video" if suffix in VIDEO_SUFFIXES else "motion"


def check_name_and_type(filename: str, content_type: str | None) -> tuple[str, str, str]:
    """Validate the name and declared MIME type; returns (safe name, suffix, kind).

    Raises
    ------
    UnknownFormatError
        Unsupported suffix, or a declared type that contradicts it.
    """
    safe = safe_filename(filename)
    suffix = PurePosixPath(safe).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise UnknownFormatError(safe, f"unsupported file type {suffix or '(no extension)'!r}",
                                 fix=f"upload a video ({', '.join(VIDEO_SUFFIXES)}) or a motion/IMU file "
                                     f"({', '.join(MOTION_SUFFIXES)})")
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime not in GENERIC_MIME and mime not in MIME_BY_SUFFIX[suffix]:
        raise UnknownFormatError(safe, f"the declared type {mime!r} does not match a {suffix} file",
                                 fix="upload the recording itself, with its original extension")
    return safe, suffix, kind_of_suffix(suffix)


def check_lab_name_and_type(role: str, filename: str, content_type: str | None) -> tuple[str, str]:
    """Validate the name and declared MIME type of a lab file (`LAB_SUFFIXES`); returns
    (safe name, suffix).

    Parameters
    ----------
    role : str
        The form field: ``static``, ``plates``, ``plates_spec``, ``insoles``, ``insole_spec``.
    filename : str
        The user's file name.
    content_type : str or None
        The declared MIME type.

    Returns
    -------
    tuple of str
        The safe name and the lower-case suffix.

    Examples
    --------
    >>> check_lab_name_and_type("plates_spec", "../lab plates.TOML", "application/toml")
    ('lab plates.TOML', '.toml')
    >>> check_lab_name_and_type("plates", "plates.toml", "")
    Traceback (most recent call last):
    ...
    liftrisk.errors.UnknownFormatError: plates.toml: the force-plate table (field 'plates') is a .toml file. Fix: ...
    """
    safe = safe_filename(filename)
    suffix = PurePosixPath(safe).suffix.lower()
    allowed = LAB_SUFFIXES[role]
    if suffix not in allowed:
        raise UnknownFormatError(safe, f"the {LAB_LABELS[role]} (field '{role}') is a {suffix or '(no extension)'} "
                                       "file", fix=f"give it as {', '.join(allowed)}")
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime not in GENERIC_MIME and mime not in MIME_BY_SUFFIX[suffix]:
        raise UnknownFormatError(safe, f"the declared type {mime!r} does not match a {suffix} file",
                                 fix="upload the file itself, with its original extension")
    return safe, suffix


def check_lab_spec(role: str, name: str):
    """A `validate` callback for `put_chunks`: a TOML description must read
    (`liftrisk.io.read_plate_spec`, `liftrisk.io.read_insole_spec`); other roles: None.

    The error names the user's file, not the temporary one.
    """
    reader = {"plates_spec": read_plate_spec, "insole_spec": read_insole_spec}.get(role)
    if reader is None:
        return None

    def validate(path) -> None:
        try:
            reader(path)
        except LiftriskError as exc:
            text = str(exc).replace(str(path), name).replace(PurePosixPath(str(path)).name, name)
            text = text[len(name) + 2:] if text.startswith(name + ": ") else text
            raise InputFileError(name, f"the {LAB_LABELS[role]} (field '{role}') cannot be read: {text}") from None

    return validate


def check_content(name: str, suffix: str, head: bytes, size_bytes: int) -> None:
    """Check the first bytes of a file against its suffix (catches renamed/corrupt files).

    Parameters
    ----------
    name : str
        File name for messages.
    suffix : str
        Lower-case suffix, e.g. '.mp4'.
    head : bytes
        The first (up to 64 kB) bytes.
    size_bytes : int
        Total size.

    Examples
    --------
    >>> check_content("a.csv", ".csv", b"time_s,x\\n0,1\\n", 13)
    >>> check_content("a.mp4", ".mp4", b"\\x89PNG\\r\\n", 6)
    Traceback (most recent call last):
    ...
    liftrisk.errors.UnknownFormatError: a.mp4: the content is not a .mp4 video (it starts like a PNG image). Fix: ...
    """
    if size_bytes == 0:
        raise InputFileError(name, "the file is empty (0 bytes)", fix="export or record it again")
    if suffix in (".mp4", ".m4v", ".mov", ".3gp"):  # ISO base media file format boxes
        ok = len(head) >= 12 and head[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")
    elif suffix == ".avi":
        ok = head[:4] == b"RIFF" and head[8:12] == b"AVI "
    elif suffix in (".mkv", ".webm"):
        ok = head[:4] == b"\x1a\x45\xdf\xa3"
    elif suffix in (".mpg", ".mpeg"):  # MPEG program stream pack header or MPEG video sequence header
        ok = head[:4] in (b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3")
    elif suffix == ".c3d":
        if size_bytes < 512:
            raise InputFileError(name, f"the C3D file has {size_bytes} bytes; a C3D file has at least a "
                                 "512-byte header", fix="export the trial again from the capture software")
        ok = head[1:2] == b"\x50"  # byte 2 of every C3D header is 0x50 (c3d.org, "The C3D file format")
    else:  # text formats
        ok = b"\x00" not in head
        if ok:
            try:
                text = head.decode("utf-8")
            except UnicodeDecodeError as exc:  # a multi-byte char may be cut at the end of head
                ok = exc.start >= len(head) - 4
                text = head[: exc.start].decode("utf-8")
            if ok and suffix == ".json":
                ok = text.lstrip("\ufeff \t\r\n")[:1] in ("{", "[")
    if not ok:
        what = "video" if suffix in VIDEO_SUFFIXES else ("C3D file" if suffix == ".c3d" else "text file")
        raise UnknownFormatError(name, f"the content is not a {suffix} {what}{_looks_like(head)}",
                                 fix="upload the original recording (renamed or damaged files cannot be read)")


def _looks_like(head: bytes) -> str:
    sigs = {b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"%PDF": "a PDF document",
            b"PK\x03\x04": "a ZIP archive", b"MZ": "a Windows program", b"\x7fELF": "a Linux program",
            b"GIF8": "a GIF image", b"<!DOCTYPE": "an HTML page", b"<html": "an HTML page"}
    for sig, what in sigs.items():
        if head.startswith(sig):
            return f" (it starts like {what})"
    return ""


def probe_video_file(name: str):
    """A `validate` callback for `put_chunks`: the video must open and decode a first frame.

    Uses `liftrisk.pose.video.probe_video`; the error names the user's file, not the
    temporary one.
    """

    def validate(path) -> None:
        from liftrisk.pose.video import probe_video

        try:
            probe_video(path)
        except InputFileError as exc:
            raise InputFileError(name, exc.problem, fix=exc.fix) from None

    return validate


__all__ = ["safe_filename", "check_name_and_type", "check_content", "probe_video_file", "kind_of_suffix",
           "check_lab_name_and_type", "check_lab_spec", "ALLOWED_SUFFIXES", "LAB_SUFFIXES", "LAB_LABELS",
           "LAB_OPTION_LABELS"]
