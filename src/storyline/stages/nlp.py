"""The spaCy stage: sentences, tokens and raw NER over the clean text.

The pipeline is loaded once per process (per worker) and cached.  Only installed
packages are loaded: nothing is downloaded at run time.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from spacy.language import Language

from storyline.errors import E, StorylineError
from storyline.settings import Settings
from storyline.stages import ArticleDoc, article_stage

_NLP: dict[str, Any] = {}

# spaCy refuses texts above nlp.max_length; articles are far shorter, but the reader
# limit (Settings.max_bytes) can admit up to 10 MB.
_MAX_LENGTH = 12_000_000


@Language.component("storyline_line_breaks")
def line_breaks(doc: Any) -> Any:
    """A line break ends a sentence: titles, bullets and paragraphs never run together."""
    after_break = False
    for i, tok in enumerate(doc):
        if i > 0 and after_break and not tok.is_space:
            tok.is_sent_start = True
            after_break = False
        if "\n" in tok.text_with_ws and (tok.is_space or tok.whitespace_ == "\n" or "\n" in tok.whitespace_):
            after_break = True
        elif not tok.is_space:
            after_break = False
    return doc


def load_spacy(name: str) -> Any:
    """Load (once per process) the spaCy pipeline installed as package ``name``."""
    nlp = _NLP.get(name)
    if nlp is not None:
        return nlp
    import spacy

    if importlib.util.find_spec(name) is None and not name.startswith("blank:"):
        raise StorylineError(E.SPACY_MODEL, name=name, install=name.replace("_", "-"))
    if name.startswith("blank:"):
        nlp = spacy.blank(name.split(":", 1)[1])
        nlp.add_pipe("sentencizer")
    else:
        nlp = spacy.load(name)
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("storyline_line_breaks", before="parser")
    _split_glued_quote_marks(nlp)
    nlp.max_length = _MAX_LENGTH
    _NLP[name] = nlp
    return nlp


# A quotation mark glued to a word by careless typing or flattening (',”Clinton said',
# 'said:“We', 'over.”Smith'): spaCy keeps 'win,”Clinton' as one token, so the speaker's
# name is lost to the parser and the tagger.  Split off the punctuation between a word and
# the mark, and the mark between punctuation and a word.  Apostrophes are left alone.
_GLUED_QUOTE_INFIXES = (
    r"""(?<=[A-Za-z0-9)])[,.!?:;](?=["“”])""",
    r"""(?<=[,.!?:;])["“”](?=\w)""",
)


def _split_glued_quote_marks(nlp: Any) -> None:
    from spacy.util import compile_infix_regex

    infixes = [*nlp.Defaults.infixes, *_GLUED_QUOTE_INFIXES]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


def sentence_layer(doc: Any) -> list[dict[str, Any]]:
    """Sentence spans trimmed to their first and last non-space character."""
    out = []
    text = doc.text
    for s in doc.sents:
        start, end = s.start_char, s.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append({"start": start, "end": end})
    return out


@article_stage("nlp")
def nlp_stage(doc: ArticleDoc, settings: Settings) -> None:
    nlp = load_spacy(settings.spacy_model)
    sdoc = nlp(doc.article.text)
    doc.spacy = sdoc
    doc.article.layers["sentences"] = sentence_layer(sdoc)
    doc.article.layers["ner"] = [
        {"start": e.start_char, "end": e.end_char, "text": e.text, "label": e.label_} for e in sdoc.ents
    ]
