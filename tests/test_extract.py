"""HTML extraction: main text, metadata, and the stage contract (synthetic pages)."""

from __future__ import annotations

import pytest

from storyline.errors import StorylineError
from storyline.eval.extraction import prf, render_page_text, shingle_match
from storyline.model import RawDoc
from storyline.pipeline import new_article
from storyline.settings import Settings
from storyline.stages import ArticleDoc
from storyline.stages.extract import extract_html, extract_stage, trim_tail

PARAS = [
    "The regional water authority announced on Monday that reservoir levels had fallen to their lowest point "
    "in twenty years, after the driest summer on record in the valley.",
    "Officials asked residents to limit garden watering to two evenings a week and warned that stricter "
    "rules could follow if the autumn rains fail to arrive.",
    "\u201cWe are not at crisis point yet, but we are close,\u201d said Marta Ionescu, the authority's director "
    "of operations, at a press conference in the town hall.",
    "Farmers in the lower valley said the restrictions would hit late crops hardest, and asked the authority "
    "for an exemption for drip irrigation systems that use little water.",
    "The authority will review the reservoir levels again at the end of the month and publish its decision "
    "on the farmers' request on its website.",
]

HTML = f"""<!DOCTYPE html>
<html lang="en"><head>
<title>Reservoirs at 20-year low, water authority says | Valley Courier</title>
<meta property="og:title" content="Reservoirs at 20-year low, water authority says">
<meta property="og:site_name" content="Valley Courier">
<meta name="author" content="Petra Lindqvist">
<link rel="canonical" href="https://valleycourier.example/news/reservoirs-low">
<meta property="article:published_time" content="2024-08-19T09:30:00Z">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article>
<h1>Reservoirs at 20-year low, water authority says</h1>
<p class="byline">By Petra Lindqvist</p>
{"".join(f"<p>{p}</p>" for p in PARAS)}
</article>
<aside><h2>Most read</h2><ul>
<li><a href="/a">Festival returns to the old town square</a></li>
<li><a href="/b">New cycle lane divides opinion</a></li></ul></aside>
<footer><p>&copy; 2024 Valley Courier. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body></html>"""


def test_extract_html_text_and_metadata() -> None:
    res = extract_html(HTML, url="https://valleycourier.example/news/reservoirs-low?utm=x")
    for p in PARAS:
        assert p in res.text
    assert "Most read" not in res.text and "All rights reserved" not in res.text
    assert res.title == "Reservoirs at 20-year low, water authority says"
    assert res.authors == ["Petra Lindqvist"]
    assert res.sitename == "Valley Courier"
    assert res.url == "https://valleycourier.example/news/reservoirs-low"
    assert res.language == "en"
    assert res.date and res.date.startswith("2024-08-19")


def test_extract_stage_fills_only_missing_metadata() -> None:
    raw = RawDoc(source="page.html", html=HTML, title="Given title", outlet="Given outlet")
    doc = ArticleDoc(raw=raw, article=new_article(raw))
    extract_stage(doc, Settings())
    art = doc.article
    assert art.title == "Given title" and art.outlet == "Given outlet"
    assert art.authors == ["Petra Lindqvist"]
    assert art.url == "https://valleycourier.example/news/reservoirs-low"
    assert art.text == art.raw_text and PARAS[0] in art.text
    assert art.meta["canonical_url"] == art.url
    assert art.meta["sitename"] == "Valley Courier"
    assert art.meta["html_date"].startswith("2024-08-19")
    assert art.published.date is None  # the time stage decides publication dates


def test_extract_stage_raises_on_pages_without_article() -> None:
    raw = RawDoc(source="empty.html", html="<html><body><nav><a href='/'>Home</a></nav></body></html>")
    doc = ArticleDoc(raw=raw, article=new_article(raw))
    with pytest.raises(StorylineError) as exc:
        extract_stage(doc, Settings())
    assert exc.value.code == "E107" and "empty.html" in str(exc.value)


def test_extract_stage_leaves_text_input_alone() -> None:
    raw = RawDoc(source="a.txt", text="Some text.")
    doc = ArticleDoc(raw=raw, article=new_article(raw))
    extract_stage(doc, Settings())
    assert doc.article.text == "Some text."


def test_trim_tail_cuts_only_marked_furniture_at_the_end() -> None:
    text = "\n".join(PARAS + ["Related articles", "Festival returns to the old town square", "Share this article"])
    trimmed, cut = trim_tail(text)
    assert trimmed == "\n".join(PARAS)
    assert cut
    # a list that ends an article is not cut without a marker
    listing = "\n".join(PARAS + ["Opening hours:", "Monday to Friday, 9 to 5", "Saturday, 10 to 2"])
    assert trim_tail(listing)[0] == listing


def test_shingle_scoring_matches_the_benchmark_definition() -> None:
    gold = "one two three four five six"
    assert shingle_match(gold, gold) == (1.0, 0.0, 0.0)
    tp, fp, fn = shingle_match(gold, "one two three four five six seven")
    assert (tp, fp, fn) == pytest.approx((3 / 4, 1 / 4, 0.0))
    m = prf([(1.0, 0.0, 0.0), (0.5, 0.5, 0.0)])
    assert m["precision"] == pytest.approx(0.75) and m["recall"] == pytest.approx(1.0)
    assert m["f1"] == pytest.approx(2 * 0.75 / 1.75)


def test_render_page_text_keeps_the_whole_page_one_block_a_line() -> None:
    text = render_page_text(HTML)
    lines = [ln for ln in text.split("\n") if ln.strip()]
    assert "Home" in lines and "Festival returns to the old town square" in lines
    assert PARAS[0] in lines
    assert "\n\n" in text


# ------------------------------------------------------------------- evaluations
def _need_gold() -> None:
    from storyline.eval import data_dir

    path = data_dir() / "extraction" / "zyte-aeb" / "ground-truth.json"
    if not path.exists():
        pytest.skip(f"zyte-aeb gold data not found at {path.parent} (../shared/data; see its README.md)")


def test_eval_clean_runs_on_a_few_pages() -> None:
    import json

    from click.testing import CliRunner

    from storyline.eval.extraction import command_clean

    _need_gold()
    res = CliRunner().invoke(command_clean, ["--limit", "6", "--json", "--min-f1", "0", "--min-precision", "0"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    ours = data["systems"]["storyline clean_text"]["splits"]["all"]
    raw = data["systems"]["flattened page, uncleaned"]["splits"]["all"]
    assert ours["pages"] == 6
    assert ours["precision"] > raw["precision"]


@pytest.mark.slow
def test_eval_extraction_gate() -> None:
    from click.testing import CliRunner

    from storyline.eval.extraction import command_extraction

    _need_gold()
    res = CliRunner().invoke(command_extraction, ["--no-baselines"])
    assert res.exit_code == 0, res.output


@pytest.mark.slow
def test_eval_clean_gate() -> None:
    from click.testing import CliRunner

    from storyline.eval.extraction import command_clean

    _need_gold()
    res = CliRunner().invoke(command_clean, [])
    assert res.exit_code == 0, res.output
