"""Keep the docs honest: every command and option the README shows exists."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click

from storyline.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_invocations() -> list[list[str]]:
    out = []
    for line in README.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        m = re.match(r"^(?:\.venv/bin/)?storyline\s+(.*)$", line)
        if m:
            out.append(shlex.split(m.group(1)))
    return out


def resolve(args: list[str]) -> tuple[click.Command, list[str]]:
    cmd: click.Command = main
    rest = list(args)
    ctx = click.Context(main)
    while isinstance(cmd, click.Group) and rest and not rest[0].startswith("-"):
        sub = cmd.get_command(ctx, rest[0])
        if sub is None:
            break
        cmd, rest = sub, rest[1:]
    return cmd, rest


def test_readme_shows_commands() -> None:
    assert len(readme_invocations()) >= 10


def test_every_readme_command_and_option_exists() -> None:
    missing = []
    for args in readme_invocations():
        cmd, rest = resolve(args)
        if cmd is main:
            missing.append(f"command: {args[0]}")
            continue
        known = {opt for p in cmd.params for opt in getattr(p, "opts", [])} | {"--help", "-h"}
        for tok in rest:
            if tok.startswith("--"):
                name = tok.split("=", 1)[0]
                if name not in known:
                    missing.append(f"{cmd.name} {name}")
    assert not missing, f"README shows what the CLI does not have: {missing}"


def test_readme_formats_match_readers() -> None:
    from storyline.readers import READERS

    text = README.read_text(encoding="utf-8")
    for suffix in READERS:
        assert f"`{suffix}`" in text, f"README's input table lacks {suffix}"
