"""The `liftrisk` command. Each area registers its commands from its own module; errors
of type `LiftriskError` are printed as one line (never a traceback) with exit code 2."""

from __future__ import annotations

import importlib
import os
import sys

import typer

from liftrisk import __version__
from liftrisk.cli._command_index import COMMANDS
from liftrisk.errors import LiftriskError

#: One module per area; each defines register(app).
AREAS = ("files", "kinetics", "risk", "imu", "predict", "assess", "web", "batch", "job", "compare", "opensim")
HELP = "liftrisk: lifting risk from video, motion capture and IMUs."


def _root(verbose: bool = typer.Option(False, "--verbose", help="Show the native libraries' own log lines "
                                       "(MediaPipe/TensorFlow Lite), hidden by default.")) -> None:
    """liftrisk: lifting risk from video, motion capture and IMUs."""
    if verbose:
        os.environ["LIFTRISK_VERBOSE"] = "1"  # read by liftrisk.pose's native-log filter, also in workers


def version() -> None:
    """Print the liftrisk version."""
    typer.echo(__version__)


def _new_app() -> typer.Typer:
    a = typer.Typer(help=HELP, no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
    a.callback()(_root)
    a.command()(version)
    return a


def build_app(areas: tuple[str, ...] = AREAS) -> typer.Typer:
    """The `liftrisk` Typer app with the commands of `areas` (default: all).

    Parameters
    ----------
    areas : tuple of str
        Names of the ``liftrisk.cli.<area>`` modules whose ``register(app)`` adds commands.

    Returns
    -------
    typer.Typer
    """
    a = _new_app()
    for area in areas:
        importlib.import_module(f"liftrisk.cli.{area}").register(a)
    return a


def _noop() -> None:
    """Placeholder of a command in the help listing (never run)."""


def listing_app() -> typer.Typer:
    """An app that only lists the commands (names and help from `liftrisk.cli._command_index`,
    which a test keeps equal to the real ones): `liftrisk --help` without importing every area.

    Returns
    -------
    typer.Typer
    """
    a = _new_app()
    for name, (_area, info) in COMMANDS.items():  # Typer lists commands first, then groups
        if not info.get("group"):
            a.command(name, **info)(_noop)
    for name, (_area, info) in COMMANDS.items():
        if info.get("group"):
            a.add_typer(typer.Typer(**{k: v for k, v in info.items() if k != "group"}), name=name)
    return a


def app_for(argv: list[str]) -> typer.Typer:
    """The app to run `argv` with: only the area that defines the command named in `argv`, or the
    listing app when no known command is named (help, a typo: the same names are listed).

    Parameters
    ----------
    argv : list of str
        Arguments after ``liftrisk``.

    Returns
    -------
    typer.Typer
    """
    words = [w for w in argv if not w.startswith("-")]
    if words and words[0] in COMMANDS:
        return build_app((COMMANDS[words[0]][0],))
    if words and words[0] == "version":
        return _new_app()
    return listing_app()


def __getattr__(name: str):
    """``liftrisk.cli.main.app``: the full app (all areas), built on first use."""
    if name == "app":
        global app
        app = build_app()
        return app
    raise AttributeError(name)


#: environment read by the native libraries when they load: OpenCV's own log (WARN lines),
#: FFmpeg inside OpenCV ("moov atom not found", AV_LOG_QUIET = -8), glog/absl and TensorFlow
#: Lite (MediaPipe). liftrisk reports their failures itself, as one clear error line.
QUIET_NATIVE_ENV = {"OPENCV_LOG_LEVEL": "SILENT", "OPENCV_FFMPEG_LOGLEVEL": "-8", "GLOG_minloglevel": "2",
                    "TF_CPP_MIN_LOG_LEVEL": "2"}


def quiet_native_libraries(argv: list[str]) -> None:
    """Silence the native libraries' own log lines unless ``--verbose`` is given (a user's
    own setting of these variables wins)."""
    if "--verbose" in argv or os.environ.get("LIFTRISK_VERBOSE", "").strip().lower() in {"1", "true", "yes", "on"}:
        return
    for key, value in QUIET_NATIVE_ENV.items():
        os.environ.setdefault(key, value)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning LiftriskError into a clear one-line message."""
    quiet_native_libraries(sys.argv[1:] if argv is None else list(argv))
    try:
        args = sys.argv[1:] if argv is None else list(argv)
        app_for(args)(args=args, standalone_mode=True, prog_name="liftrisk")
    except LiftriskError as exc:
        typer.secho(f"error: {exc}", err=True, fg="red")
        sys.exit(2)
