"""`liftrisk` loads only the area of the command it runs; `liftrisk --help` lists every command
from a generated index that must equal the real commands (names, areas, help texts)."""

from __future__ import annotations

import pprint
import subprocess
import sys

import typer
from typer.testing import CliRunner

from liftrisk.cli._command_index import COMMANDS
from liftrisk.cli.main import AREAS, app_for, build_app, listing_app


def _real_index() -> dict:
    out = {}
    for area in AREAS:
        group = typer.main.get_command(build_app((area,)))
        for name, cmd in group.commands.items():
            if name == "version":
                continue
            info = {"help": cmd.help}
            for k in ("short_help", "rich_help_panel"):
                if getattr(cmd, k, None):
                    info[k] = getattr(cmd, k)
            if hasattr(cmd, "commands"):  # a sub-group (Typer vendors its own click)
                info["group"] = True
            for k in ("hidden", "deprecated"):
                if getattr(cmd, k, False):
                    info[k] = True
            assert name not in out, f"command {name} registered by two areas: {out[name][0]} and {area}"
            out[name] = (area, info)
    return out


def test_the_index_equals_the_real_commands():
    real = _real_index()
    assert real == COMMANDS, ("src/liftrisk/cli/_command_index.py is out of date; its COMMANDS should be:\n"
                              + pprint.pformat(real, width=110, sort_dicts=False))


def test_help_listing_is_the_full_apps():
    """The listing app prints exactly what the app with every area prints."""
    for args in (["--help"], []):
        full = CliRunner().invoke(build_app(), args, prog_name="liftrisk")
        lazy = CliRunner().invoke(listing_app(), args, prog_name="liftrisk")
        assert lazy.output == full.output and lazy.exit_code == full.exit_code


def test_a_typo_gets_the_same_error():
    full = CliRunner().invoke(build_app(), ["asess"], prog_name="liftrisk")
    lazy = CliRunner().invoke(app_for(["asess"]), ["asess"], prog_name="liftrisk")
    assert full.exit_code == lazy.exit_code == 2 and lazy.output == full.output


def test_a_command_runs_with_only_its_area():
    for cmd, area in (("niosh", "risk"), ("imu", "imu"), ("--verbose", None)):
        a = typer.main.get_command(app_for([cmd, "--help"]))
        names = set(a.commands) - {"version"}
        if area is None:
            assert names == set(COMMANDS)          # no command named: the listing
        else:
            assert names == {n for n, (ar, _) in COMMANDS.items() if ar == area}


def test_help_does_not_import_the_web_stack_or_scipy():
    code = ("import sys; from liftrisk.cli.main import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = ('fastapi', 'sqlalchemy', 'scipy.signal', 'liftrisk.pipeline')\n"
            "print(sorted(m for m in heavy if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
