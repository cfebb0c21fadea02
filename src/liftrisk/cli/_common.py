"""Helpers shared by the CLI modules."""

from __future__ import annotations

import functools

import typer

from liftrisk.errors import LiftriskError


def clean_errors(fn):
    """Decorate a command so LiftriskError / OSError print one 'error:' line and exit with 2
    (never a traceback)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except LiftriskError as exc:
            typer.secho(f"error: {exc}", err=True, fg="red")
            raise typer.Exit(2) from None
        except OSError as exc:
            typer.secho(f"error: {exc.filename or ''}: {exc.strerror or exc}", err=True, fg="red")
            raise typer.Exit(2) from None
    return wrapper
