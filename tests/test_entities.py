"""Entities: the article stage (spaCy corrected), cross-document resolution,
corrections, the CLI and the evaluation's metrics."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from storyline.eval.entities import b_cubed, ceaf_e, conll_scores, muc
from storyline.stages.entities import ClusterRecord, annotate_entities, entity_id, resolve

TEXT = (
    "Kremlin spokesman Dmitry Peskov told reporters on Friday that talks were possible. "
    "Peskov added that Russian President Vladimir Putin was open to negotiations. "
    "US President Joe Biden said he was ready to talk to Putin. "
    "Biden said after talks with French President Emmanuel Macron that the Russian leader had not done that yet. "
    "Russian artillery is targeting the town of Bakhmut, and fighting continues near Kiev."
)


@pytest.fixture(scope="module")
def nlp() -> Any:
    from storyline.settings import Settings
    from storyline.stages.nlp import load_spacy

    return load_spacy(Settings().spacy_model)


def _annotate(nlp: Any, text: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    sdoc = nlp(text)
    ner = [{"start": e.start_char, "end": e.end_char, "text": e.text, "label": e.label_} for e in sdoc.ents]
    return annotate_entities(sdoc, ner)


def _cluster(clusters: list[dict[str, Any]], name: str) -> dict[str, Any]:
    found = [c for c in clusters if c["name"] == name]
    assert found, [c["name"] for c in clusters]
    return found[0]


def test_article_clusters_roles_and_surnames(nlp: Any) -> None:
    ents, clusters = _annotate(nlp, TEXT)
    peskov = _cluster(clusters, "Dmitry Peskov")
    texts = [ents[i]["text"] for i in peskov["mentions"]]
    assert texts.count("Peskov") == 1 and "Dmitry Peskov" in texts
    assert [r["role"] for r in peskov["roles"]] == ["Kremlin spokesman"]
    putin = _cluster(clusters, "Vladimir Putin")
    assert "Putin" in [ents[i]["text"] for i in putin["mentions"]]
    assert any(r["role"] == "Russian President" for r in putin["roles"])
    # the role's offsets point at the role in the text
    r = putin["roles"][0]
    assert TEXT[r["start"] : r["end"]] == r["role"]
    # a leader and his spokesman stay apart; every mention's span matches its text
    assert peskov["id"] != putin["id"]
    for m in ents:
        assert TEXT[m["start"] : m["end"]] == m["text"]
        assert m["cluster"] is not None


def test_titles_are_cut_from_person_spans(nlp: Any) -> None:
    ents, clusters = _annotate(nlp, TEXT)
    biden = _cluster(clusters, "Joe Biden")
    assert all(not ents[i]["text"].startswith("President") for i in biden["mentions"])
    assert any(r["role"] == "US President" for r in biden["roles"])


def test_pronoun_and_description_link_to_people(nlp: Any) -> None:
    ents, clusters = _annotate(nlp, TEXT)
    biden = _cluster(clusters, "Joe Biden")
    kinds = {ents[i]["kind"] for i in biden["mentions"]}
    assert "pronoun" in kinds  # "he was ready to talk"
    putin = _cluster(clusters, "Vladimir Putin")
    assert "the Russian leader" in [ents[i]["text"] for i in putin["mentions"]]


def test_a_pronoun_after_a_quote_means_the_last_subject_not_a_name_in_the_quote(nlp: Any) -> None:
    """A name inside quoted words is someone the quote talks about, and the subject of
    the sentence before outranks a later object: Marsh is who "she" means."""
    text = (
        "Prosecutor Helen Marsh announced on Wednesday that the state would not charge Mrs. Anna Varga. "
        "\u201cThis afternoon I met the auditors who examined Mrs. Varga\u2019s accounts,\u201d she said in a statement.\n\n"
        "Governor Tom Reyes defended the budget on Tuesday. "
        "''We assess it is possible that hostile actors reached Senator Bell\u2019s files,'' he said."
    )
    ents, clusters = _annotate(nlp, text)
    she = next(m for m in ents if m["text"] == "she")
    he = next(m for m in ents if m["text"] == "he")
    marsh = _cluster(clusters, "Helen Marsh")
    reyes = _cluster(clusters, "Tom Reyes")
    assert she in [ents[i] for i in marsh["mentions"]]
    assert he in [ents[i] for i in reyes["mentions"]]


def test_places_after_prepositions_are_places(nlp: Any) -> None:
    ents, _ = _annotate(nlp, TEXT)
    labels = {m["text"]: m["label"] for m in ents}
    assert labels.get("Bakhmut") in {"GPE", "LOC"}
    assert labels.get("Kiev") in {"GPE", "LOC"}


def test_speech_verb_subject_is_a_person(nlp: Any) -> None:
    text = "The minister met the delegation on Monday. Kuleba said the talks went well."
    ents, _ = _annotate(nlp, text)
    assert any(m["text"] == "Kuleba" and m["label"] == "PERSON" for m in ents)


def test_fused_and_garbled_names_join_the_full_name(nlp: Any) -> None:
    text = (
        "Russian senator Konstantin Kosachev said the victory will be theirs. "
        "Later Konstantinkosachev added that Washington must understand this."
    )
    ents, clusters = _annotate(nlp, text)
    people = [c for c in clusters if c["type"] == "PERSON"]
    assert len(people) == 1, [c["name"] for c in people]
    assert people[0]["name"] == "Konstantin Kosachev"


def _rec(key: str, name: str, type_: str = "PERSON", **kw: Any) -> ClusterRecord:
    return ClusterRecord(key=key, article=key.split(":")[0], name=name, type=type_, **kw)


def test_resolve_merges_variants_and_keeps_people_apart() -> None:
    recs = [
        _rec("a:c0", "Volodymyr Zelensky", roles=["Ukrainian President"]),
        _rec("b:c0", "Volodymyr Zelenskyy"),
        _rec("c:c0", "Volodimir Zelenskiy"),
        _rec("d:c0", "Vol odymyr Zelensky"),
        _rec("a:c1", "Andriy Yermak", roles=["chief of staff"]),
        _rec("e:c0", "Andri Yermack"),
        _rec("f:c0", "Zelensky"),
    ]
    roots, conf = resolve(recs)
    assert len({roots[i] for i in (0, 1, 2, 3, 6)}) == 1
    assert roots[4] == roots[5] != roots[0]
    assert all(0 < c <= 1 for c in conf)


def test_two_clusters_of_one_article_stay_apart() -> None:
    # within-article resolution kept them apart: the corpus step must not join them
    recs = [_rec("a:c0", "Maria Lvova"), _rec("a:c1", "Maria Lvovna"), _rec("b:c0", "Maria Lvova")]
    roots, _ = resolve(recs)
    assert roots[0] != roots[1]


def test_ambiguous_surname_needs_context() -> None:
    recs = [
        _rec("a:c0", "Boris Johnson", context={"downingstreet"}),
        _rec("b:c0", "Jo Johnson", context={"universities"}),
        _rec("c:c0", "Johnson"),  # no context: could be either
        _rec("d:c0", "Johnson", context={"universities"}),
    ]
    roots, _ = resolve(recs)
    assert roots[0] != roots[1]
    assert roots[2] not in {roots[0], roots[1]} or roots[3] == roots[1]
    assert roots[3] == roots[1]


def test_entity_ids_are_stable() -> None:
    assert entity_id("Vladimir Putin", "PERSON") == entity_id("Vladimir Putin", "PER")
    assert entity_id("Vladimir Putin", "PERSON") != entity_id("Vladimir Putin", "ORG")
    assert entity_id("Vladimir Putin", "PERSON").startswith("vladimir-putin-")


# -- the store: corpus stage, corrections, CLI ---------------------------------------------


def _store_with_articles(tmp_path: Path, nlp: Any) -> Any:
    from storyline.model import Article
    from storyline.store import open_store

    store = open_store(tmp_path / "s.db")
    texts = {
        "a1": "Kremlin spokesman Dmitry Peskov said on Friday that Russian President Vladimir Putin was open to talks.",
        "a2": "Dmitri Peskov told reporters that Vladimirputin would not retreat. Peskov said more talks were needed.",
        "a3": "Ukrainian President Volodymyr Zelenskyy said Kyiv wanted peace. Zelenskyy spoke in Kyiv on Monday.",
    }
    for aid, text in texts.items():
        ents, clusters = _annotate(nlp, text)
        art = Article(id=aid, source=f"{aid}.txt", text=text)
        art.layers = {"entities": ents, "entity_clusters": clusters}
        peskov = next(c for c in clusters if c["type"] == "PERSON")
        art.layers["quotes"] = [
            {"start": 0, "end": 10, "text": text[:10], "kind": "indirect",
             "speaker": {"entity": None, "name": None, "start": None, "end": None, "text": None,
                         "cluster": peskov["id"]}}
        ]
        store.save_article(art)
    return store


def test_corpus_stage_links_entities_and_quotes(tmp_path: Path, nlp: Any, settings: Any) -> None:
    from storyline.stages.entities import entities_corpus_stage

    store = _store_with_articles(tmp_path, nlp)
    settings = settings.replace(db=str(tmp_path / "s.db"))
    entities_corpus_stage(store, settings, set())
    ents = store.get_corpus("entities")
    links = store.get_corpus("entity_links")
    by_name = {e["name"]: e for e in ents.values()}
    assert "Dmitry Peskov" in by_name or "Dmitri Peskov" in by_name
    peskov = by_name.get("Dmitry Peskov") or by_name["Dmitri Peskov"]
    assert {m["article"] for m in peskov["mentions"]} == {"a1", "a2"}
    assert any(r["role"] == "Kremlin spokesman" for r in peskov["roles"])
    putin = next(e for e in ents.values() if "Putin" in e["name"])
    assert {m["article"] for m in putin["mentions"]} == {"a1", "a2"}
    assert putin["id"] != peskov["id"]
    for key, eid in links.items():
        assert eid in ents and ":" in key
    quotes = store.get_layers("a2", ["quotes"])["quotes"]
    assert quotes[0]["speaker"]["entity"] == peskov["id"]
    assert quotes[0]["speaker"]["name"] == peskov["name"]
    # ids are stable across runs
    entities_corpus_stage(store, settings, set())
    assert set(store.get_corpus("entities")) == set(ents)


def test_corrections_survive_rebuilds(tmp_path: Path, nlp: Any, settings: Any) -> None:
    from storyline.corrections import add_correction, corrections_path, load_corrections
    from storyline.stages.entities import entities_corpus_stage

    store = _store_with_articles(tmp_path, nlp)
    settings = settings.replace(db=str(tmp_path / "s.db"))
    path = corrections_path(settings)
    assert path == Path(f"{settings.db}.corrections.toml")
    add_correction(path, "rename", entity="Volodymyr Zelenskyy", name="Volodymyr Zelensky")
    add_correction(path, "identifier", entity="Volodymyr Zelensky", scheme="wikidata", value="Q3881")
    add_correction(path, "alias", entity="Dmitri Peskov", alias="Peskow")
    add_correction(path, "merge", entities=["Dmitri Peskov", "Vladimir Putin"])
    assert len(load_corrections(path)["rename"]) == 1
    entities_corpus_stage(store, settings, set())
    ents = store.get_corpus("entities")
    zel = next(e for e in ents.values() if e["name"] == "Volodymyr Zelensky")
    assert zel["ids"] == {"wikidata": "Q3881"}
    assert "Volodymyr Zelenskyy" in zel["aliases"]
    merged = [e for e in ents.values() if "Peskow" in e["aliases"]]
    assert len(merged) == 1
    assert {m["article"] for m in merged[0]["mentions"]} == {"a1", "a2"}
    assert not [e for e in ents.values() if e["name"] == "Vladimir Putin"]
    # split it again: the Putin mentions become their own entity
    add_correction(path, "split", entity=merged[0]["id"], names=["Vladimir Putin", "Vladimirputin"])
    entities_corpus_stage(store, settings, set())
    ents = store.get_corpus("entities")
    assert [e for e in ents.values() if e["name"] == "Vladimir Putin"]


def test_bad_corrections_file_names_the_file(tmp_path: Path) -> None:
    from storyline.corrections import load_corrections
    from storyline.errors import StorylineError

    p = tmp_path / "c.toml"
    p.write_text("[[frobnicate]]\nx = 1\n")
    with pytest.raises(StorylineError, match="c.toml"):
        load_corrections(p)


def test_cli_entities_and_correct(tmp_path: Path, nlp: Any, settings: Any) -> None:
    from storyline.commands.entities import correct, entities_cmd
    from storyline.stages.entities import entities_corpus_stage

    store = _store_with_articles(tmp_path, nlp)
    db = str(tmp_path / "s.db")
    entities_corpus_stage(store, settings.replace(db=db), set())
    store.close()
    runner = CliRunner()
    res = runner.invoke(entities_cmd, ["Peskov", "--db", db, "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert len(data) == 1 and "Peskov" in data[0]["name"]
    assert data[0]["mentions_per_article"].keys() == {"a1", "a2"}
    assert len(data[0]["quotes"]) == 2
    res = runner.invoke(entities_cmd, ["--db", db])
    assert res.exit_code == 0 and "Kremlin spokesman" in res.output
    res = runner.invoke(entities_cmd, ["Nobody Atall", "--db", db])
    assert res.exit_code == 1 and "E301" in res.output
    res = runner.invoke(correct, ["rename", "Peskov", "Dmitry S. Peskov", "--db", db])
    assert res.exit_code == 0, res.output
    res = runner.invoke(entities_cmd, ["Dmitry S. Peskov", "--db", db, "--format", "json"])
    assert json.loads(res.output)[0]["name"] == "Dmitry S. Peskov"


# -- metrics ------------------------------------------------------------------------------


def test_coreference_metrics_known_values() -> None:
    key = [[1, 2, 3], [4, 5]]
    assert muc(key, key)[2] == 1.0 and b_cubed(key, key)[2] == 1.0 and ceaf_e(key, key)[2] == 1.0
    resp = [[1, 2], [3, 4, 5]]
    r, p, f = muc(key, resp)  # MUC: recall 2/3, precision 2/3
    assert r == pytest.approx(2 / 3) and p == pytest.approx(2 / 3)
    r, p, f = b_cubed(key, resp)  # (2/3+2/3+1/3+1+1)/5 recall; (1+1+1/3+2/3+2/3)/5 precision
    assert r == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5)
    assert p == pytest.approx((1 + 1 + 1 / 3 + 2 / 3 + 2 / 3) / 5)
    singles = [[1], [2], [3], [4], [5]]
    assert conll_scores(key, singles)["muc"]["f1"] == 0.0
    # mentions the response never found count against recall only
    r, p, _ = b_cubed([[1, 2]], [[1]])
    assert p == 1.0 and r == pytest.approx(0.5 * 0.5 + 0.5 * 0.5)


def test_noisy_name_set_goals() -> None:
    from storyline.eval.entities import evaluate_noisy

    r = evaluate_noisy(n_people=300, variants=3, seed=3)
    assert r["variant_recall"] >= 0.93
    assert r["false_merge_rate"] <= 0.02


@pytest.mark.slow
def test_ecbplus_eval_floor() -> None:
    from storyline.errors import StorylineError
    from storyline.eval import gold_path
    from storyline.eval.entities import evaluate_ecb

    try:
        root = gold_path("entities", "events", "ecbplus")
    except StorylineError as exc:
        pytest.skip(f"ECB+ gold data absent: {exc}")
    r = evaluate_ecb(root, topics=["23", "24", "25"])
    assert r["found"]["conll_f1"] >= 0.6


def test_person_shortened_to_surname_is_a_person(nlp: Any) -> None:
    # whatever spaCy calls "Paul Riva", an article that later says "Riva" alone means a person
    from storyline.stages.entities import detect_mentions

    text = "Defense lawyer Paul Riva spoke to the court. Riva said his client was innocent. Riva left."
    sdoc = nlp(text)
    ner = [{"start": 15, "end": 24, "text": "Paul Riva", "label": "ORG"},
           {"start": 45, "end": 49, "text": "Riva", "label": "ORG"}]
    labels = {m.text: m.label for m in detect_mentions(sdoc, ner)}
    assert labels["Paul Riva"] == "PERSON" and labels["Riva"] == "PERSON"


def test_quoted_nickname_is_not_part_of_the_name() -> None:
    recs = [_rec("a:c0", 'Vincent "The Chin" Gigante'), _rec("b:c0", "Vincent Gigante")]
    roots, _ = resolve(recs)
    assert roots[0] == roots[1]


def test_named_speaker_without_a_cluster_links_to_the_one_person_of_that_name() -> None:
    from storyline.model import Article
    from storyline.stages.entities import update_quote_speakers
    from storyline.store import open_store

    store = open_store(":memory:")
    a = Article(id="a", source="a.txt", text="The Ledger quoted Cleverly as saying that talks would fail.")
    a.layers["quotes"] = [{"start": 31, "end": 58, "text": "talks would fail", "kind": "indirect",
                           "speaker": {"entity": None, "cluster": None, "name": "Cleverly", "start": 18, "end": 26,
                                       "text": "Cleverly"}}]
    store.save_article(a)
    entities = {
        "james-cleverly-1": {"id": "james-cleverly-1", "name": "James Cleverly", "type": "PERSON", "aliases": []},
        "mara-velt-1": {"id": "mara-velt-1", "name": "Mara Velt", "type": "PERSON", "aliases": []},
        "tom-velt-1": {"id": "tom-velt-1", "name": "Tom Velt", "type": "PERSON", "aliases": []},
    }
    update_quote_speakers(store, entities, {})
    sp = store.get_layers("a", ["quotes"])["quotes"][0]["speaker"]
    assert (sp["entity"], sp["name"]) == ("james-cleverly-1", "James Cleverly")
    # two people share the surname: no guess
    a.layers["quotes"][0]["speaker"] = {"entity": None, "cluster": None, "name": "Velt", "start": 18, "end": 26, "text": "Velt"}
    store.save_article(a)
    update_quote_speakers(store, entities, {})
    assert store.get_layers("a", ["quotes"])["quotes"][0]["speaker"]["entity"] is None


def test_untagged_surname_of_a_named_person_is_a_mention(nlp: Any) -> None:
    """spaCy tags "Livia Osterhaus" but not "Osterhaus" after a title; the surname of a
    person the article names in full is that person, and "she" then finds her."""
    text = (
        "In a ruling on Thursday, Justice Livia Osterhaus rejected the request for an injunction. "
        "The company's lawyer, Edvard Lamm, told the court that the strike was unlawful. "
        "Justice Osterhaus disagreed. In her written judgment she said the ballot was valid."
    )
    ents, clusters = _annotate(nlp, text)
    start = text.index("Osterhaus disagreed")
    m = [e for e in ents if e["start"] == start]
    assert m and m[0]["label"] == "PERSON", [(e["text"], e["label"]) for e in ents]
    she = [e for e in ents if e["text"] == "she"]
    assert she and she[0]["cluster"] == m[0]["cluster"]


def test_a_name_after_an_office_is_a_person(nlp: Any) -> None:
    """spaCy's small model calls "Helena Varga" an ORG after "Transport Minister"; the
    office before the name makes it a person, so "she" in the next sentence finds her."""
    text = (
        "Company chief Brandt Ekholm said he expected normal operations soon. "
        "Transport Minister Helena Varga welcomed the return. In a message on social media she thanked the negotiators."
    )
    ents, _ = _annotate(nlp, text)
    varga = [e for e in ents if e["text"] == "Helena Varga"]
    assert varga and varga[0]["label"] == "PERSON", [(e["text"], e["label"]) for e in ents]
    she = [e for e in ents if e["text"] == "she"]
    assert she and she[0]["cluster"] == varga[0]["cluster"]


def test_a_surname_ending_another_is_another_name(nlp: Any) -> None:
    """"Holm" is not "Ekholm": noise drops letters inside a name, not its beginning."""
    from storyline.names import TOKEN_MATCH, person_match, token_similarity

    assert token_similarity("Holm", "Ekholm") < TOKEN_MATCH
    assert person_match("Holm", "Brandt Ekholm") < 0.84 * 0.7
    assert token_similarity("Mirenco", "Mirenko") >= TOKEN_MATCH  # a changed letter still is noise
    ents, clusters = _annotate(
        nlp, "Brandt Ekholm called the walkout reckless. “Some firms will not survive this month,” Holm said."
    )
    ekholm = _cluster(clusters, "Brandt Ekholm")
    assert not any(ents[i]["text"] == "Holm" for i in ekholm["mentions"])


def test_bare_surname_speaker_takes_the_full_name_of_its_article() -> None:
    """A speaker called "Calloway" whose entity is that surname alone (the tagger typed the
    two mentions differently) becomes the one entity of its article named "... Calloway"."""
    from storyline.stages.entities import update_quote_speakers

    class FakeStore:
        def __init__(self) -> None:
            self.saved: dict[str, list[dict[str, Any]]] = {}

        def iter_layer(self, name: str) -> Any:
            quote = {"speaker": {"cluster": "c2", "name": "Calloway", "text": "Calloway", "start": 0, "end": 8}}
            return iter([("a1", [quote])])

        def save_quotes(self, aid: str, quotes: list[dict[str, Any]]) -> None:
            self.saved[aid] = quotes

    entities = {
        "ines": {"name": "Ines Calloway", "type": "GPE"},
        "calloway": {"name": "Calloway", "type": "ORG"},
        "other": {"name": "Ada Calloway", "type": "PERSON"},  # another article's: not a candidate
    }
    links = {"a1:c1": "ines", "a1:c2": "calloway", "a2:c1": "other"}
    store = FakeStore()
    update_quote_speakers(store, entities, links)  # type: ignore[arg-type]
    sp = store.saved["a1"][0]["speaker"]
    assert (sp["entity"], sp["name"]) == ("ines", "Ines Calloway")


def test_modifier_inside_a_person_span_is_stripped_but_no_role(nlp: Any) -> None:
    text = "Democrats beat the incumbent in a state Halvorsen won by 30 points. Halvorsen said nothing."
    sdoc = nlp(text)
    start = text.index("state Halvorsen")
    ner = [{"start": start, "end": start + len("state Halvorsen"), "text": "state Halvorsen", "label": "PERSON"}]
    ents, clusters = annotate_entities(sdoc, ner)
    halvorsen = _cluster(clusters, "Halvorsen")
    assert halvorsen["roles"] == []
    assert all(ents[i]["text"] == "Halvorsen" for i in halvorsen["mentions"])


def test_a_pronoun_in_a_reported_clause_means_the_reporting_subject(nlp: Any) -> None:
    """"Brandt said he was ready ... if his counterpart ...": the subject of the verb the
    clause hangs on, not the first subject of the sentence; a description that is a
    subject ("the chancellor") passes its person on to "his"."""
    text = (
        "The ministry said that Premier Ivo Kask was open to talks, a day after Chancellor Paul Brandt said "
        "he was ready for dialogue if his Estonian counterpart wanted it. "
        "In March the chancellor described his counterpart as stubborn."
    )
    ents, clusters = _annotate(nlp, text)
    brandt = [ents[i] for i in _cluster(clusters, "Paul Brandt")["mentions"]]
    pronouns = [m for m in ents if m["kind"] == "pronoun"]
    assert [m["text"] for m in pronouns] == ["he", "his", "his"]
    assert all(m in brandt for m in pronouns)


def test_a_name_with_an_apostrophe_that_speaks_is_a_person_and_quoted_subjects_are_not_speakers(nlp: Any) -> None:
    """The tagger may call "D’Arcy" a noun; as the subject of "replied" it is a person.  A
    hashtag closing a quoted tweet, parsed as a second subject of "wrote", is not whom
    "he" means."""
    text = (
        "After the host asked the writer who he thought would win the presidency, O’Farrow replied, "
        "“If I had to bet now, I would bet on Hill.”\n\n"
        "Then there is Senator Anders Lindqvist.\n\n"
        "“Kind of bewildering, this strategy. #Justsayit,” he wrote last October."
    )
    ents, clusters = _annotate(nlp, text)
    assert any(m["text"] == "O’Farrow" and m["label"] == "PERSON" for m in ents)
    he = [m for m in ents if m["text"] == "he"][-1]
    assert he in [ents[i] for i in _cluster(clusters, "Anders Lindqvist")["mentions"]]


def test_a_pronoun_in_a_preposed_adverbial_clause_means_the_main_subject(nlp: Any) -> None:
    """"Months after he mocked her online, Paul Brandt met Ana Kask": the adverbial clause
    set before its main clause looks forward to the main clause's subject."""
    text = (
        "Chancellor Paul Brandt and Premier Ana Kask: the budget.\n\n"
        "Months after he mocked her online, Chancellor Paul Brandt met Premier Ana Kask in Tallinn."
    )
    ents, clusters = _annotate(nlp, text)
    he = next(m for m in ents if m["text"] == "he")
    assert he in [ents[i] for i in _cluster(clusters, "Paul Brandt")["mentions"]]


def test_a_prefix_glued_to_a_name_is_not_part_of_it() -> None:
    from storyline.stages.entities import _clean_span

    text = "the pro-Brandt vote and the anti-Kask camp"
    s = text.index("pro-")
    assert text[slice(*_clean_span(text, s, s + len("pro-Brandt")))] == "Brandt"
    s = text.index("anti-")
    assert text[slice(*_clean_span(text, s, s + len("anti-Kask")))] == "Kask"
    s = text.index("the pro")
    assert text[slice(*_clean_span(text, s, s + len("the pro-Brandt")))] == "Brandt"


def test_mr_and_mrs_with_one_surname_are_two_people(nlp: Any) -> None:
    """A courtesy title just outside the tagger's span still tells whom a bare surname
    means: "Mr. Varga" is not the person called "Mrs. Varga"."""
    text = (
        "Anna Varga spoke in Pécs. Mrs. Varga said the plan was ready. Former Mayor Bela Varga joined her later. "
        "Mr. Varga praised the crowd, and Mrs. Varga thanked him."
    )
    ents, clusters = _annotate(nlp, text)
    anna = [ents[i]["start"] for i in _cluster(clusters, "Anna Varga")["mentions"]]
    bela = [ents[i]["start"] for i in _cluster(clusters, "Bela Varga")["mentions"]]
    assert text.index("Varga praised") in bela and text.rindex("Varga thanked") in anna
