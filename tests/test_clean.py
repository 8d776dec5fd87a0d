"""The text cleaner on synthetic flattened pages (written for these tests) and the seeds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from storyline.model import RawDoc
from storyline.pipeline import new_article
from storyline.settings import Settings
from storyline.stages import ArticleDoc
from storyline.stages.clean import clean_stage, clean_text, line_key, repeated_lines

BODY = [
    "The city council of Northbridge approved a new budget for the harbour district on Tuesday, "
    "after months of debate over the cost of repairing the old sea wall.",
    "Mayor Helena Varga said the repairs could not wait another winter. \u201cThe sea wall is older than "
    "most of the people in this room,\u201d she told the council.",
    "Opponents of the plan argued that the harbour district budget favoured the sea wall over schools, "
    "and asked the council to delay the vote until the spring.",
    "The council rejected the delay by seven votes to four, and work on the sea wall is expected to "
    "begin in March, according to the harbour district office.",
    "Engineers estimate that repairing the sea wall will take two years, during which parts of the "
    "harbour promenade will be closed to the public.",
]

PAGE = "\n\n".join(
    [
        "Home \u00bb Regions \u00bb Northbridge \u00bb Council approves harbour budget",
        "Council approves harbour budget after sea wall debate",
        "By Tomas Reyes",
        "March 3, 2024",
        "3 min read",
        BODY[0],
        BODY[1],
        "Sign up for our morning briefing",
        "Get the day's top stories delivered to your inbox every morning. You can unsubscribe at any time.",
        "Privacy Notice: We use your email address only to send you the newsletter. See our Privacy Policy.",
        BODY[2],
        "{{#showVideo}}",
        "{{/showVideo}}",
        BODY[3],
        BODY[4],
        "Share this article",
        "Facebook",
        "Twitter",
        "Leave a Comment",
        "Related stories",
        "Storm damages coastal railway line in the north",
        "Heavy rain and strong winds damaged the coastal railway line overnight, the rail operator said.",
        "Local bakery wins national bread award",
        "A small bakery from the east side has won the national bread award for its sourdough.",
        "\u00a9 2024 Northbridge Gazette. All rights reserved.",
    ]
)


def _block_inside_body(lines: list[str]) -> str:
    """BODY with ``lines`` as one block between its second and third paragraphs."""
    return "\n\n".join(BODY[:2]) + "\n\n" + "\n".join(lines) + "\n\n" + "\n\n".join(BODY[2:])


def _kept_lines(text: str) -> list[str]:
    return [ln for ln in text.split("\n") if ln.strip()]


def test_body_kept_and_boilerplate_removed() -> None:
    res = clean_text(PAGE)
    kept = _kept_lines(res.text)
    assert kept == BODY, kept
    # paragraphs stay separated by blank lines
    assert res.text == "\n\n".join(BODY)


def test_metadata_lines_become_metadata() -> None:
    res = clean_text(PAGE)
    assert res.title == "Council approves harbour budget after sea wall debate"
    assert res.authors == ["Tomas Reyes"]
    assert res.dateline == "March 3, 2024"
    assert res.outlet == "Northbridge Gazette"
    reasons = {b["reason"] for b in res.removed}
    assert {"metadata:title", "metadata:byline", "metadata:dateline", "metadata:outlet"} <= reasons


def test_removed_offsets_point_into_raw_text() -> None:
    res = clean_text(PAGE)
    assert res.removed
    for block in res.removed:
        assert PAGE[block["start"] : block["end"]] == block["text"]
        assert block["reason"]
    removed_text = " ".join(b["text"] for b in res.removed)
    for phrase in ["Sign up", "Privacy Notice", "{{#showVideo}}", "Leave a Comment", "Storm damages", "3 min read"]:
        assert phrase in removed_text
    # every raw line is either kept or removed, never both, never lost
    kept = set(res.kept)
    covered = 0
    for line in re.finditer(r"[^\n]+", PAGE):
        s = line.start() + len(line.group()) - len(line.group().lstrip())
        in_removed = any(b["start"] <= s < b["end"] for b in res.removed)
        in_kept = any(a <= s < b for a, b in kept)
        assert in_removed != in_kept, line.group()
        covered += 1
    assert covered > 20


def test_single_newline_paragraphs_and_mid_article_box() -> None:
    page = "\n".join(
        [
            BODY[0],
            BODY[1],
            "Subscribe to our newsletter",
            "Enter your email address to get our updates.",
            BODY[2],
            BODY[3],
        ]
    )
    res = clean_text(page)
    assert _kept_lines(res.text) == [BODY[0], BODY[1], BODY[2], BODY[3]]


def test_teaser_list_after_article_is_cut_even_when_it_reads_like_news() -> None:
    teasers = []
    for i, topic in enumerate(
        ["Flood warning issued for river towns", "Airport strike called off", "New bridge opens"]
    ):
        teasers += [
            topic,
            f"Officials said on Monday that the situation number {i} was being watched closely by the agency.",
        ]
    page = "\n\n".join(BODY + ["More Stories"] + teasers)
    res = clean_text(page)
    assert _kept_lines(res.text) == BODY


def test_short_brief_without_prose_is_kept() -> None:
    brief = "Storm warning for the coast\n\nFerries cancelled on Friday\n\nShare this"
    res = clean_text(brief)
    assert _kept_lines(res.text) == ["Storm warning for the coast", "Ferries cancelled on Friday"]


def test_keep_patterns_restore_cut_lines() -> None:
    res = clean_text(PAGE, keep=[r"^Sign up for our morning briefing$"])
    assert "Sign up for our morning briefing" in res.text


def test_repeated_lines_from_the_corpus_are_cut() -> None:
    footer = "Northbridge Gazette is an independent local newspaper"
    page = "\n\n".join(BODY[:3] + [footer] + BODY[3:])
    assert footer in clean_text(page).text
    res = clean_text(page, repeated={line_key(footer)})
    assert footer not in res.text
    assert _kept_lines(res.text) == BODY


def test_repeated_lines_counts_short_lines_across_documents() -> None:
    footer = "Northbridge Gazette is an independent local newspaper"
    docs = ["\n\n".join([BODY[i], footer]) for i in range(4)]
    per_doc = repeated_lines(docs, min_docs=3)
    assert all(line_key(footer) in keys for keys in per_doc)
    assert not any(line_key(b) in keys for keys in per_doc for b in BODY)
    # lines shared by copies of one story never count, short or long
    short = "Talks will resume on Monday, the union said."
    copies = ["\n\n".join([BODY[0], short, BODY[1]])] * 5
    assert all(len(b.split()) > 25 for b in BODY[:2])
    assert not any(repeated_lines(copies, min_docs=3))


def test_line_key_folds_case_digits_and_punctuation() -> None:
    assert line_key("Read MORE: 12 stories!") == line_key("read more - 7 stories")


def test_empty_and_plain_text() -> None:
    assert clean_text("").text == ""
    assert clean_text("\n\n  \n").text == ""
    # a plain article with no boilerplate at all is returned whole
    plain = "\n\n".join(BODY)
    assert clean_text(plain).text == plain


def test_stage_sets_text_metadata_and_layer() -> None:
    raw = RawDoc(source="page.txt", text=PAGE)
    doc = ArticleDoc(raw=raw, article=new_article(raw))
    clean_stage(doc, Settings())
    art = doc.article
    assert art.raw_text == PAGE
    assert _kept_lines(art.text) == BODY
    assert art.title and art.authors == ["Tomas Reyes"]
    assert art.meta["dateline"] == "March 3, 2024"
    assert art.layers["removed"]
    for block in art.layers["removed"]:
        assert PAGE[block["start"] : block["end"]] == block["text"]


def test_stage_given_metadata_wins_and_options() -> None:
    raw = RawDoc(source="page.txt", text=PAGE, title="Given title", authors=["Given Author"])
    doc = ArticleDoc(raw=raw, article=new_article(raw))
    clean_stage(doc, Settings(stages={"clean": {"keep": [r"^Facebook$"]}}))
    assert doc.article.title == "Given title"
    assert doc.article.authors == ["Given Author"]
    assert "Facebook" in doc.article.text
    # --no-clean: the stage leaves the text alone
    doc2 = ArticleDoc(raw=raw, article=new_article(raw))
    clean_stage(doc2, Settings(clean=False))
    assert doc2.article.text == PAGE
    assert "removed" not in doc2.article.layers


def test_stage_ignores_html_input() -> None:
    raw = RawDoc(source="page.html", html="<html><body><p>x</p></body></html>")
    doc = ArticleDoc(raw=raw, article=new_article(raw))
    doc.article.text = "Share this\n\nsome text"
    clean_stage(doc, Settings())
    assert doc.article.text == "Share this\n\nsome text"


# ----------------------------------------------------------------------------- seeds
SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

_BOILERPLATE_SHAPES = [
    re.compile(r"^\W*\d+\s*min(?:ute)?s?\s+read\W*$", re.I),  # reading time
    re.compile(r"\s(?:»|›)\s.*\s(?:»|›)\s"),  # breadcrumb
    re.compile(r"\{\{[#/]?\w+\}\}"),  # template residue
    re.compile(r"^\W*(?:load|show|read) more\W*$", re.I),
    re.compile(r"^\W*leave a (?:comment|reply)\W*$", re.I),
    re.compile(r"\b(?:sign up|privacy notice|newsletter)\b", re.I),
    re.compile(r"^\W*more stories\W*$", re.I),
]


def _seed_texts() -> list[tuple[str, str]]:
    if not SEEDS.is_dir():
        pytest.skip(f"seed corpus not found at {SEEDS} (../shared/seeds beside the checkout)")
    files = sorted(SEEDS.glob("*.txt"))
    if not files:
        pytest.skip(f"no seed texts in {SEEDS}")
    return [(f.name, f.read_text(encoding="utf-8")) for f in files]


def test_seeds_have_no_boilerplate_shaped_lines_left() -> None:
    for name, text in _seed_texts():
        res = clean_text(text)
        for line in _kept_lines(res.text):
            for pat in _BOILERPLATE_SHAPES:
                assert not pat.search(line), (name, line)


def test_seeds_lose_no_body_line_between_kept_lines() -> None:
    """Every long sentence-final line between the first and the last kept line is kept.

    Body paragraphs that follow a boilerplate block in the middle of an article (a
    newsletter box) must survive; only blocks of page furniture may be cut there.
    """
    prose = re.compile(r"[.!?\u201d\"\u2019]\s*$")
    for name, text in _seed_texts():
        res = clean_text(text)
        assert res.kept, name
        first, last = res.kept[0][0], res.kept[-1][1]
        kept_spans = set(res.kept)
        for m in re.finditer(r"[^\n]+", text):
            line = m.group().strip()
            start = m.start() + len(m.group()) - len(m.group().lstrip())
            if not first <= start < last or len(line.split()) < 15 or not prose.search(line):
                continue
            if any(p.search(line) for p in _BOILERPLATE_SHAPES):
                continue
            assert (start, start + len(line)) in kept_spans, (name, line[:80])


def test_crlf_offsets_stay_exact() -> None:
    page = PAGE.replace("\n", "\r\n")
    res = clean_text(page)
    assert _kept_lines(res.text) == BODY
    for block in res.removed:
        assert page[block["start"] : block["end"]] == block["text"]


# ------------------------------------------------------------------- general signals
def test_hard_wrapped_paragraphs_are_joined_and_kept() -> None:
    wrapped = []
    for para in BODY:
        words = para.split()
        # wrap mid-sentence so that every continuation starts in lower case
        cut = next(i for i in range(8, len(words)) if words[i][:1].islower() and words[i - 1][-1] not in ".,;:")
        wrapped += [" ".join(words[:cut]), " ".join(words[cut:])]
    page = "\n".join(["Home", "News", *wrapped, "Share this", "Facebook", "Twitter"])
    res = clean_text(page)
    assert res.text.replace("\n\n", "\n").split("\n") == wrapped
    # offsets of every kept raw line stay exact
    for a, b in res.kept:
        assert page[a:b] in wrapped


def test_related_posts_marker_in_another_language_ends_the_body() -> None:
    body_pt = [
        "A prefeitura aprovou nesta terça-feira um novo orçamento para a região do porto, depois de meses "
        "de debate sobre o custo da reforma do antigo cais.",
        "O prefeito disse que as obras no cais não podem esperar mais um inverno e que o orçamento do porto "
        "foi discutido com os moradores da região.",
        "Os opositores do plano afirmaram que o orçamento do porto favorece o cais em detrimento das escolas "
        "e pediram o adiamento da votação.",
        "A câmara rejeitou o adiamento por sete votos a quatro, e as obras no cais devem começar em março, "
        "segundo a secretaria do porto.",
    ]
    teasers = [
        "Chuva forte causa alagamentos na zona norte Moradores relatam prejuízos depois da tempestade que "
        "atingiu a cidade na madrugada de domingo.",
        "Padaria do bairro ganha prêmio nacional A pequena padaria da zona leste venceu o concurso nacional "
        "com o seu pão de fermentação natural.",
        "Greve dos ônibus termina após acordo Os motoristas aceitaram a proposta de reajuste apresentada "
        "pelas empresas na noite de quinta-feira.",
    ]
    page = "\n\n".join(["Início", *body_pt, "Posts Relacionados", *teasers, "Deixe um comentário"])
    assert _kept_lines(clean_text(page).text) == body_pt


def test_story_cards_inside_the_body_are_cut() -> None:
    cards = []
    for head, summary in [
        (
            "Column: Harbour towns count the cost of the storm season",
            "Flooded streets and closed shops left "
            "many small traders in the harbour towns wondering whether to rebuild at all this year.",
        ),
        (
            "Rail operator promises faster trains to the coast by spring",
            "The operator said new carriages "
            "and a rebuilt signal box would cut the journey by a quarter once the works are done.",
        ),
    ]:
        cards.append([head, head, summary])
    page = "\n".join(BODY[:2] + cards[0] + BODY[2:4] + cards[1] + BODY[4:])
    assert _kept_lines(clean_text(page).text) == BODY


def test_caption_followed_by_its_credit_line_is_cut() -> None:
    caption = "Mayor Helena Varga, centre in a blue coat, walks along the old sea wall with engineers in March."
    page = "\n".join(BODY[:2] + [caption, "Jane Doe | Northbridge Gazette"] + BODY[2:])
    assert _kept_lines(clean_text(page).text) == BODY


def test_company_description_closing_a_press_release_is_cut() -> None:
    about = (
        "Harbourworks is a global provider of coastal engineering solutions, headquartered in Northbridge "
        "and employing 1,200 people worldwide."
    )
    page = "\n\n".join(BODY + [about])
    assert _kept_lines(clean_text(page).text) == BODY


def test_removed_blocks_never_cover_kept_lines() -> None:
    page = "\n".join([BODY[0], "Facebook", BODY[1], "Facebook", BODY[2], BODY[3]])
    res = clean_text(page)
    for block in res.removed:
        for a, _ in res.kept:
            assert not (block["start"] <= a < block["end"]), block


def test_table_announced_by_the_body_is_kept_with_its_figures() -> None:
    intro = "The council published the final vote of each district on the harbour budget as follows:"
    rows = ["District", "Yes", "No", "North", "4", "1", "South", "3", "3", "East", "0", "0"]
    page = "\n\n".join(BODY[:3] + [intro, "\n".join(rows), BODY[3], BODY[4], "Share this article"])
    kept = _kept_lines(clean_text(page).text)
    assert kept == BODY[:3] + [intro] + rows + BODY[3:]


def test_list_under_a_heading_in_the_body_words_is_kept() -> None:
    heading = "Harbour sea wall repairs"
    items = [f"March {d} – harbour district section {n}" for d, n in [(4, "A"), (11, "B"), (18, "C"), (25, "D")]]
    page = "\n".join(BODY + [heading, *items, "Related stories", "Storm damages coastal railway line"])
    kept = _kept_lines(clean_text(page).text)
    assert kept == BODY + [heading, *items]


def test_results_list_dense_with_figures_is_not_a_teaser_list() -> None:
    results = [
        "Rovers d. United 3-1",
        "Rovers (4-1): Lee 2 goals. Park 1 assist. Okafor 5 saves in 90 minutes at Mill Lane.",
        "Hornets d. Falcons 71-64",
        "Hornets (2-0): Diaz 24 points, 9 rebounds. Ward 11 points. Nolan 7 assists from the bench.",
        "Harbour Academy d. Westfield 6-2",
        "Harbour Academy (3-3): Quinn 4 singles wins. Adeyemi 2 doubles titles, 1 walkover.",
    ]
    page = "\n\n".join(BODY + results)
    res = clean_text(page)
    assert _kept_lines(res.text) == BODY + results


def test_long_paragraph_addressing_the_reader_is_body_but_a_legal_notice_is_not() -> None:
    deal = (
        "If you have been waiting for the harbour ferry pass, the council says you can sign up at the harbour "
        "office from Monday, and a subscription covers every crossing for a year. Residents who already hold a "
        "pass keep it, and the council says the price will not change before the sea wall repairs are finished "
        "in two years, whatever the final cost of the harbour works turns out to be."
    )
    notice = (
        "The information on this website is provided for informational purposes only and is not intended to "
        "replace professional advice. Consult your physician before you begin any exercise program, and read "
        "our terms of use and our disclaimer, which apply to every page of this site and to all of its content."
    )
    page = "\n\n".join([*BODY[:3], deal, *BODY[3:], notice])
    res = clean_text(page)
    assert _kept_lines(res.text) == [*BODY[:3], deal, *BODY[3:]]


def test_paragraph_after_an_embed_is_not_taken_into_a_teaser_list_after_a_marker() -> None:
    body_after = (
        "The harbour office said the promenade closures would be announced a month ahead, so that the "
        "council and the engineers can plan the sea wall works around the busy summer season."
    )
    teasers = []
    for topic in ["Flood warning issued for river towns", "Airport strike called off", "New bridge opens"]:
        teasers += [topic, f"Officials said on Monday that {topic.lower()} after a week of talks."]
    embed = "\u2014 Harbour Office (@harbour) March 3, 2024"
    page = "\n\n".join(BODY + [embed, body_after, "Related"] + teasers)
    kept = _kept_lines(clean_text(page).text)
    assert kept[: len(BODY)] == BODY and kept[-1] == body_after


def test_author_box_under_about_name_is_cut() -> None:
    bio = (
        "Tomas Reyes has covered the harbour district for the Gazette since 2015 and writes about city "
        "budgets, transport and the coast; before that he worked for a regional radio station."
    )
    for heading in ["About Tomas Reyes", "Sobre Tomas Reyes"]:
        page = "\n\n".join(BODY + [heading, bio, "Facebook", "Twitter"])
        res = clean_text(page)
        assert _kept_lines(res.text) == BODY, heading


def test_page_without_prose_lines_is_not_emptied() -> None:
    body = [
        "The river rose again on Monday",
        "Farmers moved their cattle to higher ground",
        "Roads near the old mill were closed",
        "The mayor asked people to stay at home",
        "More rain is expected on Wednesday",
        "Schools in the valley will stay open",
    ]
    page = "\n".join(["Home", "News", "Sport", "Sign in", *body, "Share this", "Facebook", "Twitter"])
    res = clean_text(page)
    assert _kept_lines(res.text) == body


def test_newsletter_box_with_plain_prose_blurb_is_cut_and_the_body_after_it_kept() -> None:
    box = [
        "The Morning Briefing",
        "Every weekday morning our editors pick the stories that matter most and send them straight to readers.",
        "Sign up",
    ]
    page = "\n\n".join(BODY[:2] + box + BODY[2:])
    res = clean_text(page)
    assert _kept_lines(res.text) == BODY


def test_more_from_markers_in_other_languages_end_the_body() -> None:
    others = [
        "Sturm beschädigt die Bahnstrecke an der Küste, wie der Betreiber am Montag mitteilte.",
        "Bäckerei aus dem Osten der Stadt gewinnt den nationalen Brotpreis für ihr Sauerteigbrot.",
        "Streik am Flughafen abgesagt, nachdem sich Gewerkschaften und Betreiber geeinigt hatten.",
    ]
    for marker in ["Mehr aus Northbridge", "Otras noticias"]:
        res = clean_text("\n\n".join(BODY + [marker] + others))
        assert _kept_lines(res.text) == BODY, marker


def test_fused_headline_and_summary_teasers_after_the_body_are_cut() -> None:
    fused = [
        "Storm damages coastal railway line Heavy rain and strong winds damaged the coastal railway line "
        "overnight, the rail operator said on Monday.",
        "Local bakery wins national bread award A small bakery from the east side has won the national bread "
        "award for its sourdough loaf this year.",
        "Airport strike called off Unions and the airport operator reached a deal late on Sunday, ending a week "
        "of disruption for travellers.",
    ]
    res = clean_text("\n\n".join(BODY + fused))
    assert _kept_lines(res.text) == BODY


def test_reported_speech_after_a_load_more_button_is_body_and_copyright_is_cut() -> None:
    """A paragraph of reported speech next to a "Load more…" button is the article's, not a
    box's blurb; a "© Agency. All rights reserved." notice is furniture."""
    body = [
        "Dockworkers walked out at dawn on Monday, closing the port to all traffic for the first time in decades.",
        "The union said its members had voted by a large majority for an open-ended strike over pay and automation.",
        "The company said it had offered the best deal in the industry and that the cranes would make the port safer.",
        "The union leader told the crowd at the gate that the company spent more on consultants than on its workers.",
    ]
    after = "Businesses that depend on the port are counting the cost. A haulier, who runs 40 lorries, said she had sent half her drivers home."
    text = "\n".join(
        [
            *body,
            "Load more…",
            after,
            "The strike is expected to last at least a week, the union said.",
            "© Example Press Agency. All rights reserved. This material may not be published without permission.",
        ]
    )
    res = clean_text(text)
    assert after in res.text
    assert "All rights reserved" not in res.text


def test_reader_poll_after_the_body_is_cut() -> None:
    """A reader poll (the question, options with their tallies, the total) is page furniture."""
    poll = [
        "Will you visit the new harbour promenade when it reopens? (Tell us below!)",
        "Yes, as soon as it opens to the public (54%, 1,204 Votes)",
        "Maybe, if the weather is good enough (31%, 690 Votes)",
        "No, I prefer the old promenade along the river (15%, 334 Votes)",
        "Total Voters: 2,228",
    ]
    res = clean_text("\n\n".join(BODY) + "\n" + "\n".join(poll))
    assert _kept_lines(res.text) == BODY
    assert any(b["reason"] == "boilerplate:poll" for b in res.removed)


def test_hover_card_fused_into_a_sentence_is_cut_and_the_sentence_kept() -> None:
    """A politician's hover card flattened into the sentence that names them: the name printed
    again with no space, the card's headlines, its "MORE" link; the sentence around it stays."""
    card = (
        "Sen. Maria LopezMaria Elena LopezLawmakers spar over harbour funding Council delays sea wall vote again MORE"
    )
    first = card + " (D-Calif.) said the state would share the cost of the sea wall repairs with the city."
    res = clean_text("\n\n".join([first, *BODY]))
    assert "Sen. Maria Lopez (D-Calif.) said the state would share the cost" in res.text
    assert "Lawmakers spar" not in res.text
    assert any(b["reason"] == "boilerplate:hover-card" and "MORE" in b["text"] for b in res.removed)
    # the kept offsets still point at the raw text
    raw = "\n\n".join([first, *BODY])
    assert "".join(raw[a:b] for a, b in res.kept[:2]).startswith("Sen. Maria Lopez (D-Calif.)")


def test_party_letter_after_a_name_is_no_caption_cue() -> None:
    """ "(R)" after a politician's name is a party, not a caption's "right"."""
    lead = "Gov. Dana Whitfield (R) is defending the state's new harbour budget against critics in the legislature."
    res = clean_text("\n\n".join([lead, *BODY]))
    assert lead in res.text


def test_long_caption_ending_with_photographer_and_agency_is_cut() -> None:
    caption = (
        "Workers repair a section of the old sea wall in the harbour district of Northbridge (background) on March 2, "
        "2024, as waves break against the promenade during high tide in the early morning hours of the day. "
        "The council approved the new budget for the repairs after months of debate over the cost of the work "
        "and its timing. Jana KOVAC / AFP"
    )
    res = clean_text("\n\n".join([BODY[0], caption, *BODY[1:]]))
    assert _kept_lines(res.text) == BODY


def test_lead_paragraph_before_a_related_stories_box_is_kept() -> None:
    """The article's opening paragraph, cut from the rest by a box of links to other stories,
    is still the article's: it takes up the body's words."""
    lead = (
        "The Northbridge harbour district will get a new sea wall after the city council approved the repair "
        "budget on Tuesday, ending months of debate."
    )
    box = [
        "Related Stories",
        "Ferry operator cancels winter crossings after engine failure",
        "Museum reopens two years after the spring flood",
        "New bridge opens to traffic on the east side",
    ]
    text = "\n\n".join(["Council approves harbour budget", "By Tomas Reyes", "March 3, 2024", lead]) + "\n\n"
    text += "\n".join(box) + "\n\n" + "\n\n".join(BODY)
    res = clean_text(text)
    assert lead in res.text
    assert "Ferry operator" not in res.text
    assert all(p in res.text for p in BODY)


def test_standfirst_above_the_byline_is_not_pulled_into_the_body() -> None:
    """A summary line above the byline and date is the article's header, not a lead paragraph
    cut off by a box (the lead rule stops at a byline or a date)."""
    dek = "The harbour district budget passed after a long debate over the cost of repairing the old sea wall."
    furniture = ["By Tomas Reyes", "March 3, 2024", "Photo: Jana Kovac/Reuters", "Advertisement"]
    text = "\n\n".join(["Council approves harbour budget", dek, *furniture, *BODY])
    res = clean_text(text)
    assert dek not in res.text
    assert _kept_lines(res.text) == BODY


def test_teasers_under_a_more_stories_marker_inside_the_body_are_cut() -> None:
    """Headline-and-summary teasers under "More stories" set between the article's paragraphs
    are cut, the last one too (the article's paragraphs follow it directly)."""
    teasers = [
        "More stories",
        "Ferry service suspended",
        "The operator said engine trouble would keep the boat in port until the spring.",
        "Museum reopens after flood",
        "Curators spent two years restoring the damaged paintings and letters of the collection.",
        "New bridge opens to traffic",
        "Drivers crossed the river on the new span for the first time on Friday morning.",
    ]
    res = clean_text("\n\n".join([*BODY[:2], *teasers, *BODY[2:]]))
    assert _kept_lines(res.text) == BODY


def test_short_article_after_a_box_is_not_discounted_as_off_topic() -> None:
    """The paragraphs after a related-stories box that is heavier than the lead: three
    paragraphs share few words with each other, which is too little to find them off-topic."""
    head = [
        "Menu",
        "Home",
        "Music",
        "Harbour Kings to reunite for Lakeside Pavilion show",
        "The band will play its first concert in a decade at the Lakeside Pavilion next summer.",
        "By Ann Olsen",
    ]
    lead = (
        "CLEVELAND, Ohio - Tickets, rehearsals and promoters: the Harbour Kings reunion tour stops at the "
        "Lakeside Pavilion in July, the band told a Nashville crowd on Monday night."
    )
    box = [
        "Related Stories",
        "City council approves new budget for road repairs",
        "Local bakery wins national award for sourdough loaf",
        "Storm warning issued for coastal towns",
        "Airport strike called off after late-night deal",
        "Museum reopens two years after the flood",
        "New bridge opens to traffic on the east side",
    ]
    rest = [
        "Tickets for the July show go on sale on Friday morning through the venue, with prices starting at forty dollars.",
        "Guitarist Ray Holm told the crowd in Nashville that rehearsals had already started in a barn outside Memphis.",
        "Promoters expect the reunion tour to sell out quickly across the region, a spokeswoman for the company said.",
    ]
    text = "\n".join(head) + "\n\n" + lead + "\n\n" + "\n".join(box) + "\n\n" + "\n\n".join(rest)
    res = clean_text(text)
    assert all(p in res.text for p in rest)
    assert "bakery" not in res.text


# A site's comments policy: long prose on another topic than the article's
POLICY = [
    "Members of the community are expected to behave respectfully towards other members at all times, "
    "and moderators may remove any contribution that breaks these standards without prior notice.",
    "Contributions written in languages other than the main language of the edition may be removed, "
    "as may contributions that repeat the same message several times or carry commercial offers.",
    "A contribution will be removed when it insults other members, when it spreads private information "
    "about third parties, or when it encourages violence against any person or group of people.",
    "Members whose contributions are removed repeatedly may lose the right to contribute, and their "
    "profile may be suspended for a period decided by the moderators of the community.",
    "Appeals against a moderation decision are handled by the editorial office within thirty days, and "
    "the decision of the editorial office on the appeal is final for all members concerned.",
]


def test_short_article_under_its_byline_is_taken_over_a_longer_block_below() -> None:
    """A short article under its byline and date outweighed by a longer block of prose further
    down the page (a comments policy): the article's header marks the body."""
    head = ["Menu", "Home", "Harbour budget approved", "By Tomas Reyes", "March 3, 2024"]
    text = "\n".join(head) + "\n\n" + "\n\n".join(BODY[:2])
    text += "\n\nShare\nFacebook\nTwitter\nCommunity standards\n\n" + "\n\n".join(POLICY)
    res = clean_text(text)
    assert _kept_lines(res.text) == BODY[:2]


def test_lead_under_the_byline_and_the_rest_after_a_long_box_are_one_body() -> None:
    """The lead paragraphs under the byline, then a box longer than the lead rule looks back
    over, then the rest of the article, which takes up the lead's words: both parts are kept."""
    head = ["Menu", "Home", "Harbour budget approved", "By Tomas Reyes", "March 3, 2024"]
    box = [
        "Most Read",
        "Ferry operator cancels winter crossings after engine failure",
        "Museum reopens two years after the spring flood",
        "New bridge opens to traffic on the east side",
        "Local bakery wins national award for sourdough loaf",
        "Storm warning issued for coastal towns this weekend",
        "Airport strike called off after late-night deal",
        "School choir to sing at the royal wedding",
        "Police seek witnesses after lorry crash",
        "Farmers market moves to the old station",
        "Zoo welcomes twin panda cubs",
        "Library extends its opening hours",
    ]
    text = "\n".join(head) + "\n\n" + _block_inside_body(box)
    res = clean_text(text)
    assert _kept_lines(res.text) == BODY


def test_practical_details_set_one_a_line_in_the_body_are_kept() -> None:
    """A run of short labelled values (venue, dates, prices) between the article's paragraphs
    is the article's own detail, not a list of links."""
    details = [
        "Where: Harbour Hall, 12 Quay Street",
        "When: Saturday 14 March, 10am to 4pm",
        "Tickets: $25 adults, $10 children",
        "Organiser: Northbridge Harbour Trust",
        "Parking: free at the ferry terminal",
    ]
    text = _block_inside_body(details)
    res = clean_text(text)
    assert _kept_lines(res.text) == BODY[:2] + details + BODY[2:]


def test_a_list_of_headlines_is_still_cut_from_the_body() -> None:
    """Headlines of other stories (no labelled values) between paragraphs stay a link list."""
    links = [
        "Ferry operator cancels winter crossings after engine failure",
        "Museum reopens two years after the spring flood",
        "New bridge opens to traffic on the east side",
        "Local bakery wins national award for sourdough loaf",
    ]
    text = _block_inside_body(links)
    assert _kept_lines(clean_text(text).text) == BODY


def test_a_list_of_the_articles_points_between_paragraphs_is_kept() -> None:
    """Short lines between two paragraphs, made of the body's own words and under no section
    marker, are the article's list, not links to other stories."""
    points = [
        "Repairs to the old sea wall of the harbour district",
        "A budget for the harbour promenade",
        "Two years of work on the sea wall",
        "A vote of the city council in March",
    ]
    text = _block_inside_body(points)
    assert _kept_lines(clean_text(text).text) == BODY[:2] + points + BODY[2:]


def test_headlines_on_the_same_topic_under_a_marker_are_still_cut() -> None:
    """The same kind of lines under "Related Stories" are links to other stories."""
    links = [
        "Related Stories",
        "Harbour district budget vote delayed by council",
        "Sea wall repairs to close the promenade",
        "City council debates cost of harbour works",
        "Northbridge mayor defends sea wall plan",
    ]
    text = _block_inside_body(links)
    assert _kept_lines(clean_text(text).text) == BODY


def test_a_long_legal_notice_after_a_short_article_is_cut() -> None:
    """A long paragraph made of several notices (copyright, rights reserved, trademarks,
    disclaimer) is page furniture whatever its length, even when it outweighs a short article."""
    notice = (
        "Market figures are supplied by the Northbridge Exchange and may be delayed by up to fifteen minutes. "
        "Disclaimer. Harbour Data: Copyright 2024 Harbour Data Ltd. All rights reserved. Quay Indices: "
        "Copyright 2024 Quay Indices Group. All rights reserved. Quay and Quay 100 are registered trademarks "
        "of Quay Indices Group, licensed for use by the publisher, and the index names are the property of "
        "their owners. Index values are calculated and distributed by Quay Indices Group and its partners "
        "and are provided without warranty of any kind for their accuracy or completeness."
    )
    text = "Harbour budget approved\n\n" + "\n\n".join(BODY[:2]) + "\n\nMarkets\nHome\n\n" + notice
    assert _kept_lines(clean_text(text).text) == BODY[:2]


# Summaries of other stories, each long and on its own topic (invented)
OTHER_STORIES = [
    "The regional rail operator announced on Monday that it would replace its entire fleet of diesel "
    "trains on the northern line with battery units by the end of the decade, citing lower running costs, "
    "quieter carriages and a government grant that covers almost half of the purchase price of the trains.",
    "Scientists at the university observatory have catalogued more than two hundred new variable stars in "
    "a survey of the southern sky, using a telescope that was refurbished last year with donations from "
    "amateur astronomers, and they plan to publish the full catalogue online early next spring.",
    "A chess prodigy from the mountain villages has won the national junior championship without losing a "
    "single game, beating players several years older than her in a tournament that lasted nine days and "
    "drew a record crowd of spectators to the exhibition centre on the final afternoon.",
    "The national orchestra will tour six countries in the autumn with a programme of symphonies by "
    "composers from the last century, its first tour abroad since the concert hall was closed for "
    "renovation, and tickets for most of the concerts are expected to sell out within a week.",
]


def test_short_article_is_taken_over_long_summaries_under_a_related_marker() -> None:
    """A short article, then "Related" over long paragraphs about other things: they outweigh
    the article, but the run under an end-of-article marker that shares no words with the
    prose right above the marker is not the body."""
    text = "Menu\nHome\n\nHarbour budget approved after sea wall debate\n\n" + "\n\n".join(BODY[:2])
    text += "\n\nShare\nFacebook\nTwitter\nEmail\n\nRelated\n\n" + "\n\n".join(OTHER_STORIES)
    text += "\n\nContact us\nPrivacy Policy"
    assert _kept_lines(clean_text(text).text) == BODY[:2]


def test_short_article_under_its_byline_and_a_share_bar_is_taken_over_a_longer_bio() -> None:
    """A bar of share buttons (with its "Share" label) between the byline and the article
    does not hide the article's header: the short article is taken over a longer paragraph
    further down (the columnist's biography)."""
    bar = ["Facebook", "Twitter", "Show more sharing options", "Share", "Close extra sharing options"]
    bar += ["Facebook", "Twitter", "LinkedIn", "Email", "Copy Link", "Print"]
    head = ["Menu", "Home", "Harbour budget approved", "By Tomas Reyes", "March 3, 2024", "5:53 PM"] + bar
    bio = (
        "Award-winning columnist Tomas Reyes writes a weekly column for the Gazette and its website. "
        "His work on public finance and the politics of coastal towns has earned him three national prizes, "
        "and his latest book, a history of the ports of the northern coast from the middle ages to the "
        "present day, was published last year. He lives by the sea with his family and two dogs, and he "
        "still answers every letter that readers send him."
    )
    text = "\n".join(head) + "\n\n" + "\n\n".join(BODY[:2])
    text += "\n\nNewsletter\nGet our weekly newsletter\nSubscribe\nTomas Reyes\nFollow Us\nTwitter\nEmail\n\n" + bio
    assert _kept_lines(clean_text(text).text) == BODY[:2]


def test_rest_of_the_article_after_a_related_box_under_the_lead_is_kept() -> None:
    """One lead paragraph, a "Related Stories" box, then the rest of the article: the rest
    takes up the lead's words, so it is no list of other stories and both parts are kept."""
    box = [
        "Related Stories",
        "City council approves new budget for road repairs",
        "Local bakery wins national award for sourdough loaf",
        "Storm warning issued for coastal towns this weekend",
    ]
    text = "Share\nFacebook\nTwitter\n\n" + BODY[0] + "\n\n" + "\n".join(box) + "\n\n" + "\n\n".join(BODY[1:])
    assert _kept_lines(clean_text(text).text) == BODY


def test_headline_anchors_a_short_article_against_a_longer_sidebar_blurb() -> None:
    # a short article with neither date nor byline, after a sidebar's longer blurb: the
    # headline right above the article shares its words, nothing above the blurb does
    page = "\n\n".join(
        [
            "Home\nNews\nSport\nWeather",
            "Our partners",
            "Volunteers at the riverside animal shelter have spent the last decade caring for abandoned cats, "
            "dogs and rabbits, and they are always looking for kind people who can spare a few hours on weekends "
            "to walk the dogs, clean the kennels and answer questions from families who hope to adopt.",
            "The shelter is open every day except Monday and relies entirely on donations from local businesses "
            "and the generosity of neighbours, who also give blankets, food and old towels throughout the year.",
            "Families who adopt a dog from the shelter receive a free first visit to the vet, a collar and a bag "
            "of food, and the volunteers phone them a month later to ask how the dog is settling in at home.",
            "Archive\nContact\nImprint\nJobs\nAdvertise\nCareers\nEvents\nPodcasts\nPuzzles\nObituaries",
            "Lighthouse keeper's cottage reopens as maritime museum",
            "The lighthouse keeper's cottage on Gull Point has reopened as a small maritime museum after two years "
            "of repairs.",
            "Visitors to the museum can see the keeper's logbooks, a brass lamp and photographs of the cottage "
            "from the years when the lighthouse still guided fishing boats home.",
            "Share\nTweet\nEmail",
        ]
    )
    res = clean_text(page)
    assert "maritime museum after two years" in res.text
    assert "brass lamp" in res.text
    assert "animal shelter" not in res.text


def test_a_colon_heading_after_the_last_paragraph_announces_the_article_list() -> None:
    # the article ends on its list of features: short unpunctuated lines under a heading
    # that ends in a colon, set after the last paragraph and a short exclamation
    page = "\n\n".join(
        [
            "Home\nGames\nForum\nShop",
            "Harbour Quest update brings new islands",
            "The third update of Harbour Quest adds two islands to the map and a new way to trade with the "
            "fishing villages, the studio behind the sailing game said on its blog.",
            "Players who finished the main story can now return to the old lighthouse and take on the keeper's "
            "last puzzles.",
            "Time to set sail again!",
            "What the update brings:",
            "Two islands with their own villages and harbours\n"
            "A trading system for fish, rope and timber\n"
            "Storms that change the sea routes every week\n"
            "Twelve new puzzles in the lighthouse",
            "Share\nTweet\nEmail",
            "Previous post\nNext post",
        ]
    )
    res = clean_text(page)
    assert "lighthouse and take on the keeper" in res.text
    assert "A trading system for fish, rope and timber" in res.text
    assert "Twelve new puzzles in the lighthouse" in res.text
    assert "Time to set sail again!" in res.text
    assert "Previous post" not in res.text


def test_wire_caption_dated_with_its_weekday_is_cut() -> None:
    # a wire photo's caption dates the scene after the place, weekday and year included;
    # the article's own dates read "on Tuesday"
    caption = (
        "Harbour master Lena Ortiz inspects the cracked sea wall during a storm in Northbridge, Tuesday, March 5, 2024."
    )
    page = "\n\n".join([BODY[0], caption] + BODY[1:])
    res = clean_text(page)
    assert _kept_lines(res.text) == BODY


def test_caption_ending_with_photographer_and_agency_is_cut() -> None:
    caption = (
        "Councillors leave the chamber after a long evening of debate over the harbour district budget. "
        "(Jane Rowe/Coastal Press)"
    )
    page = "\n\n".join([BODY[0], caption] + BODY[1:])
    assert _kept_lines(clean_text(page).text) == BODY


def test_line_opening_with_a_media_label_is_a_caption() -> None:
    label = (
        "Video: In this clip recorded at the harbour open day, an engineer walks visitors along the old sea wall "
        "and explains where the stones have moved over the last hundred years of winter storms."
    )
    page = "\n\n".join([BODY[0], label] + BODY[1:])
    assert _kept_lines(clean_text(page).text) == BODY


def test_credit_in_parentheses_under_a_caption_cuts_the_caption() -> None:
    caption = "Waves break over the sea wall at high tide, throwing spray across the harbour promenade."
    page = "\n\n".join([BODY[0], caption + "\n(Image: © Gull Point Studio)"] + BODY[1:])
    res = clean_text(page)
    assert _kept_lines(res.text) == BODY


def test_truncated_link_headline_is_not_a_sentence() -> None:
    # a link's headline cut off with an ellipsis after the last paragraph is not the article's
    page = "\n\n".join(["Harbour news", *BODY, "Ferry operator cancels winter crossings to the is...", "Share"])
    res = clean_text(page)
    assert _kept_lines(res.text) == BODY


def test_story_card_with_cut_off_summary_before_read_more_is_cut() -> None:
    card = [
        "Ferry operator cancels winter crossings to the islands",
        "Islanders face a long winter without a regular ferry after the operator said that the old boat needed",
        "Read more",
    ]
    page = "\n\n".join(BODY[:2] + ["\n".join(card)] + BODY[2:])
    res = clean_text(page)
    assert _kept_lines(res.text) == BODY


def test_closing_story_cards_with_foreign_headlines_are_cut() -> None:
    # two cards after the article with no section marker: each summary under a headline
    # whose words the article never uses
    cards = [
        "Orchard growers expect record apple harvest",
        "Growers in the northern valley praised the mild weather and the steady rain for the bumper crop.",
        "Jazz festival announces autumn line-up",
        "Organisers of the festival named the saxophonists and singers who will play at the old theatre.",
    ]
    page = "\n\n".join(["Harbour news", *BODY, "\n".join(cards), "Share\nTweet"])
    res = clean_text(page)
    assert _kept_lines(res.text) == BODY


def test_site_notice_paragraph_inside_the_body_is_cut() -> None:
    # speaks as the site ("we", "our"), uses its furniture vocabulary and shares no words with the article
    notice = (
        "We welcome comments that advance the discussion. Please keep them civil and on topic; posts with "
        "personal attacks or spam will be removed by our moderators."
    )
    offer = (
        "Get unlimited access to our award-winning journalism for one dollar a week. Cancel anytime, and use "
        "the promo code at checkout."
    )
    page = "\n\n".join(BODY[:3] + [notice] + BODY[3:] + [offer])
    res = clean_text(page)
    assert _kept_lines(res.text) == BODY


def test_teasers_inside_the_body_that_leave_its_topic_are_cut() -> None:
    # other stories' headlines and summaries, with their dates, printed between the article's
    # paragraphs without a section marker
    teasers = []
    for head, summary, day in [
        ("Orchard growers expect record apple harvest", "Growers said the mild weather had helped the trees.", 18),
        ("Jazz festival announces autumn line-up", "Organisers named the singers who will play this year.", 17),
        ("Library extends its opening hours", "Readers can borrow books until nine in the evening.", 16),
    ]:
        teasers += [head, summary, f"Nov {day}, 2023"]
    page = "\n\n".join(BODY[:3] + ["\n".join(teasers)] + BODY[3:])
    res = clean_text(page)
    assert _kept_lines(res.text) == BODY


def test_sentence_with_one_furniture_word_between_paragraphs_is_kept() -> None:
    # the writer addressing the reader with one furniture word ("Facebook") between two
    # paragraphs is the article's sentence; a box piles up its vocabulary or gives orders
    aside = "If you missed the meeting, many residents watched the mayor's speech on Facebook that evening."
    box = "Follow us on Facebook for more news from the harbour."
    page = "\n\n".join(BODY[:2] + [aside] + BODY[2:4] + [box] + BODY[4:])
    res = clean_text(page)
    assert _kept_lines(res.text) == BODY[:2] + [aside] + BODY[2:]
