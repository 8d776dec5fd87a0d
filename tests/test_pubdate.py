"""Publication dates: from HTML metadata and URLs, and inferred from text with bounds."""

from __future__ import annotations

import json

import pytest

from storyline.temporal.html import candidates, publication_date, url_date
from storyline.temporal.pubdate import infer_publication, weekday_years


# -- inference from text ---------------------------------------------------------------------
def test_weekday_and_past_season_fix_the_year() -> None:
    text = (
        "The newspaper reported on Saturday, December 23, that the talks had stalled. "
        "Similar signals were sent in the fall of 2022, officials said."
    )
    pub = infer_publication(text)
    assert pub.date == "2023-12-23"
    assert pub.precision == "day"
    assert 0.5 <= pub.confidence < 0.9


def test_weekday_rule_is_general() -> None:
    # Tuesday, March 5 after a past spring of 2023: the first such year is 2024
    text = "Officials met on Tuesday, March 5, to discuss the budget. Talks had collapsed in the spring of 2023."
    pub = infer_publication(text)
    assert pub.date == "2024-03-05"
    assert weekday_years(3, 5, 1, 2020, 2030) == [2024, 2030]


def test_weekday_without_any_bound_claims_no_year() -> None:
    pub = infer_publication("The paper wrote on Saturday, December 23, that a ceasefire was possible.")
    assert pub.date is None
    assert pub.precision == "unknown"
    assert any(e["kind"] == "weekday" for e in pub.evidence)


def test_text_without_a_year_stays_open() -> None:
    pub = infer_publication("The Kremlin said on Friday that it was open to talks. Russia attacked on February 24.")
    assert pub.date is None and pub.precision == "unknown" and pub.confidence == 0.0


def test_past_year_is_only_a_lower_bound() -> None:
    pub = infer_publication("The leader raised the idea in the fall of 2022, after the army began to push back.")
    assert pub.date is None
    assert pub.earliest == "2022-09-01"


def test_future_mentions_do_not_bound_from_below() -> None:
    pub = infer_publication("The games were moved to 2022. Elections will be held in 2024. The war began in 2014.")
    assert pub.earliest == "2014-01-01"
    assert pub.latest == "2024-12-31"


def test_relative_beside_absolute_gives_the_year() -> None:
    pub = infer_publication("Two years ago, in 2021, the company was founded and it grew fast.")
    assert pub.date == "2023" and pub.precision == "year"
    assert pub.confidence < 0.9


# -- HTML --------------------------------------------------------------------------------------
PAGE = """<html lang="en-GB"><head>
<meta property="article:published_time" content="2021-03-04T10:00:00+00:00">
<meta property="article:modified_time" content="2021-03-09T10:00:00+00:00">
<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2021-03-04T10:00:00Z"}</script>
</head><body><time datetime="2021-03-05" class="updated">5 March</time></body></html>"""


def test_html_metadata_wins_over_modified_dates() -> None:
    d, conf, ev = publication_date(PAGE, "https://example.org/news/story")
    assert d == "2021-03-04"
    assert conf >= 0.9
    assert {e["source"] for e in ev} >= {"jsonld:datePublished", "meta:article:published_time"}


def test_url_dates() -> None:
    assert url_date("https://site.com/2020/02/17/some-story/") == "2020-02-17"
    assert url_date("https://site.com/news/20200413/story") == "2020-04-13"
    assert url_date("https://site.com/2020/07/story") == "2020-07"
    assert url_date("https://site.com/story-12345") is None


def test_utc_stamp_moves_to_the_site_day() -> None:
    page = '<html lang="fr"><head><meta property="article:published_time" content="2020-12-05T23:15:00Z"></head></html>'
    assert publication_date(page, "https://www.example.it/a")[0] == "2020-12-06"
    assert publication_date(page, "https://www.example.ca/a")[0] == "2020-12-05"


def test_many_published_time_tags_are_a_list_of_other_articles() -> None:
    tags = "".join(f'<time class="published" datetime="2020-07-{d:02d}">x</time>' for d in (23, 21, 4))
    srcs = [(c.source, c.strength) for c in candidates(f"<html><body>{tags}</body></html>")]
    assert srcs == [("time:published", 0.6)]


# -- gold data ------------------------------------------------------------------------------
def test_seed_dates(seed_records: list[dict]) -> None:
    by_id = {r["id"]: r for r in seed_records}
    for rec in by_id.values():
        pub = infer_publication(rec["text"])
        assert pub.confidence < 0.9
        if pub.date:
            # whatever is claimed must be right where the date is known
            assert rec["published"] is not None and rec["published"].startswith(pub.date), rec["id"]
    fixed = [r for r in by_id.values() if infer_publication(r["text"]).date]
    assert any(infer_publication(r["text"]).date == "2023-12-23" for r in fixed)


@pytest.fixture
def seed_records(seeds_dir) -> list[dict]:
    path = seeds_dir / "seeds.jsonl"
    if not path.exists():
        pytest.skip(f"seeds.jsonl not found in {seeds_dir}")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.slow
def test_pubdate_eval_floors() -> None:
    from click.testing import CliRunner

    from storyline.eval import data_dir
    from storyline.eval.pubdate import command

    if not (data_dir() / "extraction" / "htmldate-mediacloud").exists():
        pytest.skip("htmldate-mediacloud gold data absent")
    res = CliRunner().invoke(command, ["--min-accuracy", "0.91", "--max-confident-wrong", "0", "--json"])
    assert res.exit_code == 0, res.output


def test_last_year_beside_its_year() -> None:
    pub = infer_publication("The harvest failed last year (2022), farmers said, and prices rose.")
    assert (pub.date, pub.precision) == ("2023", "year")


def test_attributive_and_planned_years_are_not_bounds() -> None:
    text = (
        "Candidates in the 2028 race met donors. The company said it would cut emissions in 2030. "
        "He is up for reelection in 2026. The bridge opened in 2019."
    )
    pub = infer_publication(text)
    assert pub.earliest == "2019-01-01"


def test_dateline_of_a_flattened_page() -> None:
    from storyline.temporal.html import flatten_html

    page = (
        "<html><head><meta property='article:published_time' content='1999-01-01'></head><body>"
        "<nav>Home | World</nav><h1>Storm hits coast</h1><div class='byline'>By Jane Doe</div>"
        "<div>Published: June 7, 2020 4:23 pm</div><p>The storm made landfall on Saturday, officials said. "
        "It was the worst since 2011.</p><footer>Print edition: June 9, 2020</footer></body></html>"
    )
    text = flatten_html(page)
    assert "1999" not in text and "Published: June 7, 2020" in text
    pub = infer_publication(text)
    assert (pub.date, pub.precision) == ("2020-06-07", "day")
    assert pub.confidence < 0.9
    assert any(e["kind"] == "dateline" for e in pub.evidence)


def test_numeric_dateline_order_unknown_gives_only_the_year() -> None:
    pub = infer_publication("World news\n08/03/2020 15:30\nThe minister resigned on Tuesday.")
    assert (pub.date, pub.precision) == ("2020", "year")
    pub = infer_publication("World news\n08/03/2020 15:30\nThe minister resigned.\nComments: 25/03/2020")
    assert pub.date == "2020-03-08"  # 25/03 shows the page writes day/month


def test_an_old_mention_does_not_fix_the_year_of_a_weekday_date() -> None:
    from storyline.temporal.pubdate import infer_publication

    p = infer_publication("Ships waited on Monday, April 17, in the first strike since the summer of 1998.")
    assert p.date is None and p.precision == "unknown"
    # but "N years ago" beside the old mention does fix it
    p = infer_publication("Ships waited on Monday, April 17, in the first strike since the summer of 1998, 25 years ago.")
    assert p.date == "2023-04-17" and p.confidence < 0.9
