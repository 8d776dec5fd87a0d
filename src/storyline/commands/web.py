"""``storyline serve`` (the local web UI and HTTP API) and ``storyline report`` (one HTML file)."""

from __future__ import annotations

import ipaddress
import os
import sys

import click

from storyline.errors import StorylineError
from storyline.store import is_postgres_url


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@click.command("serve")
@click.option("--db", default="storyline.db", show_default=True, help="The story database (SQLite file or postgresql:// URL).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on (localhost by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option(
    "--token",
    default=None,
    envvar="STORYLINE_TOKEN",
    help="Enable the write endpoints (POST /api/articles, /api/corrections), which then need "
    "'Authorization: Bearer TOKEN'. Also read from STORYLINE_TOKEN. Without it the server is read-only.",
)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    help="A host name the server answers to (repeatable). On localhost the default is localhost, "
    "127.0.0.1 and [::1], so a web page elsewhere cannot reach it by DNS rebinding; "
    "on another interface every name is accepted unless this is given.",
)
def serve_cmd(db: str, host: str, port: int, token: str | None, allowed_hosts: tuple[str, ...]) -> None:
    """Open the story database in the browser: timeline, actors, articles, search, and the HTTP API."""
    try:
        import uvicorn

        from storyline.web.app import LOOPBACK_HOSTS, create_app
    except ImportError as exc:  # the [web] extra is not installed
        from storyline.errors import E

        click.echo(f"storyline: {StorylineError(E.MISSING_PACKAGE, package=exc.name or 'starlette', purpose='storyline serve', install='storyline[web]')}", err=True)
        sys.exit(2)
    hosts: list[str] | None = list(allowed_hosts) or None
    if hosts is None and _is_loopback(host):
        hosts = [*LOOPBACK_HOSTS, f"[{host}]" if ":" in host else host]
    try:
        app = create_app(db, token=token, allowed_hosts=hosts)
    except StorylineError as exc:
        click.echo(f"storyline: {exc}", err=True)
        sys.exit(2)
    if not _is_loopback(host):
        click.echo(f"storyline: warning: listening on {host}, reachable from other machines", err=True)
    if token and len(token) < 16:
        click.echo("storyline: warning: the token is short; use at least 16 random characters", err=True)
    shown = f"[{host}]" if ":" in host else host
    if is_postgres_url(db):
        from storyline.store.postgres import redact_url

        db = redact_url(db)  # never print the password
    click.echo(f"storyline: serving {db} at http://{shown}:{port}/ ({'writes enabled' if token else 'read-only'})", err=True)
    uvicorn.run(app, host=host, port=port, log_level=os.environ.get("STORYLINE_LOG_LEVEL", "warning"),
                server_header=False, proxy_headers=False)


@click.command("report")
@click.option("--db", default="storyline.db", show_default=True, help="The story database (SQLite file or postgresql:// URL).")
@click.option("--actor", default=None, help="Focus on one entity (id, name or alias).")
@click.option("--out", default="story.html", show_default=True, help="The HTML file to write.")
@click.option("--max-actors", default=10, show_default=True, type=click.IntRange(0, 1000), help="Actor sections (without --actor).")
def report_cmd(db: str, actor: str | None, out: str, max_actors: int) -> None:
    """Write one self-contained HTML file: the timeline, actor sections and sources (no external requests)."""
    from storyline.web.report import write_report

    try:
        path = write_report(db, out, actor=actor, max_actors=max_actors)
    except StorylineError as exc:
        click.echo(f"storyline: {exc}", err=True)
        sys.exit(2)
    except OSError as exc:
        click.echo(f"storyline: could not write {out}: {exc}", err=True)
        sys.exit(2)
    click.echo(str(path))


commands = [serve_cmd, report_cmd]
