"""ROUGE-N counts as ROUGE-1.5.5 computes them, and the timeline ROUGE variants of tilse.

Tokenisation follows ROUGE-1.5.5 with ``-m -s`` (what tilse runs): lowercase, hyphens
split off, every character outside ``[A-Za-z0-9-]`` becomes a space, a summary's sentences
are joined (bigrams cross sentence ends), tokens must start with ``[a-z0-9$]``,
the SMART common-word list of ROUGE (``data/smart_common_words.txt``) is removed, and
tokens longer than three characters are Porter-stemmed.  ROUGE also consults a WordNet
exception list before stemming (irregular forms such as ``went -> go``); that list is not
reproduced here.  ``bench/rouge_check.py`` runs the Perl script the way tilse does and
compares: 168 of 172 count triples identical on three Timeline17 timelines, align+ m:1
F1 equal to 3 decimals (one ROUGE-2 value 0.0740 vs 0.0731).

The timeline metrics follow tilse (Martschat & Markert 2017): ``align+ m:1``
(``evaluate_align_date_content_costs_many_to_one``): every predicted date is mapped to
the reference date of least cost ``(1 - 1/(|d_p - d_r| + 1)) * (1 - ROUGE-1 approx)``
(and every reference date to a predicted date for recall); matched counts are weighted by
``1/(|d_p - d_r| + 1)``; unmatched dates count with no hits.  Micro-averaged over dates.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache

# ROUGE-1.5.5 data/smart_common_words.txt (598 lines), the list ``-s`` removes.
_SMART = """
reuters ap jan feb mar apr may jun jul aug sep oct nov dec tech news index mon tue wed thu fri sat 's a a's
able about above according accordingly across actually after afterwards again against ain't all allow allows
almost alone along already also although always am amid among amongst an and another any anybody anyhow anyone
anything anyway anyways anywhere apart appear appreciate appropriate are aren't around as aside ask asking
associated at available away awfully b be became because become becomes becoming been before beforehand behind
being believe below beside besides best better between beyond both brief but by c c'mon c's came can can't
cannot cant cause causes certain certainly changes clearly co com come comes concerning consequently consider
considering contain containing contains corresponding could couldn't course currently d definitely described
despite did didn't different do does doesn't doing don't done down downwards during e each edu eg e.g. eight
either else elsewhere enough entirely especially et etc etc. even ever every everybody everyone everything
everywhere ex exactly example except f far few fifth five followed following follows for former formerly forth
four from further furthermore g get gets getting given gives go goes going gone got gotten greetings h had
hadn't happens hardly has hasn't have haven't having he he's hello help hence her here here's hereafter hereby
herein hereupon hers herself hi him himself his hither hopefully how howbeit however i i'd i'll i'm i've ie
i.e. if ignored immediate in inasmuch inc indeed indicate indicated indicates inner insofar instead into
inward is isn't it it'd it'll it's its itself j just k keep keeps kept know knows known l lately later latter
latterly least less lest let let's like liked likely little look looking looks ltd m mainly many may maybe me
mean meanwhile merely might more moreover most mostly mr. ms. much must my myself n namely nd near nearly
necessary need needs neither never nevertheless new next nine no nobody non none noone nor normally not
nothing novel now nowhere o obviously of off often oh ok okay old on once one ones only onto or other others
otherwise ought our ours ourselves out outside over overall own p particular particularly per perhaps placed
please plus possible presumably probably provides q que quite qv r rather rd re really reasonably regarding
regardless regards relatively respectively right s said same saw say saying says second secondly see seeing
seem seemed seeming seems seen self selves sensible sent serious seriously seven several shall she should
shouldn't since six so some somebody somehow someone something sometime sometimes somewhat somewhere soon
sorry specified specify specifying still sub such sup sure t t's take taken tell tends th than thank thanks
thanx that that's thats the their theirs them themselves then thence there there's thereafter thereby
therefore therein theres thereupon these they they'd they'll they're they've think third this thorough
thoroughly those though three through throughout thru thus to together too took toward towards tried tries
truly try trying twice two u un under unfortunately unless unlikely until unto up upon us use used useful uses
using usually uucp v value various very via viz vs w want wants was wasn't way we we'd we'll we're we've
welcome well went were weren't what what's whatever when whence whenever where where's whereafter whereas
whereby wherein whereupon wherever whether which while whither who who's whoever whole whom whose why will
willing wish with within without won't wonder would would wouldn't x y yes yet you you'd you'll you're you've
your yours yourself yourselves z zero

"""
STOPWORDS: frozenset[str] = frozenset(_SMART.split())

_NON_WORD = re.compile(r"[^A-Za-z0-9\-]")
_STARTS_OK = re.compile(r"^[a-z0-9$]")


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    try:
        import snowballstemmer  # type: ignore[import-untyped]
    except ImportError as exc:  # pragma: no cover - scores without stemming would not be ROUGE's
        from storyline.errors import E, StorylineError

        raise StorylineError(
            E.MISSING_PACKAGE, package="snowballstemmer", purpose="ROUGE's Porter stemming",
            install="snowballstemmer==3.1.1",
        ) from exc
    return snowballstemmer.stemmer("porter")


@lru_cache(maxsize=200_000)
def _stem(token: str) -> str:
    if len(token) <= 3:
        return token
    st = _stemmer()
    return str(st.stemWord(token))


def rouge_tokens(sentence: str, stem: bool = True, stopwords: bool = True) -> list[str]:
    """The tokens ROUGE-1.5.5 (-m -s) counts for one sentence."""
    text = _NON_WORD.sub(" ", sentence.lower().replace("-", " - "))
    out = []
    for tok in text.split():
        if stopwords and tok in STOPWORDS:
            continue
        if not _STARTS_OK.match(tok):
            continue
        out.append(_stem(tok) if stem else tok)
    return out


def ngrams(sentences: Iterable[str], n: int) -> Counter[tuple[str, ...]]:
    """N-gram counts of a summary; ROUGE-1.5.5 joins its sentences first, so n-grams cross them."""
    toks = [t for s in sentences for t in rouge_tokens(s)]
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def rouge_counts(pred: Sequence[str], ref: Sequence[str], n: int) -> tuple[int, int, int]:
    """(hits, predicted n-grams, reference n-grams) for one summary against one reference."""
    p, r = ngrams(pred, n), ngrams(ref, n)
    hits = sum(min(v, r[g]) for g, v in p.items() if g in r)
    return hits, sum(p.values()), sum(r.values())


def f_score(p: float, r: float, beta: float = 1.0) -> float:
    return 0.0 if p + r == 0 else (1 + beta**2) * p * r / (beta**2 * p + r)


def _rouge1_approx(pred: Sequence[str], ref: Sequence[str]) -> float:
    """tilse ``util.compute_rouge_approximation`` (whitespace tokens, one reference)."""
    pc: Counter[str] = Counter(t for s in pred for t in s.split())
    rc: Counter[str] = Counter(t for s in ref for t in s.split())
    match = sum(min(v, rc[t]) for t, v in pc.items())
    np_, nr = sum(pc.values()), sum(rc.values())
    p = match / np_ if np_ else 0.0
    r = match / nr if nr else 0.0
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


Timeline = dict[date, list[str]]


def _costs(a_dates: list[date], b_dates: list[date], pred: Timeline, ref: Timeline, axis: int) -> list[list[float]]:
    rows = []
    for s in a_dates:
        row = []
        for t in b_dates:
            dp, dr = (s, t) if axis == 0 else (t, s)
            date_factor = 1 - 1 / (abs(dp.toordinal() - dr.toordinal()) + 1)
            row.append(date_factor * (1 - _rouge1_approx(pred[dp], ref[dr])))
        rows.append(row)
    return rows


def _argmin(row: list[float]) -> int:
    best, idx = row[0], 0
    for i, v in enumerate(row):
        if v < best:
            best, idx = v, i
    return idx


def align_m1(pred: Timeline, ref: Timeline, ns: Sequence[int] = (1, 2)) -> dict[str, dict[str, float]]:
    """tilse ``align+ m:1`` ROUGE-N precision/recall/F for one predicted and one reference timeline."""
    pdates, rdates = sorted(pred), sorted(ref)
    out: dict[str, dict[str, float]] = {}
    prec_map = {}
    rec_map = {}
    if pdates and rdates:
        pc = _costs(pdates, rdates, pred, ref, 0)
        prec_map = {i: _argmin(row) for i, row in enumerate(pc)}
        rc = _costs(rdates, pdates, pred, ref, 1)
        rec_map = {i: _argmin(row) for i, row in enumerate(rc)}
    for n in ns:
        pn = pd = rn = rd = 0.0
        for i, dp in enumerate(pdates):
            if i in prec_map:
                dr = rdates[prec_map[i]]
                h, np_, _ = rouge_counts(pred[dp], ref[dr], n)
                pn += h / (abs(dp.toordinal() - dr.toordinal()) + 1)
                pd += np_
            else:
                pd += sum(ngrams(pred[dp], n).values())
        for i, dr in enumerate(rdates):
            if i in rec_map:
                dp = pdates[rec_map[i]]
                h, _, nr = rouge_counts(pred[dp], ref[dr], n)
                rn += h / (abs(dp.toordinal() - dr.toordinal()) + 1)
                rd += nr
            else:
                rd += sum(ngrams(ref[dr], n).values())
        p = pn / pd if pd else 0.0
        r = rn / rd if rd else 0.0
        out[f"rouge_{n}"] = {"precision": p, "recall": r, "f_score": f_score(p, r)}
    return out


def concat_rouge(pred: Timeline, ref: Timeline, ns: Sequence[int] = (1, 2)) -> dict[str, dict[str, float]]:
    """tilse ``concat``: ROUGE of all daily summaries put together."""
    ps = [s for d in sorted(pred) for s in pred[d]]
    rs = [s for d in sorted(ref) for s in ref[d]]
    out = {}
    for n in ns:
        h, np_, nr = rouge_counts(ps, rs, n)
        p = h / np_ if np_ else 0.0
        r = h / nr if nr else 0.0
        out[f"rouge_{n}"] = {"precision": p, "recall": r, "f_score": f_score(p, r)}
    return out


def date_f1(pred: Iterable[date], ref: Iterable[date]) -> dict[str, float]:
    """news-tls date selection scores: exact date overlap."""
    ps, rs = set(pred), set(ref)
    shared = len(ps & rs)
    p = shared / len(ps) if ps else 0.0
    r = shared / len(rs) if rs else 0.0
    return {"precision": p, "recall": r, "f_score": f_score(p, r)}
