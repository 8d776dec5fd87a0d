"""The PostgreSQL store: the server option, with the API and tables of the SQLite store.

``open_store("postgresql://user:password@host:5432/db")`` returns a
:class:`PostgresStore`.  It is a :class:`~storyline.store.Store`: every method that is
plain SQL is shared (the connection translates ``?`` placeholders to psycopg's ``%s``;
``INSERT ... ON CONFLICT ... DO UPDATE`` is valid in both dialects).  What differs:

* **Schema.**  The same tables and columns.  JSON columns stay ``TEXT`` holding the same
  compact JSON as SQLite (not ``JSONB``: that would reorder keys and refuse ``\\u0000``,
  so a story would not round-trip byte for byte); cast with ``data::jsonb`` to query them.
  ``BLOB`` is ``BYTEA``, ``REAL`` is ``DOUBLE PRECISION``, ``runs.id`` an identity column.
  Every text column is ``COLLATE "C"``, so ``ORDER BY`` compares bytes as SQLite does.
  Indexes beyond SQLite's: the two GIN search indexes, and (name, article_id) on
  ``layers`` and ``blobs`` for the paged bulk reads.
* **Versioning.**  ``storyline_meta`` (key, value) holds ``schema_version``; the ordered
  ``MIGRATIONS`` here match the SQLite ones one for one (a test checks the counts) and
  run in one transaction under an advisory lock, so concurrent openers migrate once.
* **Search.**  A stored, generated ``search_vector`` (tsvector, GIN-indexed) on
  ``articles`` (title weighted above text) and on ``quotes`` (text and speaker) replaces
  FTS5.  Like FTS5's ``unicode61 remove_diacritics 2`` tokenizer it folds case and
  diacritics and does no stemming (the ``simple`` configuration after an NFD fold);
  every word of the query is required.  ``find_articles`` cuts its snippets in Python
  (:func:`snippet`, after FTS5's ``snippet()``: a window of words around the most query
  words, preferring a sentence start, ``…`` where the text is cut, matched words marked
  whatever their case or diacritics); ranking is ``ts_rank`` (title above text), not bm25,
  so the order of equally good hits may differ from SQLite's.
* **Change marker.**  ``data_version`` reads a counter in ``storyline_meta`` that every
  write transaction of a store bumps just before it commits (SQLite has ``PRAGMA
  data_version`` for this); writes made with SQL outside storyline do not move it.
* **Where.**  ``?schema=NAME`` in the URL keeps the story in that PostgreSQL schema
  (created if missing), so one database can hold several stories; other URL parameters
  go to libpq as usual.

PostgreSQL text cannot hold NUL characters: a ``\\x00`` in a text value is stored as
U+FFFD (one character for one, so offsets are unchanged).
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from storyline.errors import E, StorylineError
from storyline.store import MIGRATIONS as SQLITE_MIGRATIONS
from storyline.store import Store, _dumps, article_hit, quote_from_row

# One list of statements per schema version; keep in step with storyline.store.MIGRATIONS.
MIGRATIONS: list[list[str]] = [
    # 1: initial schema
    [
        # The search vector of a text: NFD, combining marks dropped, ASCII punctuation as
        # spaces (FTS5's unicode61 splits on it too), then the `simple` configuration
        # (lower case, no stemming, no stop words).  A text whose vector would pass
        # PostgreSQL's 1 MB tsvector limit is indexed by its first 100,000 characters.
        r"""
        CREATE OR REPLACE FUNCTION storyline_tsvector(t text) RETURNS tsvector
        LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
        BEGIN
            RETURN to_tsvector('simple'::regconfig, regexp_replace(regexp_replace(
                normalize(coalesce(t, ''), NFD), '[\u0300-\u036f]', '', 'g'), '[[:punct:]]', ' ', 'g'));
        EXCEPTION WHEN program_limit_exceeded THEN
            RETURN to_tsvector('simple'::regconfig, regexp_replace(regexp_replace(
                normalize(left(t, 100000), NFD), '[\u0300-\u036f]', '', 'g'), '[[:punct:]]', ' ', 'g'));
        END
        $$
        """,
        """
        CREATE TABLE IF NOT EXISTS articles (
            id TEXT COLLATE "C" PRIMARY KEY,
            source TEXT COLLATE "C" NOT NULL,
            url TEXT COLLATE "C",
            title TEXT COLLATE "C",
            outlet TEXT COLLATE "C",
            authors TEXT COLLATE "C" NOT NULL DEFAULT '[]',
            language TEXT COLLATE "C",
            published TEXT COLLATE "C" NOT NULL DEFAULT '{}',
            published_date TEXT COLLATE "C",
            text TEXT COLLATE "C" NOT NULL,
            raw_text TEXT COLLATE "C",
            meta TEXT COLLATE "C" NOT NULL DEFAULT '{}',
            content_hash TEXT COLLATE "C",
            input_hash TEXT COLLATE "C",
            pipeline_version TEXT COLLATE "C",
            created DOUBLE PRECISION,
            updated DOUBLE PRECISION,
            search_vector tsvector GENERATED ALWAYS AS (
                setweight(storyline_tsvector(title), 'A') || setweight(storyline_tsvector(text), 'B')
            ) STORED
        )
        """,
        "CREATE INDEX IF NOT EXISTS articles_published ON articles(published_date)",
        "CREATE INDEX IF NOT EXISTS articles_content ON articles(content_hash)",
        "CREATE INDEX IF NOT EXISTS articles_search ON articles USING GIN (search_vector)",
        """
        CREATE TABLE IF NOT EXISTS layers (
            article_id TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            name TEXT COLLATE "C" NOT NULL,
            data TEXT COLLATE "C" NOT NULL,
            PRIMARY KEY (article_id, name)
        )
        """,
        "CREATE INDEX IF NOT EXISTS layers_name ON layers(name, article_id)",
        """
        CREATE TABLE IF NOT EXISTS blobs (
            article_id TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            name TEXT COLLATE "C" NOT NULL,
            data BYTEA NOT NULL,
            PRIMARY KEY (article_id, name)
        )
        """,
        "CREATE INDEX IF NOT EXISTS blobs_name ON blobs(name, article_id)",
        """
        CREATE TABLE IF NOT EXISTS quotes (
            id TEXT COLLATE "C" PRIMARY KEY,
            article_id TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT COLLATE "C" NOT NULL,
            speaker TEXT COLLATE "C",
            said_on TEXT COLLATE "C",
            data TEXT COLLATE "C" NOT NULL,
            search_vector tsvector GENERATED ALWAYS AS (
                storyline_tsvector(text || ' ' || coalesce(speaker, ''))
            ) STORED
        )
        """,
        "CREATE INDEX IF NOT EXISTS quotes_article ON quotes(article_id)",
        "CREATE INDEX IF NOT EXISTS quotes_search ON quotes USING GIN (search_vector)",
        """
        CREATE TABLE IF NOT EXISTS corpus (
            kind TEXT COLLATE "C" NOT NULL,
            key TEXT COLLATE "C" NOT NULL,
            data TEXT COLLATE "C" NOT NULL,
            PRIMARY KEY (kind, key)
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS runs (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            started DOUBLE PRECISION,
            finished DOUBLE PRECISION,
            inputs TEXT COLLATE "C",
            counts TEXT COLLATE "C",
            errors TEXT COLLATE "C",
            settings TEXT COLLATE "C"
        )
        """,
    ],
]

assert len(MIGRATIONS) == len(SQLITE_MIGRATIONS), "every SQLite migration needs its PostgreSQL twin"

_META = """CREATE TABLE IF NOT EXISTS storyline_meta (
    key TEXT COLLATE "C" PRIMARY KEY,
    value TEXT COLLATE "C" NOT NULL
)"""

def redact_url(url: str) -> str:
    """``url`` with its password (in the user part or a ``password=`` parameter) hidden."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password is not None:
        user, _, host = netloc.rpartition("@")
        netloc = user.split(":", 1)[0] + ":***@" + host
    query = re.sub(r"(?i)(^|&)(password=)[^&]*", r"\1\2***", parts.query)
    return urlunsplit(parts._replace(netloc=netloc, query=query))


def _split_schema(url: str) -> tuple[str, str | None]:
    """Take the storyline-only ``schema`` parameter out of ``url`` (libpq would refuse it)."""
    parts = urlsplit(url)
    params = parse_qsl(parts.query, keep_blank_values=True)
    schema = next((v for k, v in params if k == "schema"), None)
    if schema is None:
        return url, None
    rest = urlencode([(k, v) for k, v in params if k != "schema"])
    return urlunsplit(parts._replace(query=rest)), schema or None


def search_words(text: str) -> str:
    """The words of a user query, as the index sees them: alphanumeric runs, diacritics folded."""
    words = "".join(c if c.isalnum() else " " for c in text).split()
    decomposed = unicodedata.normalize("NFD", " ".join(words))
    return "".join(c for c in decomposed if not "\u0300" <= c <= "\u036f").lower()


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not "\u0300" <= c <= "\u036f").lower()


_TOKEN = re.compile(r"[^\W_]+")  # runs of letters and digits, as search_words splits
_SENTENCE_GAP = re.compile(r".*[.:][ \t\n\r]+", re.DOTALL)  # what FTS5 takes for a sentence break


def snippet(text: str, words: set[str], size: int = 16) -> tuple[str, list[list[int]]]:
    """About ``size`` words of ``text`` around the most of ``words`` (folded), and their offsets in it.

    FTS5's ``snippet()`` (sqlite/ext/fts5/fts5_aux.c) in Python, so that both stores cut
    the same snippets: for each matched word, the window of ``size`` words starting there
    (placed centred on its matches) and the window from the sentence start before it
    (preferred: +100, +120 at the text's start) are scored, 1000 per distinct query word
    and 1 per repeat; ``…`` where the text is cut.
    """
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    n, size = len(tokens), max(1, size)
    folded = [_fold(text[a:b]) for a, b in tokens]
    hits = [j for j in range(n) if folded[j] in words]
    starts = [0] + [j for j in range(1, n) if _SENTENCE_GAP.fullmatch(text[tokens[j - 1][1] : tokens[j][0]])]

    def score(first: int) -> tuple[int, list[int]]:
        inside = [j for j in hits if first <= j < first + size]
        distinct = len({folded[j] for j in inside})
        return 1000 * distinct + len(inside) - distinct, inside

    best, best_score = 0, 0
    for io in hits:
        value, inside = score(io)
        centred = inside[0] - (size - (inside[-1] + 1 - inside[0])) // 2
        centred = max(0, min(centred, n - size))
        if value > best_score:
            best, best_score = centred, value
        if n > size:
            sentence = max(j for j in starts if j <= io)
            if sentence < io:
                value = score(sentence)[0] + (120 if sentence == 0 else 100)
                if value > best_score:
                    best, best_score = sentence, value
    if not tokens:
        return text, []
    end = min(n, best + size)
    a = 0 if best == 0 else tokens[best][0]
    b = len(text) if end == n else tokens[end - 1][1]
    prefix = "" if best == 0 else "…"
    shift = len(prefix) - a
    marks = [[tokens[j][0] + shift, tokens[j][1] + shift] for j in hits if best <= j < end]
    return prefix + text[a:b] + ("" if end == n else "…"), marks


def _pg_sql(sql: str) -> str:
    """A ``?``-placeholder statement in psycopg's ``%s`` style (literal ``%`` doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


def _clean(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        return value.replace("\x00", "\ufffd")
    return value


class Row:
    """A result row like :class:`sqlite3.Row`: by position, by column name, and ``dict(row)``."""

    __slots__ = ("_index", "_values")

    def __init__(self, index: Mapping[str, int], values: Sequence[Any]) -> None:
        self._index = index
        self._values = values

    def __getitem__(self, key: int | str | slice) -> Any:
        if isinstance(key, str):
            return self._values[self._index[key]]
        return self._values[key]

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def keys(self) -> list[str]:
        return list(self._index)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._index, self._values, strict=False))!r})"


def _row_factory(cursor: Any) -> Any:
    index = {c.name: i for i, c in enumerate(cursor.description or ())}

    def make(values: Sequence[Any]) -> Row:
        return Row(index, values)

    return make


class PgConnection:
    """The psycopg connection, spoken to as the SQLite store speaks to sqlite3.

    ``execute(sql, params)`` and ``executemany`` take ``?`` placeholders; rows are
    :class:`Row`.  ``pg`` is the psycopg connection itself (``%s`` placeholders).
    """

    def __init__(self, pg: Any) -> None:
        self.pg: Any = pg

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Any:
        if not params:
            return self.pg.execute(sql)
        if isinstance(params, Mapping):
            return self.pg.execute(sql, params)
        return self.pg.execute(_pg_sql(sql), [_clean(v) for v in params])

    def executemany(self, sql: str, seq: Iterator[Sequence[Any]] | Sequence[Sequence[Any]]) -> None:
        rows = [[_clean(v) for v in params] for params in seq]
        if rows:
            with self.pg.cursor() as cur:
                cur.executemany(_pg_sql(sql), rows)

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return bool(self.pg.info.transaction_status != TransactionStatus.IDLE)

    def close(self) -> None:
        self.pg.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pg, name)


class PostgresStore(Store):
    """A story database on a PostgreSQL server.  Use :func:`storyline.store.open_store`."""

    _BEGIN = "BEGIN"

    def __init__(self, url: str, create: bool = True, readonly: bool = False, schema: str | None = None) -> None:
        try:
            import psycopg
            from psycopg import sql
        except ImportError as exc:
            raise StorylineError(
                E.MISSING_PACKAGE, package="psycopg", purpose="a PostgreSQL store", install="storyline[postgres]"
            ) from exc
        self.path = redact_url(url)
        conninfo, url_schema = _split_schema(url)
        self.schema = schema or url_schema
        self._depth = 0
        try:
            pg: Any = psycopg.connect(conninfo, autocommit=True, row_factory=_row_factory)
        except psycopg.Error as exc:
            raise StorylineError(E.DB_OPEN, path=self.path, reason=str(exc).strip()) from exc
        self.conn: PgConnection = PgConnection(pg)  # type: ignore[assignment]
        self.pg: Any = pg
        try:
            if self.schema:
                missing = pg.execute("SELECT to_regnamespace(%s) IS NULL", (sql.Identifier(self.schema).as_string(pg),))
                if create and not readonly and missing.fetchone()[0]:
                    with pg.transaction():  # concurrent openers: one creates, the others wait
                        pg.execute("SELECT pg_advisory_xact_lock(hashtext('storyline.schema:' || %s))", (self.schema,))
                        pg.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(self.schema)))
                pg.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(self.schema)))
            if readonly:
                pg.execute("SET default_transaction_read_only = on")
            exists = pg.execute("SELECT to_regclass('articles')").fetchone()[0] is not None
        except psycopg.Error as exc:
            pg.close()
            raise StorylineError(E.DB_OPEN, path=self.path, reason=str(exc).strip()) from exc
        if not exists and (readonly or not create):
            pg.close()
            raise StorylineError(E.DB_MISSING, path=self.path)
        if not readonly:
            try:
                self.migrate()
            except psycopg.Error as exc:  # e.g. no right to create tables
                pg.close()
                raise StorylineError(E.DB_OPEN, path=self.path, reason=str(exc).strip()) from exc
            except BaseException:
                pg.close()
                raise

    # -- schema -------------------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        if self.pg.execute("SELECT to_regclass('storyline_meta')").fetchone()[0] is None:
            return 0
        row = self.pg.execute("SELECT value FROM storyline_meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def migrate(self) -> None:
        version = self.schema_version
        if version > len(MIGRATIONS):
            raise StorylineError(E.DB_SCHEMA, path=self.path, found=version, supported=len(MIGRATIONS))
        if version == len(MIGRATIONS):
            return
        with self.transaction():
            # one migrator per schema at a time; the others wait, then find nothing to do
            self.pg.execute("SELECT pg_advisory_xact_lock(hashtext('storyline.migrate:' || coalesce(current_schema(), '')))")
            self.pg.execute(_META)
            version = self.schema_version
            if version > len(MIGRATIONS):
                raise StorylineError(E.DB_SCHEMA, path=self.path, found=version, supported=len(MIGRATIONS))
            for i in range(version, len(MIGRATIONS)):
                for statement in MIGRATIONS[i]:
                    self.pg.execute(statement)
                self.pg.execute(
                    "INSERT INTO storyline_meta (key, value) VALUES ('schema_version', %s) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (str(i + 1),),
                )

    def close(self) -> None:
        self.pg.close()

    def __enter__(self) -> PostgresStore:
        return self

    # -- bulk reads, in pages --------------------------------------------------------------
    # psycopg reads a whole result at once; these walk the key in pages instead, so memory
    # stays bounded (as with SQLite's lazy cursors) and writes between pages are allowed.
    _PAGE = 500

    def _pages(self, table: str, name: str) -> Iterator[Row]:
        first = f"SELECT article_id, data FROM {table} WHERE name = %s ORDER BY article_id LIMIT %s"
        after = f"SELECT article_id, data FROM {table} WHERE name = %s AND article_id > %s ORDER BY article_id LIMIT %s"
        last: str | None = None
        while True:
            if last is None:
                rows = self.pg.execute(first, (name, self._PAGE)).fetchall()
            else:
                rows = self.pg.execute(after, (name, last, self._PAGE)).fetchall()
            yield from rows
            if len(rows) < self._PAGE:
                return
            last = rows[-1][0]

    def iter_layer(self, name: str) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """(article_id, items) for every article that has layer ``name``."""
        for row in self._pages("layers", name):
            yield row[0], json.loads(row[1])

    def iter_blobs(self, name: str) -> Iterator[tuple[str, bytes]]:
        for row in self._pages("blobs", name):
            yield row[0], bytes(row[1])

    # -- change marker ------------------------------------------------------------------
    def _before_commit(self) -> None:
        self.pg.execute(
            "INSERT INTO storyline_meta (key, value) VALUES ('data_version', '1') "
            "ON CONFLICT (key) DO UPDATE SET value = (storyline_meta.value::bigint + 1)::text"
        )

    def data_version(self) -> tuple[int, ...]:
        """The commit counter of this store's schema (see the module's notes): one round trip."""
        row = self.pg.execute("SELECT value FROM storyline_meta WHERE key = 'data_version'").fetchone()
        return (int(row[0]) if row else 0,)

    # -- search -------------------------------------------------------------------------
    def find_articles(
        self, query: str, limit: int = 20, offset: int = 0, snippet_words: int = 16
    ) -> tuple[int, list[dict[str, Any]]]:
        words = search_words(query)
        if not words:
            return 0, []
        total = int(
            self.pg.execute(
                "SELECT count(*) FROM articles WHERE search_vector @@ plainto_tsquery('simple', %s)", (words,)
            ).fetchone()[0]
        )
        rows = self.pg.execute(
            """SELECT a.id, a.title, a.outlet, a.url, a.published, a.published_date, a.text
               FROM articles a, plainto_tsquery('simple', %(q)s) AS q
               WHERE a.search_vector @@ q
               ORDER BY ts_rank(a.search_vector, q) DESC, a.id LIMIT %(limit)s OFFSET %(offset)s""",
            {"q": words, "limit": limit, "offset": offset},
        ).fetchall()
        wanted = set(words.split())
        hits = []
        for r in rows:
            hit = article_hit(r, "")
            hit["snippet"], hit["highlights"] = snippet(r["text"] or "", wanted, min(snippet_words, 64))
            hits.append(hit)
        return total, hits

    def find_quotes(self, query: str, limit: int = 20, offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
        words = search_words(query)
        if not words:
            return 0, []
        total = int(
            self.pg.execute(
                "SELECT count(*) FROM quotes WHERE search_vector @@ plainto_tsquery('simple', %s)", (words,)
            ).fetchone()[0]
        )
        rows = self.pg.execute(
            """SELECT qu.id, qu.article_id, qu.data
               FROM quotes qu, plainto_tsquery('simple', %(q)s) AS q
               WHERE qu.search_vector @@ q
               ORDER BY ts_rank(qu.search_vector, q) DESC, qu.id LIMIT %(limit)s OFFSET %(offset)s""",
            {"q": words, "limit": limit, "offset": offset},
        ).fetchall()
        return total, [quote_from_row(r) for r in rows]

    def matching_ids(self, query: str, kind: str = "articles") -> set[str]:
        words = search_words(query)
        if not words:
            return set()
        table = {"articles": "articles", "quotes": "quotes"}[kind]
        rows = self.pg.execute(
            f"SELECT id FROM {table} WHERE search_vector @@ plainto_tsquery('simple', %s)", (words,)
        ).fetchall()
        return {r[0] for r in rows}

    # -- runs ---------------------------------------------------------------------------
    def start_run(self, inputs: list[str], settings: dict[str, Any]) -> int:
        with self.transaction() as c:
            row = c.execute(
                "INSERT INTO runs (started, inputs, settings) VALUES (?,?,?) RETURNING id",
                (time.time(), _dumps(inputs), _dumps(settings)),
            ).fetchone()
            return int(row[0])
