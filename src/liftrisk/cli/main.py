"""The `liftrisk` command. Each area registers its commands from its own module; errors
of type `LiftriskError` are printed as one line (never a traceback) with exit code 2."""

from __future__ import annotations

import os
import sys

import typer

from liftrisk import __version__
from liftrisk.errors import LiftriskError

app = typer.Typer(help="liftrisk: lifting risk from video, motion capture and IMUs.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)

# One module per area; each defines register(app).
_AREAS = ("files", "kinetics", "risk", "imu", "predict", "assess", "web", "batch", "job", "compare", "opensim")


def _register_all() -> None:
    import importlib

    for area in _AREAS:
        mod = importlib.import_module(f"liftrisk.cli.{area}")
        mod.register(app)


@app.callback()
def _root(verbose: bool = typer.Option(False, "--verbose", help="Show the native libraries' own log lines "
                                       "(MediaPipe/TensorFlow Lite), hidden by default.")) -> None:
    """liftrisk: lifting risk from video, motion capture and IMUs."""
    if verbose:
        os.environ["LIFTRISK_VERBOSE"] = "1"  # read by liftrisk.pose's native-log filter, also in workers


@app.command()
def version() -> None:
    """Print the liftrisk version."""
    typer.echo(__version__)


_register_all()


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
        app(args=argv, standalone_mode=True)
    except LiftriskError as exc:
        typer.secho(f"error: {exc}", err=True, fg="red")
        sys.exit(2)
