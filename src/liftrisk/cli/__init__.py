"""Command-line interface (`liftrisk ...`): a thin Typer layer over the library."""

# An application, not a library: its commands are reached through `liftrisk ...` (main.app).
__all__: list[str] = []
