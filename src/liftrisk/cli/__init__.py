"""Command-line interface (`liftrisk ...`): a thin Typer layer over the library."""
