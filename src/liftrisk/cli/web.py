"""CLI commands of the web area: ``liftrisk serve`` and ``liftrisk db upgrade|current``."""

from __future__ import annotations

import typer

from liftrisk.cli.settings_options import SettingsRequest, settings_file_option
from liftrisk.errors import LiftriskError
from liftrisk.store import StoreSettings, current_revision, head_revision, make_engine, upgrade
from liftrisk.web.app import create_app
from liftrisk.web.settings import WebSettings

db_app = typer.Typer(help="The assessment database (SQLite by default; LIFTRISK_DATABASE_URL for any other).",
                     no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(url: str = typer.Option(None, "--url", help="SQLAlchemy URL (default: LIFTRISK_DATABASE_URL "
                                                           "or the SQLite file in the data folder)")) -> None:
    """Create or migrate the assessment database to the newest schema."""
    settings = StoreSettings.from_env()
    target = url or settings.database_url
    if not url:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    rev = upgrade(target)
    typer.echo(f"database {_safe(target)} is at revision {rev}")


@db_app.command("current")
def db_current(url: str = typer.Option(None, "--url", help="SQLAlchemy URL")) -> None:
    """Print the schema revision of the assessment database."""
    target = url or StoreSettings.from_env().database_url
    engine = make_engine(target)
    try:
        rev = current_revision(engine)
    finally:
        engine.dispose()
    typer.echo(f"database {_safe(target)}: revision {rev or '(empty)'}; newest {head_revision()}")


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@settings_file_option
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to bind (127.0.0.1: this computer only)."),
    port: int = typer.Option(8000, help="TCP port."),
    workers: int = typer.Option(None, help="Worker processes for assessments (default: LIFTRISK_WORKERS or 2)."),
    token: str = typer.Option(None, envvar="LIFTRISK_TOKEN", show_envvar=True,
                              help="Access token required by every page (for shared use)."),
    insecure: bool = typer.Option(False, "--insecure", help="Allow binding a non-local address without a token."),
    allowed_host: list[str] = typer.Option(None, "--allowed-host", help="A host name browsers use to reach this "
                                           "server (repeatable; also LIFTRISK_ALLOWED_HOSTS). 127.0.0.1, localhost, "
                                           "::1 and the --host address are always allowed."),
    settings_request: SettingsRequest = None,
) -> None:
    """Start the liftrisk web app (upload, progress, reports, browse, compare).

    --settings FILE (or LIFTRISK_SETTINGS) gives the assessment settings of every upload; the
    upload form's NIOSH task fields win."""
    import uvicorn

    local = host in ("127.0.0.1", "localhost", "::1")
    if not local and not token and not insecure:
        raise LiftriskError(f"refusing to serve on {host} without a token: anyone on the network could read "
                            "the assessments. Fix: set LIFTRISK_TOKEN (or --token), or pass --insecure")
    settings = WebSettings.from_env(token=token, workers=workers,
                                    allowed_hosts=tuple(allowed_host or ()) + _names_of(host),
                                    settings_file=settings_request.project_file)
    app = create_app(settings)
    where = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    typer.echo(f"liftrisk web app on {where}  (database {_safe(settings.store.database_url)}, "
               f"{settings.workers} worker(s){', token required' if token else ''})")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _names_of(host: str) -> tuple[str, ...]:
    """Host names a browser may use for the bound address: the address itself, or for a
    wildcard bind (0.0.0.0, ::) this computer's name and fully qualified name."""
    import socket

    if host in ("0.0.0.0", "::", ""):
        return tuple({socket.gethostname(), socket.getfqdn()})
    return (host,)


def register(app: typer.Typer) -> None:
    """Add ``serve`` and the ``db`` group to the main app."""
    app.command("serve")(serve)
    app.add_typer(db_app, name="db")
