"""CLI commands of the kinetics area."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app (filled in by the kinetics work)."""
