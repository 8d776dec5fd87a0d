"""Readers: each input type, given metadata, and clear errors that name the input."""

from __future__ import annotations

import gzip
import http.server
import json
import threading
from pathlib import Path

import pytest

from storyline.model import RawDoc, ReadError
from storyline.readers import read_inputs
from storyline.settings import Settings


def read_all(*paths: object, **kw: object) -> tuple[list[RawDoc], list[ReadError]]:
    docs, errors = [], []
    for r in read_inputs([str(p) for p in paths], Settings(**kw)):  # type: ignore[arg-type]
        (errors if isinstance(r, ReadError) else docs).append(r)
    return docs, errors


def test_text_and_markdown(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("First line.\r\nSecond line.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# Title\n\nBody.", encoding="utf-8")
    docs, errors = read_all(tmp_path)
    assert not errors
    assert [Path(d.source).name for d in docs] == ["a.txt", "b.md"]
    assert docs[0].text == "First line.\nSecond line.\n"


def test_jsonl_given_metadata_and_bad_line(tmp_path: Path) -> None:
    p = tmp_path / "x.jsonl"
    p.write_text(
        json.dumps({"id": "a1", "text": "Hello.", "published": "2023-05-02", "authors": "Ann Lee; Bo Chan",
                    "outlet": "Daily", "url": "https://x.test/a"}) + "\n"
        + "{not json\n"
        + json.dumps({"id": "a2"}) + "\n"
        + json.dumps({"id": "a3", "html": "<p>Hi</p>", "published": "May 2023"}) + "\n",
        encoding="utf-8",
    )
    docs, errors = read_all(p)
    assert [d.id for d in docs] == ["a1"]
    d = docs[0]
    assert d.published == "2023-05-02" and d.authors == ["Ann Lee", "Bo Chan"] and d.outlet == "Daily"
    assert len(errors) == 3
    assert "x.jsonl:2" in errors[0].source and "not valid JSON" in errors[0].reason
    assert "neither a 'text' nor an 'html'" in errors[1].reason
    assert "'May 2023' is not a date" in errors[2].reason


def test_jsonl_gz_and_csv(tmp_path: Path) -> None:
    with gzip.open(tmp_path / "a.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"text": "Gzipped record."}) + "\n")
    (tmp_path / "b.csv").write_text('id,text,published,title\nc1,"Body, with comma.",2021-01-02,T\n', encoding="utf-8")
    docs, errors = read_all(tmp_path)
    assert not errors
    assert docs[0].text == "Gzipped record."
    assert docs[1].id == "c1" and docs[1].published == "2021-01-02" and docs[1].title == "T"


def test_csv_without_text_column(tmp_path: Path) -> None:
    (tmp_path / "b.csv").write_text("id,body\n1,x\n", encoding="utf-8")
    _, errors = read_all(tmp_path / "b.csv")
    assert errors and "no 'text' or 'html' column" in errors[0].reason


def test_html_gz(tmp_path: Path) -> None:
    html = "<html><head><meta charset='iso-8859-1'><title>T</title></head><body><p>Caf\xe9</p></body></html>"
    with gzip.open(tmp_path / "p.html.gz", "wb") as fh:
        fh.write(html.encode("latin-1"))
    docs, errors = read_all(tmp_path)
    assert not errors and docs[0].html is not None and "Café" in docs[0].html



def test_html_declaring_a_legacy_charset_but_saved_as_utf8(tmp_path: Path) -> None:
    """A saved page re-encoded to UTF-8 with its old <meta charset> left in reads as UTF-8."""
    html = "<html><head><meta charset='ISO-8859-2'><title>Zażółć</title></head><body><p>Håb for Paweł</p></body></html>"
    (tmp_path / "p.html").write_bytes(html.encode("utf-8"))
    docs, errors = read_all(tmp_path)
    assert not errors and docs[0].html is not None
    assert "Håb for Paweł" in docs[0].html and "Zażółć" in docs[0].html
    assert any("p.html" in w and "iso-8859-2" in w and "UTF-8" in w for w in docs[0].meta["warnings"])


def test_warc_header_charset_decodes_a_page_without_meta(tmp_path: Path) -> None:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        body = "<html><body><p>Переговоры возобновились.</p></body></html>".encode("cp1251")
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=windows-1251")], protocol="HTTP/1.1")
        rec = writer.create_warc_record("https://ledger.test/ru", "response", payload=BytesIO(body), http_headers=headers)
        writer.write_record(rec)
    docs, errors = read_all(path)
    assert not errors and "Переговоры возобновились" in (docs[0].html or "")

FEED = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Harbour Ledger</title><language>en</language>
<item><title>Strike ends</title><link>https://ledger.test/strike-ends</link>
<pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate><author>desk@ledger.test (News Desk)</author>
<description>&lt;p&gt;The strike ended on Monday.&lt;/p&gt;</description></item>
</channel></rss>"""


def test_feed(tmp_path: Path) -> None:
    (tmp_path / "f.rss").write_text(FEED, encoding="utf-8")
    docs, errors = read_all(tmp_path)
    assert not errors
    d = docs[0]
    assert d.title == "Strike ends" and d.outlet == "Harbour Ledger" and d.published == "2024-03-05"
    assert d.url == "https://ledger.test/strike-ends" and d.html and "strike ended" in d.html


def test_warc(tmp_path: Path) -> None:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        body = b"<html><body><article><p>Port talks resume.</p></article></body></html>"
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        rec = writer.create_warc_record("https://ledger.test/talks", "response", payload=BytesIO(body),
                                        http_headers=headers)
        writer.write_record(rec)
    docs, errors = read_all(path)
    assert not errors
    assert docs[0].url == "https://ledger.test/talks" and "Port talks" in (docs[0].html or "")
    assert docs[0].meta["warc_date"]


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/article":
            body = b"<html><head><title>Talks</title></head><body><p>Talks resumed.</p></body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/big":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(50_000_000))
            self.end_headers()
        elif self.path == "/slow":
            import time

            time.sleep(2)
            self.send_response(200)
            self.end_headers()
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_url_reader(local_server: str) -> None:
    docs, errors = read_all(local_server + "/article", local_server + "/missing", local_server + "/big",
                            local_server + "/slow", fetch_timeout=0.5)
    assert len(docs) == 1 and docs[0].url and docs[0].url.endswith("/article") and "Talks resumed" in (docs[0].html or "")
    reasons = {e.source.rsplit("/", 1)[1]: e.reason for e in errors}
    assert "HTTP 404" in reasons["missing"]
    assert "over the limit" in reasons["big"]
    assert "timed out" in reasons["slow"].lower()


def test_unknown_type_and_missing_file(tmp_path: Path) -> None:
    (tmp_path / "data.bin").write_bytes(b"\x00\x01")
    _, errors = read_all(tmp_path / "data.bin", tmp_path / "nope.txt")
    assert "unsupported input type" in errors[0].reason and "data.bin" in errors[0].reason
    assert "no such file" in errors[1].reason
