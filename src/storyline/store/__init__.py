"""The story store: articles, their annotation layers, corpus results and runs.

SQLite by default: one file, WAL journal, FTS5 over article text and quotes.  The
schema is versioned (``PRAGMA user_version``) and upgraded by the ordered migrations in
``MIGRATIONS``.  Every write of an article (row, layers, quote index) is one
transaction, so an interrupted run leaves nothing half-written.

Corpus stages keep their results in ``corpus`` (kind, key, JSON data): entities,
entity links, copies, events, threads.  ``replace_corpus`` swaps a whole kind in one
transaction.

PostgreSQL is the server option (:mod:`storyline.store.postgres`): the same tables and
columns, versioned in a ``storyline_meta`` table; ``open_store`` picks it for a
``postgresql://`` URL.

Everything that reads the store (the CLI, the web UI, the report) goes through the
methods here, never through backend SQL of its own: ``data_version`` (a change marker for
caches), ``find_articles`` / ``find_quotes`` / ``matching_ids`` (full-text search), the
article and quote reads.  A backend overrides what its dialect does differently.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from storyline.errors import E, StorylineError
from storyline.model import Article

SCHEMA_VERSION = 1

MIGRATIONS: list[str] = [
    # 1: initial schema
    """
    CREATE TABLE IF NOT EXISTS articles (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        url TEXT,
        title TEXT,
        outlet TEXT,
        authors TEXT NOT NULL DEFAULT '[]',
        language TEXT,
        published TEXT NOT NULL DEFAULT '{}',
        published_date TEXT,
        text TEXT NOT NULL,
        raw_text TEXT,
        meta TEXT NOT NULL DEFAULT '{}',
        content_hash TEXT,
        input_hash TEXT,
        pipeline_version TEXT,
        created REAL,
        updated REAL
    );
    CREATE INDEX IF NOT EXISTS articles_published ON articles(published_date);
    CREATE INDEX IF NOT EXISTS articles_content ON articles(content_hash);
    CREATE TABLE IF NOT EXISTS layers (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (article_id, name)
    );
    CREATE TABLE IF NOT EXISTS blobs (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (article_id, name)
    );
    CREATE TABLE IF NOT EXISTS quotes (
        id TEXT PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL,
        speaker TEXT,
        said_on TEXT,
        data TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS quotes_article ON quotes(article_id);
    CREATE TABLE IF NOT EXISTS corpus (
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (kind, key)
    );
    CREATE TABLE IF NOT EXISTS runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        started REAL,
        finished REAL,
        inputs TEXT,
        counts TEXT,
        errors TEXT,
        settings TEXT
    );
    CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
        title, text, content='articles', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER IF NOT EXISTS articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    CREATE TRIGGER IF NOT EXISTS articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
    END;
    CREATE TRIGGER IF NOT EXISTS articles_au AFTER UPDATE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    CREATE VIRTUAL TABLE IF NOT EXISTS quotes_fts USING fts5(
        text, speaker, content='quotes', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER IF NOT EXISTS quotes_ai AFTER INSERT ON quotes BEGIN
        INSERT INTO quotes_fts(rowid, text, speaker) VALUES (new.rowid, new.text, new.speaker);
    END;
    CREATE TRIGGER IF NOT EXISTS quotes_ad AFTER DELETE ON quotes BEGIN
        INSERT INTO quotes_fts(quotes_fts, rowid, text, speaker) VALUES ('delete', old.rowid, old.text, old.speaker);
    END;
    CREATE TRIGGER IF NOT EXISTS quotes_au AFTER UPDATE ON quotes BEGIN
        INSERT INTO quotes_fts(quotes_fts, rowid, text, speaker) VALUES ('delete', old.rowid, old.text, old.speaker);
        INSERT INTO quotes_fts(rowid, text, speaker) VALUES (new.rowid, new.text, new.speaker);
    END;
    """,
]

# The columns of ``articles`` that make an Article (explicit, so that a backend may add
# columns of its own, such as PostgreSQL's search vector).
ARTICLE_COLUMNS = (
    "id, source, url, title, outlet, authors, language, published, published_date, text, raw_text, meta, "
    "content_hash, input_hash, pipeline_version, created, updated"
)

# Layers that are kept in their own tables or are bulky intermediate results.
_NOT_EXPORTED_LAYERS = {"ner"}


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def quote_from_row(row: Any) -> dict[str, Any]:
    """A stored quote from a row (id, article_id, data), as every quote query returns it."""
    d: dict[str, Any] = json.loads(row[2])
    d["id"], d["article"] = row[0], row[1]
    return d


def fts_query(text: str) -> str:
    """Turn user text into a safe FTS5 query: every word a quoted term, all required."""
    words = [w for w in "".join(c if c.isalnum() else " " for c in text).split() if w]
    return " ".join('"' + w.replace('"', "") + '"' for w in words)


# Search hits mark matched words in their snippet with these (stripped by split_snippet).
SNIPPET_OPEN, SNIPPET_CLOSE = "\x02", "\x03"


def split_snippet(snippet: str) -> tuple[str, list[list[int]]]:
    """Remove the highlight markers from a snippet; return the text and [start, end] offsets."""
    out: list[str] = []
    marks: list[list[int]] = []
    pos = 0
    start: int | None = None
    for ch in snippet:
        if ch == SNIPPET_OPEN:
            start = pos
        elif ch == SNIPPET_CLOSE:
            if start is not None:
                marks.append([start, pos])
            start = None
        else:
            out.append(ch)
            pos += 1
    return "".join(out), marks


def article_hit(row: Any, snippet: str) -> dict[str, Any]:
    """A search hit from a row (id, title, outlet, url, published, published_date) and its marked snippet."""
    text, marks = split_snippet(snippet)
    return {
        "id": row["id"],
        "title": row["title"],
        "outlet": row["outlet"],
        "url": row["url"],
        "published": json.loads(row["published"] or "{}"),
        "published_date": row["published_date"],
        "snippet": text,
        "highlights": marks,
    }


def _date_where(date_from: str | None, date_to: str | None) -> tuple[str, tuple[str, ...]]:
    """SQL for articles whose (possibly partial) date overlaps [date_from, date_to]."""
    conds: list[str] = []
    args: list[str] = []
    if date_from:
        conds.append("published_date >= substr(?, 1, length(published_date))")
        args.append(date_from)
    if date_to:
        conds.append("substr(published_date, 1, length(?)) <= ?")
        args.extend([date_to, date_to])
    return (" WHERE " + " AND ".join(conds) if conds else ""), tuple(args)


class Store:
    """A story database.  Use :func:`open_store` to get one.

    The SQL of the shared methods is written once, with ``?`` placeholders and
    ``INSERT ... ON CONFLICT ... DO UPDATE`` upserts, which SQLite and PostgreSQL both
    accept; :class:`storyline.store.postgres.PostgresStore` overrides the connection,
    the schema and search.
    """

    # how transaction() starts a transaction (a backend hook)
    _BEGIN = "BEGIN IMMEDIATE"

    def __init__(self, path: str | Path, create: bool = True, readonly: bool = False) -> None:
        self.path = str(path)
        if not create and self.path != ":memory:" and not Path(self.path).exists():
            raise StorylineError(E.DB_MISSING, path=self.path)
        try:
            if readonly and self.path != ":memory:":
                uri = Path(self.path).resolve().as_uri() + "?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
            else:
                self.conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._depth = 0
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys=ON")
            if not readonly:
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA busy_timeout=10000")
        except sqlite3.Error as exc:
            raise StorylineError(E.DB_OPEN, path=self.path, reason=str(exc)) from exc
        if not readonly:
            self.migrate()

    # -- schema -------------------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> None:
        version = self.schema_version
        if version > len(MIGRATIONS):
            raise StorylineError(E.DB_SCHEMA, path=self.path, found=version, supported=len(MIGRATIONS))
        for i in range(version, len(MIGRATIONS)):
            try:
                self.conn.executescript(
                    "BEGIN IMMEDIATE;" + MIGRATIONS[i] + f";PRAGMA user_version={i + 1};COMMIT;"
                )
            except sqlite3.Error:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work: committed at the end, rolled back on any error.

        Nested uses join the outer transaction.
        """
        if self._depth == 0:
            self.conn.execute(self._BEGIN)
        self._depth += 1
        try:
            yield self.conn
        except BaseException:
            self._depth -= 1
            if self._depth == 0:
                self.conn.execute("ROLLBACK")
            raise
        self._depth -= 1
        if self._depth == 0:
            try:
                self._before_commit()
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def _before_commit(self) -> None:
        """Runs last in every write transaction (a backend hook: PostgreSQL bumps its change counter)."""

    def data_version(self) -> tuple[int, ...]:
        """A cheap marker that changes whenever a write commits, on this connection or another.

        Caches of derived data (the web UI's) key on it.  SQLite: ``PRAGMA data_version``
        (commits of other connections) and ``total_changes`` (this connection's writes).
        """
        row = self.conn.execute("PRAGMA data_version").fetchone()
        return int(row[0]), int(self.conn.total_changes)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- articles -----------------------------------------------------------------------
    def input_state(self, article_id: str) -> tuple[str | None, str | None] | None:
        row = self.conn.execute(
            "SELECT input_hash, pipeline_version FROM articles WHERE id=?", (article_id,)
        ).fetchone()
        return (row[0], row[1]) if row else None

    def save_article(
        self,
        article: Article,
        input_hash: str | None = None,
        pipeline_version: str | None = None,
        content_hash: str | None = None,
    ) -> None:
        """Insert or replace one article with all its layers, atomically."""
        now = time.time()
        layers = dict(article.layers)
        with self.transaction() as c:
            c.execute(
                """INSERT INTO articles (id, source, url, title, outlet, authors, language, published,
                       published_date, text, raw_text, meta, content_hash, input_hash, pipeline_version, created, updated)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                   ON CONFLICT(id) DO UPDATE SET source=excluded.source, url=excluded.url,
                       title=excluded.title, outlet=excluded.outlet, authors=excluded.authors,
                       language=excluded.language, published=excluded.published,
                       published_date=excluded.published_date, text=excluded.text,
                       raw_text=excluded.raw_text, meta=excluded.meta, content_hash=excluded.content_hash,
                       input_hash=excluded.input_hash,
                       pipeline_version=excluded.pipeline_version, updated=excluded.updated""",
                (
                    article.id,
                    article.source,
                    article.url,
                    article.title,
                    article.outlet,
                    _dumps(article.authors),
                    article.language,
                    _dumps(article.published.to_dict()),
                    article.published.date,
                    article.text,
                    article.raw_text,
                    _dumps(article.meta),
                    content_hash,
                    input_hash,
                    pipeline_version,
                    now,
                    now,
                ),
            )
            c.execute("DELETE FROM layers WHERE article_id=?", (article.id,))
            c.executemany(
                "INSERT INTO layers (article_id, name, data) VALUES (?,?,?)",
                [(article.id, name, _dumps(items)) for name, items in layers.items()],
            )
            self._index_quotes(article.id, layers.get("quotes", []))

    def _index_quotes(self, article_id: str, quotes: list[dict[str, Any]]) -> None:
        c = self.conn
        c.execute("DELETE FROM quotes WHERE article_id=?", (article_id,))
        rows = []
        for i, q in enumerate(quotes):
            sp = q.get("speaker") or {}
            speaker = sp.get("name") or sp.get("text")
            said = q.get("said_on")
            said_value = said.get("value") if isinstance(said, dict) else None
            rows.append((f"{article_id}:{i}", article_id, q["start"], q["end"], q.get("text", ""), speaker, said_value, _dumps(q)))
        c.executemany(
            'INSERT INTO quotes (id, article_id, start, "end", text, speaker, said_on, data) VALUES (?,?,?,?,?,?,?,?)',
            rows,
        )

    def save_quotes(self, article_id: str, quotes: list[dict[str, Any]]) -> None:
        """Rewrite one article's ``quotes`` layer and its quote index (e.g. after entity linking)."""
        with self.transaction() as c:
            c.execute(
                "INSERT INTO layers (article_id, name, data) VALUES (?,?,?) "
                "ON CONFLICT(article_id, name) DO UPDATE SET data=excluded.data",
                (article_id, "quotes", _dumps(quotes)),
            )
            self._index_quotes(article_id, quotes)

    def ids_with_content(self, content_hash: str) -> list[str]:
        rows = self.conn.execute("SELECT id FROM articles WHERE content_hash=? ORDER BY id", (content_hash,))
        return [r[0] for r in rows]

    def delete_article(self, article_id: str) -> None:
        """Remove an article with its layers, blobs and quote index (one transaction)."""
        with self.transaction() as c:
            c.execute("DELETE FROM quotes WHERE article_id=?", (article_id,))
            c.execute("DELETE FROM articles WHERE id=?", (article_id,))

    def put_layer(self, article_id: str, name: str, items: list[dict[str, Any]]) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT INTO layers (article_id, name, data) VALUES (?,?,?) "
                "ON CONFLICT(article_id, name) DO UPDATE SET data=excluded.data",
                (article_id, name, _dumps(items)),
            )

    def update_published(self, article_id: str, published: dict[str, Any]) -> None:
        with self.transaction() as c:
            c.execute(
                "UPDATE articles SET published=?, published_date=? WHERE id=?",
                (_dumps(published), published.get("date"), article_id),
            )

    def _row_to_article(self, row: Any, layers: bool | Iterable[str]) -> Article:
        d = dict(row)
        d["authors"] = json.loads(d["authors"])
        d["published"] = json.loads(d["published"])
        d["meta"] = json.loads(d["meta"])
        a = Article.from_dict(d)
        if layers:
            a.layers = self.get_layers(a.id, None if layers is True else list(layers))  # type: ignore[arg-type]
        return a

    def get_article(self, article_id: str, layers: bool | Iterable[str] = True) -> Article | None:
        row = self.conn.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id=?", (article_id,)).fetchone()
        return self._row_to_article(row, layers) if row else None

    def get_layers(self, article_id: str, names: list[str] | None = None) -> dict[str, list[dict[str, Any]]]:
        if names is None:
            rows = self.conn.execute("SELECT name, data FROM layers WHERE article_id=?", (article_id,))
        elif not names:
            return {}
        else:
            marks = ",".join("?" * len(names))
            rows = self.conn.execute(
                f"SELECT name, data FROM layers WHERE article_id=? AND name IN ({marks})", (article_id, *names)
            )
        return {r[0]: json.loads(r[1]) for r in rows}

    def iter_articles(
        self, layers: bool | Iterable[str] = False, ids: Iterable[str] | None = None, order: str = "published_date NULLS FIRST, id"
    ) -> Iterator[Article]:
        if ids is not None:
            for i in ids:
                a = self.get_article(i, layers)
                if a is not None:
                    yield a
            return
        layer_names = layers if isinstance(layers, bool) else list(layers)
        for row in self.conn.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY {order}").fetchall():
            yield self._row_to_article(row, layer_names)

    def article_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM articles ORDER BY id")]

    def article_dates(self) -> dict[str, str | None]:
        """Each article's publication date (ISO, any precision), without loading the articles."""
        return {r[0]: r[1] for r in self.conn.execute("SELECT id, published_date FROM articles")}

    def count_articles(self, date_from: str | None = None, date_to: str | None = None) -> int:
        """How many articles; with dates, those whose (possibly partial) date overlaps [date_from, date_to]."""
        where, args = _date_where(date_from, date_to)
        return int(self.conn.execute(f"SELECT count(*) FROM articles{where}", args).fetchone()[0])

    def article_page(
        self, limit: int, offset: int = 0, date_from: str | None = None, date_to: str | None = None
    ) -> list[str]:
        """One page of article ids, by date (undated last), then id; filtered as ``count_articles``."""
        where, args = _date_where(date_from, date_to)
        rows = self.conn.execute(
            f"SELECT id FROM articles{where} ORDER BY published_date IS NULL, published_date, id LIMIT ? OFFSET ?",
            (*args, limit, offset),
        )
        return [r[0] for r in rows]

    def article_summaries(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """{id: {id, title, outlet, url, source, published, authors}} without text or layers."""
        wanted = list(dict.fromkeys(ids))
        out: dict[str, dict[str, Any]] = {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(
                f"SELECT id, title, outlet, url, source, published, authors FROM articles WHERE id IN ({marks})", chunk
            ):
                out[r[0]] = {
                    "id": r[0],
                    "title": r[1],
                    "outlet": r[2],
                    "url": r[3],
                    "source": r[4],
                    "published": json.loads(r[5] or "{}"),
                    "authors": json.loads(r[6] or "[]"),
                }
        return out

    def iter_layer(self, name: str) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """(article_id, items) for every article that has layer ``name``."""
        for row in self.conn.execute("SELECT article_id, data FROM layers WHERE name=? ORDER BY article_id", (name,)):
            yield row[0], json.loads(row[1])

    # -- blobs (vectors, signatures) ----------------------------------------------------
    def put_blob(self, article_id: str, name: str, data: bytes) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT INTO blobs (article_id, name, data) VALUES (?,?,?) "
                "ON CONFLICT(article_id, name) DO UPDATE SET data=excluded.data",
                (article_id, name, data),
            )

    def get_blob(self, article_id: str, name: str) -> bytes | None:
        row = self.conn.execute("SELECT data FROM blobs WHERE article_id=? AND name=?", (article_id, name)).fetchone()
        return bytes(row[0]) if row else None

    def iter_blobs(self, name: str) -> Iterator[tuple[str, bytes]]:
        for row in self.conn.execute("SELECT article_id, data FROM blobs WHERE name=? ORDER BY article_id", (name,)):
            yield row[0], bytes(row[1])

    # -- corpus results -----------------------------------------------------------------
    def replace_corpus(self, kind: str, items: dict[str, Any]) -> None:
        """Replace every record of ``kind`` with ``items`` ({key: JSON data}) atomically."""
        with self.transaction() as c:
            c.execute("DELETE FROM corpus WHERE kind=?", (kind,))
            c.executemany(
                "INSERT INTO corpus (kind, key, data) VALUES (?,?,?)",
                [(kind, k, _dumps(v)) for k, v in items.items()],
            )

    def put_corpus(self, kind: str, key: str, data: Any) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT INTO corpus (kind, key, data) VALUES (?,?,?) "
                "ON CONFLICT(kind, key) DO UPDATE SET data=excluded.data",
                (kind, key, _dumps(data)),
            )

    def get_corpus(self, kind: str) -> dict[str, Any]:
        rows = self.conn.execute("SELECT key, data FROM corpus WHERE kind=? ORDER BY key", (kind,))
        return {r[0]: json.loads(r[1]) for r in rows}

    def get_corpus_item(self, kind: str, key: str) -> Any:
        row = self.conn.execute("SELECT data FROM corpus WHERE kind=? AND key=?", (kind, key)).fetchone()
        return json.loads(row[0]) if row else None

    # -- quotes -------------------------------------------------------------------------
    def iter_quotes(self) -> Iterator[dict[str, Any]]:
        for row in self.conn.execute('SELECT id, article_id, data FROM quotes ORDER BY said_on NULLS FIRST, article_id, start'):
            yield quote_from_row(row)

    def iter_quotes_with_articles(self) -> Iterator[tuple[dict[str, Any], str | None, str | None]]:
        """(quote, its article's published_date, its article's title), by article and position."""
        rows = self.conn.execute(
            "SELECT q.id, q.article_id, q.data, a.published_date, a.title FROM quotes q "
            "JOIN articles a ON a.id = q.article_id ORDER BY q.article_id, q.start"
        )
        for r in rows:
            yield quote_from_row(r), r[3], r[4]

    def quotes_of(self, article_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
        """{article_id: its quotes in text order} for the articles that have any."""
        ids = list(dict.fromkeys(article_ids))
        out: dict[str, list[dict[str, Any]]] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(
                f"SELECT id, article_id, data FROM quotes WHERE article_id IN ({marks}) ORDER BY article_id, start", chunk
            ):
                out.setdefault(r[1], []).append(quote_from_row(r))
        return out

    def count_quotes(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM quotes").fetchone()[0])

    # -- search -------------------------------------------------------------------------
    # Every word of the query is required; case and diacritics are folded; no stemming.
    # A backend implements find_articles, find_quotes and matching_ids; search and
    # search_quotes (the CLI's shapes) are built on them here.
    def find_articles(
        self, query: str, limit: int = 20, offset: int = 0, snippet_words: int = 16
    ) -> tuple[int, list[dict[str, Any]]]:
        """(total, hits) of an article search, best first.

        A hit: ``id, title, outlet, url, published`` (dict), ``published_date``, ``snippet``
        (about ``snippet_words`` words of the text around the matches, ``…`` where cut) and
        ``highlights``: ``[start, end]`` offsets of the matched words in the snippet.
        """
        q = fts_query(query)
        if not q:
            return 0, []
        total = int(self.conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (q,)).fetchone()[0])
        rows = self.conn.execute(
            """SELECT a.id, a.title, a.outlet, a.url, a.published, a.published_date,
                      snippet(articles_fts, 1, char(2), char(3), '…', ?) AS snippet
               FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid
               WHERE articles_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?""",
            (max(1, min(snippet_words, 64)), q, limit, offset),
        ).fetchall()
        return total, [article_hit(r, r["snippet"] or "") for r in rows]

    def find_quotes(self, query: str, limit: int = 20, offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
        """(total, quotes) of a search over quote text and speaker names, best first."""
        q = fts_query(query)
        if not q:
            return 0, []
        total = int(self.conn.execute("SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH ?", (q,)).fetchone()[0])
        rows = self.conn.execute(
            """SELECT qu.id, qu.article_id, qu.data FROM quotes_fts JOIN quotes qu ON qu.rowid = quotes_fts.rowid
               WHERE quotes_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?""",
            (q, limit, offset),
        ).fetchall()
        return total, [quote_from_row(r) for r in rows]

    def matching_ids(self, query: str, kind: str = "articles") -> set[str]:
        """The ids of every article (``kind="articles"``) or quote (``"quotes"``) that matches, unranked."""
        q = fts_query(query)
        if not q:
            return set()
        table = {"articles": "articles", "quotes": "quotes"}[kind]
        rows = self.conn.execute(
            f"SELECT t.id FROM {table}_fts JOIN {table} t ON t.rowid = {table}_fts.rowid WHERE {table}_fts MATCH ?",
            (q,),
        )
        return {r[0] for r in rows}

    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        """Article hits as ``{id, title, published_date, snippet}``, matches marked ``[`` ``]``."""
        out = []
        for hit in self.find_articles(query, limit, offset)[1]:
            text, pos = hit["snippet"], 0
            marked = []
            for start, end in hit["highlights"]:
                marked += [text[pos:start], "[", text[start:end], "]"]
                pos = end
            marked.append(text[pos:])
            out.append({"id": hit["id"], "title": hit["title"], "published_date": hit["published_date"], "snippet": "".join(marked)})
        return out

    def search_quotes(self, query: str, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        """The quotes that match, best first (as ``iter_quotes`` gives them)."""
        return self.find_quotes(query, limit, offset)[1]

    # -- runs ---------------------------------------------------------------------------
    def start_run(self, inputs: list[str], settings: dict[str, Any]) -> int:
        with self.transaction() as c:
            cur = c.execute(
                "INSERT INTO runs (started, inputs, settings) VALUES (?,?,?)",
                (time.time(), _dumps(inputs), _dumps(settings)),
            )
            return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, counts: dict[str, Any], errors: list[dict[str, Any]]) -> None:
        with self.transaction() as c:
            c.execute(
                "UPDATE runs SET finished=?, counts=?, errors=? WHERE id=?",
                (time.time(), _dumps(counts), _dumps(errors), run_id),
            )

    def runs(self) -> list[dict[str, Any]]:
        out = []
        for r in self.conn.execute("SELECT * FROM runs ORDER BY id"):
            d = dict(r)
            for k in ("inputs", "counts", "errors", "settings"):
                d[k] = json.loads(d[k]) if d[k] else None
            out.append(d)
        return out


def is_postgres_url(path: str | Path) -> bool:
    """Whether ``path`` names a PostgreSQL server (``postgresql://`` or ``postgres://``)."""
    return isinstance(path, str) and path.startswith(("postgresql://", "postgres://"))


def open_store(path: str | Path = "storyline.db", create: bool = True, readonly: bool = False) -> Store:
    """Open (and create or migrate) a story database.

    ``path`` is a SQLite file, or a ``postgresql://`` / ``postgres://`` URL for a
    PostgreSQL server (needs ``pip install 'storyline[postgres]'``).
    """
    if is_postgres_url(path):
        from storyline.store.postgres import PostgresStore

        return PostgresStore(str(path), create=create, readonly=readonly)
    return Store(path, create=create, readonly=readonly)
