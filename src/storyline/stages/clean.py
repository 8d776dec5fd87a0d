"""Boilerplate removal for text that was already flattened from a web page.

The input is plain text (one paragraph a line, or paragraphs separated by blank lines)
that still carries the page around the article: breadcrumbs, "1 min read", newsletter
boxes, privacy notices, template residue, share prompts, author boxes, comment forms and
lists of related stories.  The cleaner works from general signals only:

* **line shape**: prose (long, sentence-final punctuation) against short navigation-like
  fragments, breadcrumbs, bare dates, template residue (``{{#x}}``, ``<div>``);
* **vocabulary**: calls to action and page furniture (subscribe, sign up, share, cookies,
  read more, comments...), second-person address to the reader, links and e-mails;
* **position**: the article body is found as the contiguous run of lines with the highest
  score (prose counts for it, boilerplate against it: the "body text extraction" idea of
  Finn et al. applied to lines), so related-story lists and teasers after a section
  marker ("More stories", "Read more", "Comments") fall outside it even when they read
  like news; inside the body only flagged blocks are cut, so paragraphs after a
  newsletter box stay; a short article under its dateline or byline is taken over a
  heavier block further down (a comments policy, an author's biography);
* **repetition**: line keys seen in many documents of the corpus (``repeated``), and
  within the page: a headline printed twice in a row is a story card (its summary goes
  with it), a paragraph printed twice in a row a slideshow caption;
* **coherence**: prose lines are weighted by the lexical overlap of their content words
  (function words of several languages left out) with the body before the first section
  marker, so a list of other stories after "Related posts" cannot vouch for itself;
  a heading made of the body's words over items with figures is the article's own list.

Hard-wrapped paragraphs (a long line stopping mid-sentence, the next starting in lower
case) are joined and scored as one line.  Section markers, dates and closing furniture
are recognised in several languages; a caption followed by a credit line ("Jane Doe |
Agency"), a wire caption dating its scene ("..., Spain, Tuesday, Nov. 19, 2019."), a
byline split over two lines and a company's standard description closing a press release
are cut, and so are, inside the body, a story card whose summary is cut off above its
"Read more" button and a site's notice that speaks as the site ("we", "our") in furniture
vocabulary about nothing the article is about.

Lines that carry metadata (title, byline, outlet, dateline) become metadata.  Every
removed block is recorded with offsets into the raw text and a reason, and
``[stages.clean] keep = [regex, ...]`` protects lines a user wants kept.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from storyline.settings import Settings
from storyline.stages import ArticleDoc, article_stage


# --------------------------------------------------------------------------- vocabulary
def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Page-furniture vocabulary (general web conventions, several languages' English forms).
_CTA = re.compile(
    r"\b(?:sign[ -]?up|sign[ -]?in|log[ -]?in|log[ -]?out|subscribe[ds]?|unsubscribe|"
    r"newsletters?|subscriptions?|inbox|privacy (?:notice|policy|statement|settings)|cookies?|cookie policy|"
    r"terms (?:of|and) (?:use|service|conditions)|terms & conditions|all rights reserved|copyright|"
    r"advertis(?:e|ement|ing)|sponsored|promoted|affiliate|"
    r"read more|read next|read also|see also|load more|show more|view more|see more|more stories|"
    r"more news|related (?:articles?|stories|news|posts?|topics|content|coverage)|recommended|"
    r"you (?:may|might) (?:also )?like|don'?t miss|most (?:read|popular|viewed|shared)|trending|"
    r"top stories|latest news|editor'?s picks?|"
    r"share (?:this|on|via|article|story)|share|tweet|whatsapp|facebook|twitter|linkedin|telegram|"
    r"instagram|youtube|pinterest|reddit|follow us|follow (?:the|our)|join (?:us|our)|"
    r"leave a (?:comment|reply)|post a comment|comments?|reply|replies|add comment|"
    r"click(?:ing)? here|tap here|continue reading|photo by|"
    r"download (?:the|our) app|get the app|app store|google play|"
    r"e-?mail(?:ed)?|contact us|feedback|captcha|recaptcha|javascript|browser|"
    r"skip to (?:content|main)|back to top|menu|search|home|homepage|"
    r"min(?:ute)?s? read|reading time|listen to (?:this )?article|print|"
    r"getty images|shutterstock|caption|"
    r"akismet|spam|donate|support (?:us|our)|paywall|premium|free trial|unlimited access|"
    r"cancel (?:at )?any ?time|(?:promo|offer|discount|coupon) code|"
    r"(?:registered )?trademarks?|this (?:web ?site|site|page)|disclaimer|written permission|reproduced|"
    r"fair dealing|for (?:general )?information(?:al)? purposes|not intended to|subject to copyright|"
    r"consult (?:your|a) (?:physician|doctor)|affiliate links?|commission|i (?:agree|accept|consent))\b|"
    r"\b(?:photo|image|picture|credit|video)s?\s*[:/]",
    # matched on lower-cased text (much faster than IGNORECASE)
)
# One word of each of _CTA's alternatives: a line with none of them cannot match it (a
# cheap set test before the expression).  Keep in step with _CTA.
_CTA_TRIGGERS = _wordset(
    """sign signup signin log login logout mail subscribe subscribed subscribes unsubscribe newsletter newsletters
    subscription subscriptions inbox privacy cookie cookies terms reserved copyright advertise advertisement
    advertising sponsored promoted affiliate read next also see load show view more stories news related
    recommended like miss most popular viewed shared trending top latest picks pick share tweet whatsapp
    facebook twitter linkedin telegram instagram youtube pinterest reddit follow join comment comments reply
    replies click clicking tap continue photo download app play email e-mail emailed e-mailed contact feedback
    captcha recaptcha javascript browser skip menu search home homepage min mins minute minutes reading listen
    print getty shutterstock caption akismet spam donate support paywall premium trial trademark trademarks
    website web site page disclaimer permission agree accept consent reproduced dealing purposes intended consult commission
    unlimited cancel promo offer discount coupon
    photos image images picture pictures credit credits video videos post"""
)
# Markers that open a section after which the page stops being the article.
_SECTION = re.compile(
    r"^\W*(?:read more|more (?:stories|news|from|on|in|about|articles|videos|like this)(?: \S+){0,3}|related(?: \w+){0,2}|"
    r"recommended(?: \w+){0,2}|you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|"
    r"(?:most )?(?:popular|read|viewed)(?: \w+){0,2}|trending(?: \w+){0,2}|top stories|"
    r"latest(?: \w+){0,2}|show more|load more|see (?:more|also)|also read|read also|read next|"
    r"(?:\d+ )?comments?(?: \(\d+\))?|leave a (?:comment|reply)|post a comment|join the (?:discussion|conversation)|"
    r"\d+\s+(?:comments?|responses?|replies|reactions?|thoughts?)\b.{0,120}|"
    r"about(?: the)? \S+(?: \S+){0,2}|explore further|more information|further reading|citation|provided by|"
    r"about the author|author|tags?|topics?|filed under|share(?: this)?(?: \w+)?|follow us(?: on)?(?: \w+)?)"
    r"\W*$",
    re.IGNORECASE,
)
# The same markers in other languages (related posts, read also, comments, about the author)
_SECTION_ML = re.compile(
    r"^\W*(?:(?:posts?|artigos?|art[ií]culos?|not[ií]cias?|mat[ée]rias?|articles?|articoli|notizie|artikel|berita|"
    r"beitr[äa]ge|nachrichten|publica[cç][õo]es|entradas|related|gerelateerde artikelen)\s+"
    r"(?:relacionad[oa]s|relacionad[oa]s?|similares|semelhantes|similaires|li[ée]e?s|correlat[ie]|simili|terkait|"
    r"lainnya|[äa]hnliche?|verwandte|zum thema|recomendad[oa]s)|"
    r"(?:[äa]hnliche|verwandte|weitere|mehr)\s+(?:artikel|beitr[äa]ge|nachrichten|themen)(?:\s+zum\s+thema)?|"
    r"mehr zum thema|das k[öo]nnte (?:sie|dich) auch interessieren|auch interessant|lesen sie auch|"
    r"leia (?:tamb[ée]m|mais)|veja (?:tamb[ée]m|mais)|saiba mais|mais (?:lidas?|not[ií]cias|vistas)|"
    r"lea (?:tambi[ée]n|m[áa]s)|lee (?:tambi[ée]n|m[áa]s)|te puede interesar|m[áa]s (?:le[ií]d[oa]s|noticias|visto)|"
    r"tambi[ée]n te puede interesar|(?:[àa] )?lire (?:aussi|[ée]galement)|voir aussi|sur le m[êe]me sujet|"
    r"voc[êe] (?:tamb[ée]m )?(?:pode|poder[áa]) (?:gostar|se interessar)(?: tamb[ée]m)?(?: de)?|talvez voc[êe] goste|"
    r"recomendad[oa]s para voc[êe]|(?:tamb[ée]m )?te puede (?:gustar|interesar)|quiz[áa]s te interese|"
    r"vous (?:aimerez|pourriez aimer) (?:aussi|[ée]galement)|ti potrebbe(?:ro)? (?:interessare|piacere)|"
    r"das k[öo]nnte (?:sie|dich) auch interessieren|dit vind je misschien ook leuk|anda mungkin (?:juga )?suka|"
    r"otras noticias|outras not[ií]cias|autres (?:articles|actualit[ée]s|informations)|altre notizie|"
    r"andere (?:artikel|nachrichten)|meer (?:artikelen|berichten)|berita lainnya|artikel lainnya|"
    r"mehr (?:aus|von|zu|zur|zum|über)(?: [^\d\s]\S*){1,2}|"
    r"les plus lus|leggi anche|potrebbe interessarti|pi[uù] lett[ie]|lees ook|meer nieuws|baca juga|"
    r"coment[áa]rios?|kommentare?|commentaires?|commenti|reacties|komentar|"
    r"deixe (?:um|seu) coment[áa]rio|deja (?:un|tu) comentario|laisser un commentaire|schreibe einen kommentar|"
    r"lascia un commento|sobre (?:o autor|el autor|\S+(?: \S+)?)|[üu]ber (?:den autor|die autorin|\S+(?: \S+)?)|"
    r"[àa] propos(?: de \S+(?: \S+)?)?|acerca de(?: \S+)?|tags|etiquetas|schlagw[öo]rter|"
    r"compartilh[ae](?: isso| esta| este)?|compartir|comparte|teilen|partager|condividi|"
    r"читайте также|похожие (?:статьи|новости)|комментарии|関連記事|相关文章|相關文章|评论)"
    r"\W*$",
    re.IGNORECASE,
)
# A copyright notice opens with the sign or the word ("© 2024 Agency", "Copyright 2024 …").
_COPYRIGHT_LINE = re.compile(r"^\W{0,3}(?:©|copyright\b(?=.*(?:\b\d{4}\b|rights reserved)))", re.IGNORECASE)
# The notice part of _CTA's vocabulary (legal and site notices, not offers to the reader)
_NOTICE = re.compile(
    r"privacy|cookie|terms|rights reserved|copyright|trademark|this (?:web ?site|site|page)|disclaimer|"
    r"permission|reproduced|fair dealing|purposes|not intended|consult|affiliate|commission|i (?:agree|accept|consent)"
)


def _notice(matches: list[str]) -> bool:
    """Two different notice phrases among a line's furniture vocabulary."""
    return len({m for m in matches if _NOTICE.search(m)}) >= 2


def _legal(matches: list[str]) -> bool:
    """Four notice phrases, three of them different ("Copyright ... All rights reserved ...
    registered trademark ... Disclaimer")."""
    notices = [m for m in matches if _NOTICE.search(m)]
    return len(notices) >= 4 and len(set(notices)) >= 3


_IMPERATIVE = re.compile(
    r"^\W*(?:subscribe|sign up|register|download|click|tap|follow us|like us|join us|get (?:the|our) (?:app|newsletter)|"
    r"get (?:unlimited )?access|claim your)\b"
)
_TEMPLATE = re.compile(
    r"\[/[a-z_]+\]|\[[a-z_]+\s+[a-z_]+\s*=[^\]]*\]|\{\{[#/^!>]?[\w.\- ]*\}\}|\{%.*?%\}|<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?>|&[a-z]+;|\[\[.*?\]\]"
)
_URL = re.compile(r"https?://|www\.\w|\b[\w.+-]+@[\w-]+\.[\w.]+\b")
_URL_FULL = re.compile(r"(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+\.[\w.]+\b")
_HOME_CRUMB = re.compile(r"^\W*home\s*(?:»|›|>|/|\|)", re.IGNORECASE)
_STAMP = re.compile(r"\(\s*(?:\w+:\s*)?\)|^\W*\(?(?:updated|published)\s*:", re.IGNORECASE)
_BREADCRUMB_SEP = re.compile(r"\s(?:»|›|>|/|\||::|→|\\)\s")
# Section names of news sites' navigation: a line made only of these is a menu or a label.
_NAV_WORDS = _wordset(
    """home news today latest live feed world politics business economy markets money opinion opinions
    sport sports video videos audio podcasts photos gallery tech technology science health culture
    entertainment lifestyle life travel weather local national international europe asia africa americas
    us uk middle east analysis features feature blogs blog more menu search topics section all and the of
    breaking newsletter newsletters subscribe login account edition español deutsch français
    close image images next prev previous back to gallery photo open expand collapse toggle play pause
    watch listen print email share comments less continue reading skip ad advertisement"""
)
_BIO = re.compile(
    r"^(?:we are|i am|i'm)\b|\b(?:is|are|was) (?:a|an|the|our) [\w ,'’-]{0,50}?"
    r"(?:reporter|journalist|correspondent|editor|writer|columnist|news (?:team|desk)|contributor|producer|"
    r"author|freelancer|photographer)\b|\bcontact (?:us|me|him|her|them)\b|\bfollow (?:him|her|me|them) on\b",
    re.IGNORECASE,
)
_SECOND_PERSON = re.compile(r"\b(?:you|your|yours|yourself)\b", re.IGNORECASE)
_WORD = re.compile(r"\w+(?:[’'\-]\w+)*")
_SPEECH = re.compile(r"[\"“”].*\b(?:said|says|told|added|asked|replied|wrote)\b", re.IGNORECASE)
# reporting clauses without quotation marks ("X said she had sent half her drivers home")
_REPORTS = re.compile(r"\b(?:said|says|told|according to)\b", re.IGNORECASE)
_QA = re.compile(r"^(?:Q|A)\s*[:.]\s")
_TERMINAL = re.compile(r"[.!?…:;\"”’»)\]。！？」』]\s*$")
_CUT_OFF = re.compile(r"\w(?:\.\.\.|…)$")
# Scripts written without spaces: about two characters make a word
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_READ_TIME = re.compile(r"^\W*\d+\s*(?:min(?:ute)?s?|mins?)\.?\s*(?:read|reading)?\W*$", re.IGNORECASE)
_BYLINE = re.compile(
    r"^(?:by|posted by|written by|words by|reporting by|author:?|von|par|por|di)\s+"
    r"(?P<names>[A-Z\u00C0-\u024F][\w’'.\-]+(?:\s+(?:[A-Z\u00C0-\u024F][\w’'.\-]+|and|&|,|van|von|de|da|del|der|la|le|bin|al))*)"
    r"(?:\s*(?:[,|\-–—]|\bon\b|\bat\b)\s*(?P<rest>.{0,60}))?$",
    re.IGNORECASE,
)
# A collective byline: "The Daily Planet news desk", "Herald staff"
_DESK = re.compile(
    r"^\S.{0,50}\s(?:news ?desk|desk|staff|newsroom|editorial (?:team|board)|staff reporters?|wire services?)$", re.I
)
_NAME_TOKEN = re.compile(r"^[A-Z\u00C0-\u024F][a-z\u00DF-\u024F’'\-]+\.?$|^[A-Z]\.$")
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|"
    # other languages' month names (pt es fr it de nl id)
    r"janeiro|fevereiro|março|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro|"
    r"enero|febrero|marzo|mayo|junio|julio|septiembre|setiembre|octubre|noviembre|diciembre|"
    r"janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|"
    r"gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|"
    r"januar|februar|märz|juni|juli|oktober|dezember|januari|februari|maart|mei|augustus|"
    r"januari|februari|maret|juni|juli|agustus|oktober|desember)\.?"
)
_DATE = re.compile(
    r"\b(?:\d{1,2}(?:st|nd|rd|th|\.|º)?\s+(?:de\s+)?"
    + _MONTHS
    + r",?\s+(?:de\s+)?\d{4}|"
    + _MONTHS
    + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|"
    r"\d{4}-\d{2}-\d{2}(?=T|\b)|\d{1,2}[./]\d{1,2}[./]\d{2,4})\b",
    re.IGNORECASE,
)
_DATELINE_WORDS = re.compile(
    r"^\W*(?:(?:published|updated|posted|last updated|first published|modified|date)\s*(?:on|at)?\s*:?\s*)?",
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    r"^\W*(?:\d+\s*(?:s|sec|secs|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?|mo|months?|y|years?)\.?\s+ago|"
    r"just now|yesterday|today)\W*$|^\W*\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?\W*$",
    re.IGNORECASE,
)
# A photo caption's credit at the end of the line, "(Image: X)", "Credit: X", "(AP Photo/X)"
_CREDIT = re.compile(
    r"(?:\(\s*|\b|(?<=[a-z]))(?:(?:ap |file |reuters |afp )?photo(?:graph)?s?|images?|pictures?|credits?|illustrations?|"
    r"video|source)\s*(?::|/|by\b)[^()]{0,80}\)?\s*$|"
    r"\(\s*(?:getty(?: images)?|istock|shutterstock|ap|reuters|afp|epa|alamy)[^()]{0,40}\)\s*$|"
    r"\[\s*(?:file|photo|image|picture|credit|video)s?\s*[:/][^\[\]]{0,60}\]\s*$|"
    # a photographer and the agency after the caption's last sentence: ". Jane DOE / AFP"
    r"[.!?]\s+(?:\w[\w'’\-]*\s+){1,3}/\s*(?:afp|ap|reuters|epa|getty(?: images)?|anadolu|xinhua|dpa|ansa|efe|"
    r"sipa|pool|afp/getty images)\s*$",
    re.IGNORECASE,
)
# A credit naming the photographer and the agency in parentheses: "(Jane Doe/Reuters)"
_CREDIT_NAMED = re.compile(r"\((?:[A-Z][\w.'’\-]+ ){1,3}[A-Z][\w.'’\-]+ ?/ ?[A-Z][\w .&\-]{1,30}\)\W*$")
# A wire photo's caption dates the scene with its weekday after the place: "... in Madrid,
# Spain, Tuesday, Nov. 19, 2019." (an article's own dates read "on Tuesday", without the year)
_SCENE_DATE = re.compile(
    r"(?:,|\b[A-Z][\w.]*)\s+(?i:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+"
    + _MONTHS
    + r")\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b",
)
# A media label opening the line: "Video: ...", "Photos: ..." (a caption or a link, never the body)
_MEDIA_LABEL = re.compile(r"^\W{0,2}(?:video|photo|image|picture|gallery)s?\s*:\s*\S", re.IGNORECASE)
# A link to another story set in the body: "[VIDEO]", "[INSIGHT]", "(PHOTOS)" at the end
# A headline link with its comment count: "Vikings come back to beat the Broncos (145)"
_COUNT_TAIL = re.compile(r"\(\d+\)\s*$")
# A reader poll's option with its tally, "Yes (41%, 1,680 Votes)", and the poll's total
_POLL = re.compile(
    r"\(\s*\d+(?:[.,]\d+)?\s*%\s*(?:,\s*[\d,.]+\s+votes?)?\s*\)\s*$|\d+(?:[.,]\d+)?\s*%\s*\(\s*[\d,.]+\s+votes?\s*\)\s*$|"
    r"^\W*total (?:votes|voters)\s*:?\s*[\d,.]+\W*$",
    re.IGNORECASE,
)
_PROMO_TAG = re.compile(
    r"[\[(](?:video|videos|photos?|pics|pictures|gallery|insight|analysis|poll|live|watch|listen|read|reaction|latest|update|more)[\])]\W*$",
    re.I,
)
# A link to another story announced by a label: "Related: ...", "READ MORE: ...", "Also: ..."
_PROMO_LABEL = re.compile(
    r"^\W*(?:related|also|see also|see more|also read|read more|read also|more|watch|watch more|listen|recommended|previously|"
    r"most read|trending|sponsored|advertisement|promoted)\s*[:|»>-]\s*\S",
    re.IGNORECASE,
)
# A photo caption's own wording
_CAPTION_CUE = re.compile(
    r"\bin this (?:\w+ )?(?:\d{4} )?(?:file )?(?:photo|image|picture|handout)|\bfile (?:photo|image|picture)\b|"
    r"\bthis (?:photo|image|picture|illustration|artist'?s (?:concept|impression)|handout)\b|"
    r"^an? artist['’]?s (?:illustration|concept|impression|rendering)\b|"
    r"\((?:l|c|left|right|center|centre|background|foreground|top|bottom|above|inset)\)|"
    r", (?:left|right|center|centre|second (?:left|right)),",
    re.IGNORECASE,
)
# The head of a reader comment: "name says:", "name wrote:", "name replied"
# Markers that open the readers' comments: nothing after them is the article
_COMMENTS = re.compile(
    r"^\W*(?:\d+\s+)?(?:comments?|responses?|replies|reactions?|thoughts?)\b|^\W*(?:leave a (?:comment|reply)|"
    r"post a comment|add (?:a )?comment|join the (?:discussion|conversation)|show comments|view comments)\b",
    re.IGNORECASE,
)
_COMMENT_HEAD = re.compile(r"^\S.{0,40}?\s(?:says|said|wrote|writes|replied|commented)\s*:?$", re.IGNORECASE)
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?\b", re.IGNORECASE)
_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*(?P<name>[^.|,\n]{2,60})", re.IGNORECASE
)

_STOP = _wordset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not now of off on once only or other our ours out over own same she should so
    some such than that the their theirs them then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you your said says
    say told according"""
) | _wordset(
    # the commonest function words of other languages written with spaces (pt es fr it de nl id)
    """que para com uma dos das por pelo pela pelos pelas mais seu sua seus suas nos nas foi ser são está
    estão isso esse essa este esta também sobre entre após ainda quando como muito mais não sem até ele ela
    eles elas foram tem têm pode segundo depois antes onde qual quais
    los las del con por para una uno unos unas más sus fue ser son está están esto este esta también sobre
    entre después cuando como muy sin hasta pero porque donde cual según desde hay han había ese esa
    les des une est sont dans pour par avec sur pas plus qui que aux ces cette mais ont été leur leurs son
    ses nous vous ils elles tout tous fait être avoir comme aussi très après avant sans entre selon
    gli della delle degli dei nel nella con per una uno sono che non più suo sua loro anche come dopo tra
    der die das den dem des ein eine einen einem einer und ist sind war wurde werden mit von für auf aus bei
    nach sich nicht auch als wie noch nur oder aber wenn dass zum zur vom über unter durch sein ihre ihr
    het een van voor met zijn niet ook maar dat die wordt worden naar bij door deze als nog wel dan
    yang dan dengan untuk dari pada dalam ini itu akan tidak juga oleh karena atau sudah bisa ada adalah"""
)


# ------------------------------------------------------------------------------- types
@dataclass(slots=True)
class Line:
    start: int  # offset of the first non-space character in the raw text
    end: int  # offset after the last non-space character
    text: str
    para: int  # index of the raw paragraph (blank-line separated) the line belongs to
    words: int = 0
    prose: bool = False
    flags: list[str] = field(default_factory=list)
    weight: float = 0.0
    verdict: str = "keep"  # keep | removed reason
    # a hard-wrapped paragraph joined into one line: the raw lines it was made of
    parts: list[tuple[int, int, str]] = field(default_factory=list)
    # a line with a hover card cut out of it: the raw (start, end) pieces of ``text``
    pieces: list[tuple[int, int]] = field(default_factory=list)
    _bag: frozenset[str] | None = None

    @property
    def bag(self) -> frozenset[str]:
        """The line's content words (computed once)."""
        if self._bag is None:
            self._bag = frozenset(_content_words(self.text))
        return self._bag


@dataclass
class CleanResult:
    """What :func:`clean_text` found: the clean text, the cut blocks and the metadata."""

    text: str
    removed: list[dict[str, Any]]
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    outlet: str | None = None
    dateline: str | None = None
    # (start, end) in the raw text of every kept line, in order (for offset mapping)
    kept: list[tuple[int, int]] = field(default_factory=list)


# ------------------------------------------------------------------------------ helpers
_DIGITS = re.compile(r"\d+")
_TOKEN = re.compile(r"\w+")
_SPACE = re.compile(r"\s")
_NONWORD = re.compile(r"[^\w]+")


def line_key(line: str) -> str:
    """The key a line is counted under across a corpus: case, digits, punctuation folded."""
    s = (line if line.isascii() else unicodedata.normalize("NFKC", line)).lower()
    s = _DIGITS.sub("0", s)
    return _NONWORD.sub(" ", s).strip()


def _split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    para = 0
    pos = 0
    blank_run = False
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        stripped = body.strip()
        if not stripped:
            if not blank_run:
                para += 1
            blank_run = True
        else:
            lead = len(body) - len(body.lstrip())
            s = pos + lead
            lines.append(Line(start=s, end=s + len(stripped), text=stripped, para=para))
            blank_run = False
        pos += len(raw)
    return lines


# A line that stops mid-sentence: it ends in a letter, a digit, a comma or a hyphen
_OPEN_END = re.compile(r"[\w,\-–]$")


def _join_wrapped(lines: list[Line]) -> list[Line]:
    """Join hard-wrapped paragraphs: a long line that stops mid-sentence, followed by a line
    that starts in lower case, continues it.  Scored as one line, kept or cut as one."""
    out: list[Line] = []
    for ln in lines:
        prev = out[-1] if out else None
        if (
            prev is not None
            and ln.text[:1].islower()
            and (" " in ln.text or _TERMINAL.search(ln.text))
            and not ln.text.startswith("by ")
        ):
            last = prev.parts[-1][2] if prev.parts else prev.text
            if len(last) >= 30 and last.count(" ") >= 4 and _OPEN_END.search(last):
                if not prev.parts:
                    prev.parts.append((prev.start, prev.end, prev.text))
                prev.parts.append((ln.start, ln.end, ln.text))
                prev.text = prev.text + " " + ln.text
                prev.end = ln.end
                continue
        out.append(ln)
    return out


# A hover card fused into a sentence: a name printed again right after it with no space
# ("Rep. Jane DoeJane Ann DoeHeadline one Headline two MORE (D-Ohio)"), the second copy
# opening the card's headlines, which end at its all-capitals "MORE" link.
_FUSED_NAME = re.compile(r"\b([A-Z][\w'’\-]+)(?=(?:[A-Z][\w'’.\-]+ ){1,3}\1[A-Z])")
_CARD_END = re.compile(r"\s(?:READ )?MORE\b")


def _cut_hover_cards(lines: list[Line]) -> None:
    """Cut hover cards out of the lines they were flattened into (the line keeps the rest)."""
    for ln in lines:
        t = ln.text
        if ln.parts or "MORE" not in t:
            continue
        keep: list[tuple[int, int]] = []
        pos = 0
        for m in _FUSED_NAME.finditer(t):
            if m.start() < pos:
                continue
            end = _CARD_END.search(t, m.end(), m.end() + 600)
            if end is None:
                continue
            keep.append((pos, m.end()))
            pos = end.end()
        if keep:
            keep.append((pos, len(t)))
            ln.pieces = [(ln.start + a, ln.start + b) for a, b in keep if b > a]
            ln.text = "".join(t[a:b] for a, b in keep)


def _content_words(text: str) -> list[str]:
    return [w for w in (t.lower() for t in _WORD.findall(text)) if len(w) > 2 and w not in _STOP and not w.isdigit()]


def _is_name_line(text: str) -> bool:
    toks = text.replace(",", " ").split()
    if not 2 <= len(toks) <= 4:
        return False
    return all(_NAME_TOKEN.match(t) for t in toks) and not _CTA.search(text.lower())


def _dateline(text: str) -> str | None:
    """The line when it is only a date (with optional time / published / updated)."""
    if len(text) > 80 or not _DATE.search(text):
        return None
    rest = _DATELINE_WORDS.sub("", text)
    rest = _DATE.sub(" ", rest)
    rest = _TIME.sub(" ", rest)
    rest = re.sub(
        r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|\b(?:published|updated|posted|at|on|am|pm|gmt|utc|et|bst|cet|msk|edt|est)\b|"
        r"\b(?:segunda|terça|quarta|quinta|sexta)(?:-feira)?|sábado|domingo|lunes|martes|miércoles|jueves|viernes|"
        r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|montag|dienstag|mittwoch|donnerstag|freitag|samstag|"
        r"sonntag|lunedì|martedì|mercoledì|giovedì|venerdì|sabato|\b(?:às|a las|à|um|alle|de|le|el|em|am|publicado|"
        r"publié|veröffentlicht|pubblicato|atualizado|actualizado|mis à jour|aktualisiert)\b",
        " ",
        rest,
        flags=re.IGNORECASE,
    )
    if len(_WORD.findall(rest)) <= 1:
        return text
    return None


# Cheap substring tests that must pass before the caption and bio expressions are tried
_CAPTION_KEYS = re.compile(
    r"[(\[/]|photo|image|picture|credit|illustration|video|source|handout|artist|, (?:left|right|cent|second)"
)
_BIO_KEYS = re.compile(
    r"we are|i am|i'm|contact|follow|reporter|journalist|correspondent|editor|writer|columnist|news team|"
    r"news desk|contributor|producer|author|freelancer|photographer"
)


def _is_caption(text: str, low: str) -> bool:
    if len(text) > 80 and "day" in low and _SCENE_DATE.search(text):
        return True
    if not _CAPTION_KEYS.search(low):
        return False
    if _MEDIA_LABEL.match(text) or ")" in text[-3:] and _CREDIT_NAMED.search(text[-80:]):
        return True
    return bool(_CREDIT.search(text[-140:]) or _CAPTION_CUE.search(text))


def _is_bio(text: str, low: str) -> bool:
    return bool(_BIO_KEYS.search(low)) and bool(_BIO.search(text))


def _shouted(text: str, words: list[str]) -> bool:
    """A line in capitals (a headline link set in the body), not a table row of codes and figures."""
    if any(c.islower() for c in text) or not any(c.isupper() for c in text):
        return False
    return sum(1 for w in words if w.isalpha()) >= 0.8 * len(words)


def _classify(ln: Line, repeated: Collection[str]) -> None:
    t = ln.text
    low = t.lower()
    words = _WORD.findall(low)
    cjk = 0 if t.isascii() else len(_CJK.findall(t))
    ln.words = len(words) + cjk // 2 if cjk else len(words)
    digits = _DIGITS.search(t) is not None
    # (a short line cut off mid-word or mid-phrase, "Council approves harbour bu...", is a
    # link's truncated headline, not a sentence)
    terminal = bool(_TERMINAL.search(t)) and not (ln.words <= 15 and _CUT_OFF.search(t[-5:]))
    ln.prose = (
        (ln.words >= 8 and terminal)
        or ln.words >= 20
        # a short quoted sentence ("That's correct," he said.) or an interview's Q:/A: line
        or (ln.words >= 4 and terminal and bool(_SPEECH.search(t)))
        or (ln.words >= 3 and bool(_QA.match(t)))
    )
    flags = ln.flags
    short = ln.words <= 25  # page furniture of most kinds is short: skip those tests on paragraphs
    if ("{" in t or "<" in t or "[" in t or "&" in t) and _TEMPLATE.search(t):
        flags.append("template" if len(_TEMPLATE.sub("", t).strip()) < 0.5 * len(t) else "markup")
    if not words or all(w.isdigit() for w in words) and ln.words <= 3:
        flags.append("symbols")
    if short and digits and _READ_TIME.match(t):
        flags.append("read-time")
    if short and (_SECTION.match(t) or ln.words <= 8 and _SECTION_ML.match(t)):
        flags.append("section")
    # (cheap substring tests first: most lines are short and fail every expression)
    spaced = _SPACE.search(t) is not None
    if short and (
        spaced and not terminal and len(_BREADCRUMB_SEP.findall(t)) >= 2 or "home" in low and _HOME_CRUMB.match(t)
    ):
        flags.append("breadcrumb")
    matches = _CTA.findall(low) if _CTA_TRIGGERS.intersection(_TOKEN.findall(low)) else []
    if matches:
        # dense page-furniture vocabulary, or a short line with any of it
        covered = sum(len(_WORD.findall(m)) or 1 for m in matches)
        you = _SECOND_PERSON.search(t)
        if (
            ln.words <= 6
            or covered / max(ln.words, 1) >= 0.2
            # (a long paragraph that addresses the reader is body text, a box is short,
            # unless it is a legal notice: "consult your physician", "not intended to")
            or you
            and (len(matches) >= 2 and (ln.words <= 50 or _notice(matches)) or ln.words <= 20)
            # an order to the reader: "Subscribe to our channel for ...", "Sign up for ..."
            or ln.words <= 30
            and _IMPERATIVE.match(low)
            # a legal notice of any length: several notices, one after the other
            or _legal(matches)
        ):
            flags.append("cta")
    if ln.words <= 60 and "cta" not in flags and _COPYRIGHT_LINE.match(t):
        flags.append("cta")  # "© Agency. All rights reserved. This material may not be ..."
    # (a long caption passes when it ends with its credit)
    if (ln.words <= 60 or ln.words <= 90 and "/" in t[-40:]) and _is_caption(t, low):
        flags.append("caption")
    tail = t[-20:]
    if (
        (")" in tail or "]" in tail)
        and _PROMO_TAG.search(tail)
        or (ln.words >= 5 and not ln.prose and _shouted(t, words))
        or (short and _PROMO_LABEL.match(t))
        or (ln.words <= 20 and t.endswith(")") and _COUNT_TAIL.search(t[-12:]))
    ):
        flags.append("promo")
    if (short and "%" in t or "vote" in low and ln.words <= 6) and _POLL.search(t):
        flags.append("poll")
    if short and spaced and _COMMENT_HEAD.match(t):
        flags.append("comment")
    if short and (digits or "now" in low or "day" in low) and _RELATIVE.match(t):
        flags.append("stamp")
    if (
        ln.words <= 40
        and ("/" in t or "@" in t or "www" in t)
        and _URL.search(t)
        and len(_WORD.findall(_URL_FULL.sub(" ", t))) < 6
    ):
        flags.append("link")
    if short and not ln.prose and ("(" in t or "ed" in low) and _STAMP.search(t):
        flags.append("stamp")
    if repeated and short and line_key(t) in repeated:
        flags.append("repeated")
    if short and digits and _dateline(t):
        flags.append("date")
    if words and ln.words <= 6 and all(w in _NAV_WORDS for w in words):
        flags.append("nav")
    if ln.words <= 60 and _is_bio(t, low):
        flags.append("bio")
    if ln.words <= 16 and _BYLINE.match(t):
        flags.append("byline")


_STRONG = {
    "caption",
    "poll",
    "twin",
    "card",
    "promo",
    "comment",
    "template",
    "symbols",
    "read-time",
    "section",
    "breadcrumb",
    "cta",
    "link",
    "stamp",
    "repeated",
    "nav",
    "bio",
}


def _mark_duplicates(lines: list[Line]) -> None:
    """Short lines that occur more than once in the page are navigation or labels.

    A headline repeated word for word within a few lines is a story card (an image link and
    a text link to the same story); when the page has several such cards, the paragraph
    right under each card's headline is its summary.
    """
    memo: dict[str, str] = {}
    keys = [memo.get(ln.text) or memo.setdefault(ln.text, line_key(ln.text)) for ln in lines]
    counts = Counter(keys)
    last: dict[str, int] = {}
    last_text: dict[str, int] = {}  # exact text for short lines (prices, scores differ by digits only)
    twins: set[int] = set()
    for i, (ln, key) in enumerate(zip(lines, keys, strict=True)):
        if (
            counts[key] > 1
            and ln.words >= 4
            and i - last_text.get(key if ln.prose else ln.text, -99) <= 3
            and not ({"date", "byline", "stamp"} & set(ln.flags))
        ):
            twins.update((i, last_text[key if ln.prose else ln.text]))
        if counts[key] > 1 and (not ln.prose and ln.words <= 15 or ln.prose and key in last):
            ln.flags.append("dup")
        last[key] = i
        last_text[key if ln.prose else ln.text] = i
    for i in twins:
        if "dup" not in lines[i].flags:
            lines[i].flags.append("dup")
        # a line printed twice in a row: a card's headline, a slideshow caption, not the body
        lines[i].flags.append("twin")
    cards = [
        i + 1
        for i in twins
        if not lines[i].prose and i + 1 < len(lines) and lines[i + 1].prose and lines[i + 1].words <= 60
    ]
    if len(cards) >= 2:
        for i in cards:
            lines[i].flags.append("card")


# A line that is only a photo credit: "Natalie Naccache | Bloomberg | Getty Images"
_CREDIT_LINE = re.compile(
    r"\b(?:getty(?: images)?|shutterstock|istock(?:photo)?|alamy|reuters|afp|ap photo|epa|photo(?:graph)?s?|"
    r"credits?|images?|picture alliance|dpa)\b",
    re.IGNORECASE,
)


_CREDIT_HEAD = re.compile(
    r"^(?:(?:photo )?courtesy(?: of)?|(?:photo|image|picture|foto|bild|credit)s?\s*(?::|/|by\b))\s*\S", re.IGNORECASE
)


def _is_credit_line(ln: Line) -> bool:
    """Only names and agencies, set apart by "|" or "/" ("Jane Doe/Reuters"), or "Courtesy of ..."."""
    t = ln.text
    if t[:1] in "([" and t[-1:] in ")]":
        t = t[1:-1].strip()  # the whole credit in parentheses: "(Image: Jane Doe)"
    if ln.prose or ln.words > 8 or "(" in t:
        return False
    if _CREDIT_HEAD.match(t):
        return True
    if "/" not in t and "|" not in t or "://" in t:
        return False
    toks = t.replace("/", " ").replace("|", " ").split()
    return len(toks) >= 2 and all(w[:1].isupper() or not w[:1].isalpha() for w in toks)


_BY_ALONE = re.compile(r"^(?:by|von|par|por|di|door|oleh|av|af)\s*:?$", re.IGNORECASE)


def _mark_split_bylines(lines: list[Line]) -> None:
    """A byline set on two lines: "By" alone, then the names (and the outlet)."""
    for i in range(len(lines) - 1):
        if _BY_ALONE.match(lines[i].text) and lines[i + 1].words <= 10 and not lines[i + 1].prose:
            for ln in (lines[i], lines[i + 1]):
                if "byline" not in ln.flags:
                    ln.flags.append("byline")


_TOTAL = re.compile(r"^\W*total", re.IGNORECASE)


def _mark_polls(lines: list[Line]) -> None:
    """A reader poll: two or more options with their tallies, and the question above them."""
    for i, ln in enumerate(lines):
        if "poll" not in ln.flags or i and "poll" in lines[i - 1].flags:
            continue
        j = i
        while j < len(lines) and "poll" in lines[j].flags:
            j += 1
        if j - i < 2 or _TOTAL.match(lines[i].text):
            continue
        # the question above the options
        q = lines[i - 1] if i else None
        if q is not None and not q.flags and "?" in q.text and q.words <= 40:
            q.flags.append("poll")


def _mark_credited_captions(lines: list[Line]) -> None:
    """A photo credit on a line of its own, and the caption above it."""
    for i, ln in enumerate(lines):
        if not _is_credit_line(ln):
            continue
        if "caption" not in ln.flags:
            ln.flags.append("caption")
        prev = lines[i - 1] if i else None
        if prev is not None and prev.prose and prev.words <= 60:
            prev.flags.append("caption")


# Items of one list (results, dates, steps) share their vocabulary; teasers of other stories
# do not.  Measured on the tuning pages: runs of real list items share more than this.
_TEASER_OVERLAP = 0.5


def _mutual_overlap(lines: list[Line], run: list[int]) -> float:
    """Mean share of an item's content words that occur in another item of the run."""
    bags = [lines[j].bag for j in run]
    counts: Counter[str] = Counter()
    for b in bags:
        counts.update(b)
    shares = [sum(1 for w in b if counts[w] > 1) / len(b) for b in bags if b]
    return sum(shares) / len(shares) if shares else 0.0


def _mark_teasers(lines: list[Line]) -> None:
    """Lists of story teasers: prose lines that each stand alone between short lines.

    An article's paragraphs follow each other; a list of other stories alternates a
    headline (and a name, a time) with one summary paragraph.  Three or more such
    isolated paragraphs in a row (no run of body paragraphs between them) are teasers.
    """
    prose = [i for i, ln in enumerate(lines) if ln.prose]
    isolated: list[bool] = []
    headed: list[bool] = []
    for i in prose:
        prev_p = i > 0 and lines[i - 1].prose
        next_p = i + 1 < len(lines) and lines[i + 1].prose
        # a headline above it (furniture set between paragraphs, a caption or a promo, is no headline)
        has_head = (
            i > 0
            and not lines[i - 1].prose
            and lines[i - 1].words >= 2
            and not any(f in _STRONG for f in lines[i - 1].flags)
        )
        isolated.append(not prev_p and not next_p and has_head)
        headed.append(not prev_p and has_head)
    run: list[int] = []
    for k, i in enumerate(prose + [-1]):
        # a section marker between two isolated paragraphs starts another list
        if run and i >= 0 and any("section" in lines[h].flags for h in range(run[-1] + 1, i)):
            _flag_teaser_run(lines, run)
            run = []
        if i >= 0 and isolated[k]:
            run.append(i)
            continue
        if i >= 0 and headed[k] and len(run) >= 2 and i - run[-1] <= 3 and _under_marker(lines, run[0]):
            # the last summary of a list under "More stories", the article's paragraphs right after it
            run.append(i)
        _flag_teaser_run(lines, run)
        run = []


def _under_marker(lines: list[Line], i: int) -> bool:
    """A section marker stands among the few short lines right above line ``i``."""
    for h in range(i - 1, max(-1, i - 4), -1):
        if "section" in lines[h].flags:
            return True
        if lines[h].prose:
            return False
    return False


# A token that is a figure: a score, an amount, a quantity ("3-1", "$250", "1/2", "½")
_FIGURE = re.compile(r"\d|[\u00bc-\u00be\u2150-\u215e]")


def _figure_list(lines: list[Line], run: list[int]) -> bool:
    """Items dense with figures (results, recipes, specifications): the article's own data
    list, not summaries of other stories, which are written as plain sentences."""
    dense = 0
    for j in run:
        # (a teaser's date or time is no figure of its own)
        toks = _TIME.sub(" ", _DATE.sub(" ", lines[j].text)).split()
        figures = sum(1 for t in toks if _FIGURE.search(t))
        if figures >= 3 and figures >= 0.15 * len(toks):
            dense += 1
    return dense * 2 > len(run)


def _flag_teaser_run(lines: list[Line], run: list[int]) -> None:
    if run:
        words = sorted(lines[j].words for j in run)
        truncated = sum(1 for j in run if lines[j].text.endswith(("...", "…")))
        # summaries are short (one or two sentences) or visibly cut; list items of an
        # article (a buyer's guide, a listicle) run longer
        if (
            len(run) >= 3
            and (words[len(words) // 2] <= 45 or truncated * 2 >= len(run))
            and (truncated * 2 >= len(run) or _mutual_overlap(lines, run) < _TEASER_OVERLAP)
            and not _figure_list(lines, run)
        ):
            for j in run:
                lines[j].flags.append("teaser")
                # its headline and the labels above it
                h = j - 1
                while h >= 0 and not lines[h].prose and j - h <= 3:
                    if "teaser-head" not in lines[h].flags:
                        lines[h].flags.append("teaser-head")
                    h -= 1


_LINK_LIST_MIN = 4


# A practical detail: a short label, a colon and its value ("Tickets: $25", "When: May 4")
_LABELLED = re.compile(r"^[^\W\d][^:]{0,24}\s?:\s*\S")


def _fact_sheet(lines: list[Line], i: int, j: int) -> bool:
    """Lines ``i`` to ``j`` are mostly labelled values (venue, dates, prices, ingredients):
    the article's own details, not a list of links."""
    labelled = sum(1 for k in range(i, j) if _LABELLED.match(lines[k].text) and lines[k].words <= 15)
    return labelled * 2 >= j - i


def _mark_link_lists(lines: list[Line]) -> None:
    """Runs of short lines (menus, lists of headlines) that no body line announces."""
    i = 0
    while i < len(lines):
        if lines[i].prose:
            i += 1
            continue
        j = i
        while j < len(lines) and not lines[j].prose:
            j += 1
        intro = i > 0 and lines[i - 1].text.endswith((":", "…", "..."))
        if j - i >= _LINK_LIST_MIN and not intro and not _fact_sheet(lines, i, j):
            for k in range(i, j):
                lines[k].flags.append("list")
        i = j


def _weights(lines: list[Line], coherence: dict[int, float]) -> None:
    """Each line's weight for or against being in the body (prose for, furniture against).

    The constants were set on the even-numbered benchmark pages (``storyline eval clean``).
    """
    gained = 0.0  # positive weight of the lines so far: markers discount only once a body was seen
    decay = 1.0  # once a body was seen, each section marker discounts what follows it
    hard = 1.0  # and the comments marker discounts everything after it
    listing = False  # inside a list that a body line introduced ("... tour dates:")
    for i, ln in enumerate(lines):
        strong = [f for f in ln.flags if f in _STRONG]
        # (figures and repeated cells of an announced table do not end it)
        if ln.prose and ln.words > 12 or strong and not set(strong) <= {"symbols", "twin", "nav"}:
            listing = False
        if "list-head" in ln.flags:
            ln.weight = 0.0
            listing = True
            if "item" not in ln.flags:
                ln.flags.append("item")
        elif listing and not ({"date", "byline"} & set(ln.flags)):
            # the items of a list the article announced count for the body
            ln.weight = 0.5 * ln.words
            if "item" not in ln.flags:
                ln.flags.append("item")
        elif "section" in strong:
            ln.weight = -25.0 - ln.words
            # a marker set among buttons (share, print, e-mail) is a button, not a heading
            if gained >= 40 and not _in_bar(lines, i):
                decay *= 0.4
                if _COMMENTS.match(ln.text):
                    hard = 0.1
        elif strong and set(strong) <= {"twin", "card"}:
            # a story card set between paragraphs: cut, but no evidence that the body ended
            ln.weight = -4.0
        elif strong:
            ln.weight = -min(6.0 + 1.5 * ln.words, 15.0)
        elif {"date", "byline", "dup", "list"} & set(ln.flags):
            ln.weight = -4.0
        elif "teaser" in ln.flags:
            ln.weight = -2.0
        elif "teaser-head" in ln.flags:
            ln.weight = -3.0
        elif ln.prose:
            c = coherence.get(i, 1.0)
            # after a section marker only text that continues the body's topic counts fully
            ln.weight = ln.words * (0.2 + 0.8 * c) * (decay if c < 0.4 else 1.0) * hard
            listing = ln.text.endswith(":") and ln.weight > 0
        elif ln.words <= 3:
            ln.weight = -3.0
        else:
            # short heading-like line: mildly against (navigation), kept inside the body
            ln.weight = -1.5
        gained += max(ln.weight, 0.0)


def _in_bar(lines: list[Line], i: int) -> bool:
    """The line stands between two short furniture lines (a bar of buttons or links)."""
    if i == 0 or i + 1 >= len(lines):
        return False
    a, b = lines[i - 1], lines[i + 1]
    return all(x.words <= 4 and any(f in _STRONG for f in x.flags) for x in (a, b))


_END_MARK = re.compile(
    r"^\W*(?:about the author|leave a comment|comments?\b|related|more (?:stories|from|news)|read more|"
    r"recommended|you (?:may|might) also like|most (?:read|popular)|trending|also on|see also)",
    re.I,
)


def _extend_body(lines: list[Line], b0: int, b1: int) -> int:
    """The body's end, past a boilerplate block in the middle of the article.

    A newsletter box can outweigh the paragraphs after it, so the best-scoring span ends at
    the box.  The next positive run still belongs to the body when no end-of-article
    marker (comments, about the author, related stories) stands before it, none of its
    prose is a teaser, and its prose continues the body's topic.
    """
    while b1 < len(lines):
        rest = lines[b1:]
        best, cur, cur_start, seg = 0.0, 0.0, 0, (0, 0)
        for i, ln in enumerate(rest):
            if cur <= 0:
                cur, cur_start = 0.0, i
            cur += ln.weight
            if cur > best:
                best, seg = cur, (cur_start, i + 1)
        if best <= 0:
            return b1
        a, b = b1 + seg[0], b1 + seg[1]
        gap = range(b1, a)
        if len(gap) > 10 or any(_END_MARK.search(lines[k].text) for k in gap):
            return b1
        # what it skips is a box: call-to-action, notice, navigation lines, nothing else
        if not all(any(f in _STRONG for f in lines[k].flags) or lines[k].words < 4 for k in gap):
            return b1
        prose = [k for k in range(a, b) if lines[k].prose]
        if not prose or any("teaser" in lines[k].flags for k in prose):
            return b1
        coherence = _coherence(lines, (b0, b1))
        if len(prose) < 2 or sum(coherence.get(k, 0.0) for k in prose) / len(prose) < 0.5:
            return b1
        b1 = b
    return b1


# What a box between the lead and the rest of the body is made of
_BOX_FLAGS = _STRONG | {"teaser", "teaser-head", "list", "dup"}


def _extend_start(lines: list[Line], b0: int, b1: int) -> int:
    """The body's start, before a box set under the lead.

    The opening paragraphs can be cut from the rest by a photo and its caption, a
    newsletter box or a list of other stories, which outweigh them.  The positive run
    just before the best span still belongs to the body when only such a box separates
    them, and its prose (one paragraph at least, no teasers) takes up the body's words
    (more of them when a section marker such as "Related stories" opens the box).
    """
    k = b0 - 1
    while k >= 0 and b0 - k <= 10 and lines[k].weight <= 0:
        ln = lines[k]
        # (a byline or a date between them: the run is the article's header, its standfirst)
        if ln.prose and not _BOX_FLAGS.intersection(ln.flags) or {"date", "byline"} & set(ln.flags):
            return b0
        if _COMMENTS.match(ln.text):
            return b0
        k -= 1
    if k < 0 or lines[k].weight <= 0 or k == b0 - 1:
        return b0
    marker = any("section" in lines[j].flags for j in range(k + 1, b0))
    # the run ending at k with the highest total weight
    best, total, a = 0.0, 0.0, k + 1
    for i in range(k, max(-1, k - 30), -1):
        total += lines[i].weight
        if total > best:
            best, a = total, i
    prose = [j for j in range(a, k + 1) if lines[j].prose]
    if sum(lines[j].words for j in prose) < 20 or any({"teaser", "card"} & set(lines[j].flags) for j in prose):
        return b0
    coherence = _coherence(lines, (b0, b1))
    if sum(coherence.get(j, 0.0) for j in prose) / len(prose) < (0.7 if marker else 0.6):
        return b0
    return a


def _trim_foreign_tail(lines: list[Line], b0: int, b1: int) -> int:
    """The body's end, before paragraphs that close it but share no words with it.

    Teasers of other stories printed after the article without a section marker (headline
    and summary on one line) read like paragraphs; the article's own closing paragraphs
    take up its words.  Two or more such paragraphs in a row at the end are cut, and so
    are story cards: two or more closing paragraphs, each under a headline whose words the
    body does not use (not a list dense with figures: the article's results).
    """
    prose = [i for i in range(b0, b1) if lines[i].prose]
    if len(prose) < 5:
        return b1
    coherence = _coherence(lines, (b0, b1))
    tail = _foreign_tail(lines, prose, coherence, 0.3)
    if (
        len(tail) >= 2
        and len(prose) - len(tail) >= 3
        and sum(map(_fused, (lines[i].text for i in tail))) * 2 >= len(tail)
    ):
        return tail[-1]
    # story cards: each paragraph under a headline of its own that the body does not take up
    tail = _foreign_tail(lines, prose, coherence, 0.5)
    if len(tail) < 2 or len(prose) - len(tail) < 3:
        return b1
    body = frozenset().union(*(lines[i].bag for i in prose[: len(prose) - len(tail)]))
    if all(i > b0 and _foreign_head(lines[i - 1], body) for i in tail) and not _figure_list(lines, tail):
        return tail[-1] - 1
    return b1


_SITE_VOICE = re.compile(r"\b(?:[Ww]e|[Oo]ur|us)\b")


def _cut_site_notices(lines: list[Line], b0: int, b1: int) -> None:
    """Inside the body, a site's notice set as a paragraph: it shares no words with the
    article, speaks as the site ("we", "our") and uses its furniture vocabulary (a
    newsletter's blurb, a comments policy, a subscription offer)."""
    prose = [i for i in range(b0, b1) if lines[i].prose and lines[i].verdict == "keep"]
    if len(prose) < 4:
        return
    coherence: dict[int, float] | None = None
    for i in prose:
        ln = lines[i]
        if ln.words > 60 or not _SITE_VOICE.search(ln.text) or not _CTA.search(ln.text.lower()):
            continue
        if _SPEECH.search(ln.text) or _REPORTS.search(ln.text):
            continue
        if coherence is None:
            coherence = _coherence(lines, (b0, b1))
        if coherence.get(i, 1.0) < 0.3:
            ln.verdict = "boilerplate:notice"


def _cut_foreign_teasers(lines: list[Line], b0: int, b1: int) -> None:
    """Inside the body, a list of other stories' summaries (lines flagged as teasers) whose
    words the article does not use, with their headlines; an article's own list of short
    headed paragraphs keeps to its topic."""
    teasers = [i for i in range(b0, b1) if "teaser" in lines[i].flags and lines[i].verdict == "keep"]
    if not teasers:
        return
    coherence = _coherence(lines, (b0, b1))
    for i in teasers:
        if coherence.get(i, 1.0) >= 0.4:
            continue
        lines[i].verdict = "boilerplate:teaser"
        h = i - 1
        while h >= b0 and "teaser-head" in lines[h].flags and lines[h].verdict == "keep":
            lines[h].verdict = "boilerplate:teaser"
            h -= 1


def _foreign_tail(lines: list[Line], prose: list[int], coherence: dict[int, float], limit: float) -> list[int]:
    """The closing paragraphs (last first) whose coherence with the body is below ``limit``."""
    tail: list[int] = []
    for i in reversed(prose):
        ln = lines[i]
        if coherence.get(i, 1.0) >= limit or _SPEECH.search(ln.text) or ln.words > 60:
            break
        tail.append(i)
    return tail


def _foreign_head(ln: Line, body: frozenset[str]) -> bool:
    """A headline-shaped line whose words the body hardly uses (another story's headline)."""
    return _headline_shaped(ln) and len(ln.bag & body) * 3 < len(ln.bag)


def _fused(text: str) -> bool:
    """A headline run into its summary: "Bakery wins bread award A small bakery has won the
    award ...": a capital after an unpunctuated word, and the words before it taken up
    after it."""
    toks = text.split()
    for k in range(3, min(16, len(toks) - 5)):
        if not toks[k][:1].isupper() or not toks[k - 1][-1:].isalnum():
            continue
        head = set(_content_words(" ".join(toks[:k])))
        if len(head) >= 2 and len(head & set(_content_words(" ".join(toks[k:])))) * 3 >= len(head):
            return True
    return False


def _best_span(lines: list[Line]) -> tuple[int, int]:
    """The contiguous run of lines with the highest total weight (Kadane)."""
    best, best_span = float("-inf"), (0, 0)
    cur, cur_start = 0.0, 0
    for i, ln in enumerate(lines):
        if cur <= 0:
            cur, cur_start = 0.0, i
        cur += ln.weight
        if cur > best:
            best, best_span = cur, (cur_start, i + 1)
    if best <= 0:
        # no line reads like article prose (a brief, a list): nothing to anchor a body on,
        # so every line is treated as body and only flagged lines are cut
        return (0, len(lines))
    return best_span


def _positive_runs(lines: list[Line], lo: int, hi: int) -> list[tuple[int, int, float]]:
    """The maximal runs of ``lines[lo:hi]`` with a positive total weight: (start, end, total)."""
    runs: list[tuple[int, int, float]] = []
    i = lo
    while i < hi:
        cur, best, end = 0.0, 0.0, i
        j = i
        while j < hi:
            cur += lines[j].weight
            if cur > best:
                best, end = cur, j + 1
            if cur <= 0:
                break
            j += 1
        if best > 0:
            runs.append((i, end, best))
            i = end
        else:
            i = j + 1
    return runs


def _under_header(lines: list[Line], i: int) -> bool:
    """The article's header (a date or a byline) stands among the short lines right above line ``i``.

    A bar of buttons between the header and the first paragraph ("Share", "Facebook",
    "Print") is passed over: only lines of some length count towards the distance, and
    only a marker of the end of an article ("Related", "Comments") stops the search.
    """
    steps = 0
    for k in range(i - 1, max(-1, i - 25), -1):
        ln = lines[k]
        if ln.prose or "section" in ln.flags and _END_MARK.search(ln.text):
            return False
        if {"date", "byline"} & set(ln.flags):
            return True
        if ln.words > 4:
            steps += 1
            if steps >= 8:
                return False
    return False


# An earlier run under the article's header is the body when it has at least this share
# of the best run's weight (a short article above a longer notice or list of other stories)
_HEADED_SHARE = 0.25


def _pick_span(lines: list[Line]) -> tuple[int, int]:
    """The body: the best-scoring run, unless an earlier run of prose sits under the page's
    date or byline and the best run does not.

    A short article can weigh less than a longer block further down the page (a comments
    policy, an author's biography, summaries of other stories); the article's own header
    (dateline, byline) is above its first paragraph, not above those blocks.  When the
    headed run takes up the best run's words it is the article's lead, the best run its
    rest (a box between them outweighed the lead): both are kept.
    """
    span = _best_span(lines)
    if span == (0, len(lines)) or _under_header(lines, span[0]):
        return span
    before = _run_before_marker(lines, span)
    if before is not None:
        return before
    best = sum(ln.weight for ln in lines[span[0] : span[1]])
    for a, b, total in _positive_runs(lines, 0, span[0]):
        words = sum(lines[k].words for k in range(a, b) if lines[k].prose)
        if total >= _HEADED_SHARE * best and words >= 40 and _under_header(lines, a):
            return _join_if_coherent(lines, span, (a, b))
    return _titled_run(lines, span, best)


def _join_if_coherent(lines: list[Line], span: tuple[int, int], run: tuple[int, int]) -> tuple[int, int]:
    """``run`` and the best span together when ``run``'s prose takes up the span's words (one
    article cut in two by a box), else ``run`` alone."""
    coherence = _coherence(lines, span)
    prose = [k for k in range(*run) if lines[k].prose]
    if sum(coherence.get(k, 0.0) for k in prose) / len(prose) >= 0.5:
        return (min(run[0], span[0]), max(run[1], span[1]))
    return run


def _headline_shaped(ln: Line) -> bool:
    """A short line that could be a headline: a few words, no sentence, no furniture flag."""
    return (
        not ln.prose
        and 2 <= ln.words <= 30
        and not ln.text.endswith(".")
        and len(ln.bag) >= 2
        and not (set(ln.flags) & (_STRONG - {"twin"}) or {"date", "byline"} & set(ln.flags))
    )


def _title_taken_up(lines: list[Line], a: int, past_prose: bool = False) -> tuple[float, int]:
    """How well the run starting at ``a`` takes up a headline above it: for the headline-shaped
    line among the short lines right above (up to an end-of-article marker or, unless
    ``past_prose``, a paragraph) whose words the run's opening paragraphs share most, the
    share of its content words and their number."""
    lead: set[str] = set()
    words = 0
    for k in range(a, len(lines)):
        if lines[k].prose:
            lead |= lines[k].bag
            words += lines[k].words
            if words > 150:
                break
    best: tuple[float, int] = (0.0, 0)
    steps = 0
    for k in range(a - 1, max(-1, a - 20), -1):
        ln = lines[k]
        if ln.prose and not past_prose or "section" in ln.flags and _END_MARK.search(ln.text):
            break
        if _headline_shaped(ln):
            shared = len(ln.bag & lead)
            best = max(best, (shared / len(ln.bag), shared))
        if ln.words > 4:
            steps += 1
            if steps >= 8:
                break
    return best


# A headline whose words a run's opening paragraphs take up (this share, this many words at
# least) anchors the run as the article (measured on the tuning pages: the article's own
# headline shares 0.6 and more of its words with its lead, other stories' headlines none)
_TITLE_SHARE = 0.5
_TITLE_WORDS = 3


def _titled_run(lines: list[Line], span: tuple[int, int], best: float) -> tuple[int, int]:
    """The body, when the best run has no headline over it and another run does.

    A short article with neither date nor byline can weigh less than a sidebar's blurb or
    another story's paragraphs before or after it; the article's headline stands right
    above its first paragraph and shares its words, the other block's does not.
    """
    # (the best run's headline may stand above a lead paragraph and a box that the run follows)
    share, shared = _title_taken_up(lines, span[0], past_prose=True)
    if share >= _TITLE_SHARE and shared >= 2:
        return span
    for a, b, total in _positive_runs(lines, 0, len(lines)):
        if span[0] <= a < span[1] or total < _HEADED_SHARE * best:
            continue
        if sum(lines[k].words for k in range(a, b) if lines[k].prose) < 30:
            continue
        share, shared = _title_taken_up(lines, a)
        if share >= _TITLE_SHARE and shared >= _TITLE_WORDS:
            return _join_if_coherent(lines, span, (a, b))
    return span


# The share of the lead's content words that the run after an end-of-article marker must
# take up to be the rest of the article (measured: 0.18 and more for an article's rest
# after an inline box, below 0.12 for other stories' paragraphs on the tuning pages)
_LEAD_TAKEN_UP = 0.1


def _run_before_marker(lines: list[Line], span: tuple[int, int]) -> tuple[int, int] | None:
    """The article, when the best run sits right under an end-of-article marker ("Related",
    "More stories", "Comments") and the prose run just above that marker is a short article
    whose words the best run hardly takes up.

    Under such a marker come other stories' summaries or readers' comments, however long
    and well written: they outweigh a short article but are about something else.
    """
    m = span[0] - 1
    while m >= 0 and span[0] - m <= 4 and not lines[m].prose:
        if "section" in lines[m].flags and _END_MARK.search(lines[m].text):
            break
        m -= 1
    else:
        return None
    if m < 0 or lines[m].prose:
        return None
    runs = _positive_runs(lines, 0, m)
    if not runs:
        return None
    a, b, _ = runs[-1]
    if m - b > 6 or any(lines[k].prose for k in range(b, m)):
        return None
    prose = [k for k in range(a, b) if lines[k].prose]
    if sum(lines[k].words for k in prose) < 30:
        return None
    # the rest of an article takes up its lead's words (names, places, the topic), other
    # stories' summaries hardly any, however long they are
    lead = frozenset().union(*(lines[k].bag for k in prose))
    after = frozenset().union(*(lines[k].bag for k in range(*span) if lines[k].prose))
    if not lead or len(lead & after) >= _LEAD_TAKEN_UP * len(lead):
        return None
    return (a, b)


def _mark_list_headings(lines: list[Line], span: tuple[int, int]) -> None:
    """A heading right after a body paragraph, made of the body's own words, over a list of
    items with figures ("Tour dates" over "June 9 - Tampa, FL"): the article's list.

    A heading that ends in a colon announces its items itself ("The new version brings:"):
    after the body's last paragraph (a short line between them at most), over short lines
    that carry no furniture flag, it opens the article's list whatever its items are.
    """
    body: set[str] = set()
    for i in range(*span):
        if lines[i].prose:
            body |= lines[i].bag
    for i in range(max(span[0], 1), min(span[1] + 2, len(lines) - 3)):
        ln = lines[i]
        if ln.prose or not 2 <= ln.words <= 10 or any(f in _STRONG for f in ln.flags):
            continue
        prev = lines[i - 1]
        if ln.text.endswith(":") and span[0] <= i - 2 and (prev.prose or _aside(prev) and lines[i - 2].prose):
            items = lines[i + 1 : i + 4]
            if all(not x.prose and 2 <= x.words <= 25 and not _STRONG.intersection(x.flags) for x in items):
                ln.flags.append("list-head")
                if not prev.prose and "item" not in prev.flags:
                    prev.flags.append("item")  # (the short line before the heading is the article's too)
            continue
        if not prev.prose or i > span[1] or len(ln.bag) < 2 or len(ln.bag & body) < 0.6 * len(ln.bag):
            continue
        items = lines[i + 1 : i + 4]
        if all(x.words <= 15 and _DIGITS.search(x.text) and "section" not in x.flags for x in items):
            ln.flags.append("list-head")


def _aside(ln: Line) -> bool:
    """A short line set between a paragraph and what it introduces ("Here is what is new!")."""
    return not ln.prose and ln.words <= 8 and not _STRONG.intersection(ln.flags)


def _mark_body_lists(lines: list[Line], span: tuple[int, int]) -> None:
    """A run of short lines between two of the body's paragraphs, made of the body's own
    words and under no section marker, is the article's list (its points, its steps), not
    a list of links to other stories."""
    body: Counter[str] = Counter()
    for i in range(*span):
        if lines[i].prose:
            body.update(lines[i].bag)
    i = span[0] + 1
    while i < span[1]:
        if "list" not in lines[i].flags or not lines[i - 1].prose:
            i += 1
            continue
        j = i
        while j < span[1] and "list" in lines[j].flags:
            j += 1
        if j < span[1] and lines[j].prose and not any(
            _STRONG.intersection(lines[k].flags) or {"date", "byline"} & set(lines[k].flags) for k in range(i, j)
        ):
            shares = [sum(1 for w in lines[k].bag if body[w]) / len(lines[k].bag) for k in range(i, j) if lines[k].bag]
            if shares and sum(shares) / len(shares) >= 0.6:
                for k in range(i, j):
                    lines[k].flags.remove("list")
                    lines[k].flags.append("item")
        i = j + 1


def _coherence(lines: list[Line], span: tuple[int, int]) -> dict[int, float]:
    """For each prose line, how much its content words recur in the body's other prose lines."""
    bags = {i: lines[i].bag for i in range(len(lines)) if lines[i].prose}
    # the reference is the span up to its first section marker once a body was seen there
    # (what follows "Related posts" must not vouch for itself), when that part is most of it
    total = sum(lines[i].words for i in range(*span) if i in bags)
    end, words = span[1], 0
    for i in range(*span):
        ln = lines[i]
        if "section" in ln.flags and words >= 40 and words >= 0.5 * total and not _in_bar(lines, i):
            end = i
            break
        if ln.prose:
            words += ln.words
    ref = [i for i in range(span[0], end) if i in bags]
    refset = set(ref)
    counts: Counter[str] = Counter()
    for i in ref:
        counts.update(bags[i])
    out: dict[int, float] = {}
    few = len(ref) < 4
    for i, bag in bags.items():
        if not bag:
            continue
        inside = i in refset
        shared = sum(1 for w in bag if counts[w] - (1 if inside else 0) > 0)
        # 0.35 of content words shared with the body counts as fully coherent
        out[i] = min(1.0, shared / len(bag) / 0.35)
        if inside and few:
            # two or three paragraphs are too little to find one of them off-topic
            out[i] = max(out[i], 0.4)
    return out


# --------------------------------------------------------------------------------- main
def repeated_lines(
    texts: Iterable[str], min_docs: int = 3, max_words: int = 25, max_overlap: float = 0.2
) -> list[set[str]]:
    """The corpus pre-pass for :func:`clean_text`'s ``repeated``: for each text, the keys
    (:func:`line_key`) of its short lines that recur across otherwise unalike documents.

    A site's footer, its newsletter prompt or its author box recur across the pages taken
    from it.  Only short lines count, and only when the documents sharing a line are
    otherwise unalike (mean pairwise Jaccard of their long lines below ``max_overlap``):
    syndicated copies of one wire story share body paragraphs, and keep their short lines.
    """
    doc_keys: list[set[str]] = []
    long_keys: list[set[str]] = []
    for text in texts:
        keys: set[str] = set()
        longs: set[str] = set()
        for raw in text.splitlines():
            line = raw.strip()
            key = line_key(line) if line else ""
            if key:
                (keys if len(line.split()) <= max_words else longs).add(key)
        doc_keys.append(keys)
        long_keys.append(longs)
    where: dict[str, list[int]] = {}
    for i, keys in enumerate(doc_keys):
        for k in keys:
            where.setdefault(k, []).append(i)
    need = max(min_docs, int(0.02 * len(doc_keys)))
    repeated: set[str] = set()
    for k, docs in where.items():
        if len(docs) < need:
            continue
        sample = docs[:6]
        sims = [
            len(long_keys[a] & long_keys[b]) / max(1, len(long_keys[a] | long_keys[b]))
            for i, a in enumerate(sample)
            for b in sample[i + 1 :]
        ]
        if sum(sims) / len(sims) < max_overlap:
            repeated.add(k)
    return [keys & repeated for keys in doc_keys]


def furniture_only(text: str) -> bool:
    """True when no line of ``text`` could be article text (menus, buttons, notices only)."""
    lines = _split_lines(text)
    for ln in lines:
        _classify(ln, ())
    return all(any(f in _STRONG for f in ln.flags) or ln.words < 3 for ln in lines)


def clean_text(text: str, repeated: Collection[str] = (), keep: Iterable[str] = ()) -> CleanResult:
    """Split flattened page text into the article body, metadata and removed blocks.

    ``repeated``: line keys (:func:`line_key`) seen in many documents of the corpus.
    ``keep``: regular expressions; a line matching one is never removed.
    """
    lines = _join_wrapped(_split_lines(text))
    _cut_hover_cards(lines)
    if not lines:
        return CleanResult(text="", removed=[])
    keep_res = [re.compile(k) for k in keep]
    # a page repeats many of its lines (menus, share buttons): classify each text once
    seen: dict[str, tuple[int, bool, tuple[str, ...]]] = {}
    for ln in lines:
        hit = seen.get(ln.text)
        if hit is not None:
            ln.words, ln.prose, ln.flags = hit[0], hit[1], list(hit[2])
            continue
        _classify(ln, repeated)
        seen[ln.text] = (ln.words, ln.prose, tuple(ln.flags))
    _mark_duplicates(lines)
    _mark_polls(lines)
    _mark_credited_captions(lines)
    _mark_split_bylines(lines)
    _mark_teasers(lines)
    _mark_link_lists(lines)
    _weights(lines, {})
    span = _pick_span(lines)
    _mark_list_headings(lines, span)
    _mark_body_lists(lines, span)
    _weights(lines, _coherence(lines, span))
    b0, b1 = _pick_span(lines)
    b1 = _extend_body(lines, b0, b1)
    b0 = _extend_start(lines, b0, b1)
    b1 = _trim_foreign_tail(lines, b0, b1)
    result = CleanResult(text="", removed=[])

    # Metadata from the lines before the body (title, byline, dateline, outlet)
    for i in range(0, b0):
        ln = lines[i]
        ln.verdict = _metadata_or_boilerplate(ln, result, before_body=True)
    if result.title is None:
        _pick_title(lines[:b0], lines[b0:b1], result)
    # Inside the body: cut flagged lines and the short lines sandwiched between them
    for i in range(b0, b1):
        ln = lines[i]
        strong = {f for f in ln.flags if f in _STRONG}
        if strong == {"cta"} and _sentence_between_paragraphs(lines, i, b0, b1):
            pass
        elif strong and not ("item" in ln.flags and strong <= {"symbols", "twin", "nav"}):
            ln.verdict = _reason(ln)
        elif "date" in ln.flags and not ln.prose:
            ln.verdict = "metadata:dateline"
            result.dateline = result.dateline or ln.text
        elif "byline" in ln.flags:
            ln.verdict = "metadata:byline"
            _add_authors(ln.text, result)
        elif "list" in ln.flags and "item" not in ln.flags:
            ln.verdict = "boilerplate:link-list"
    _cut_announced_links(lines, b0, b1)
    _cut_cut_off_cards(lines, b0, b1)
    _cut_about_block(lines, b0, b1)
    _cut_author_box(lines, b0, b1)
    for i in range(b0, b1):
        ln = lines[i]
        if ln.verdict != "keep" or ln.words > 40 or "item" in ln.flags:
            continue
        prev_cut = i > b0 and lines[i - 1].verdict != "keep" and not lines[i - 1].verdict.startswith("metadata")
        next_cut = i + 1 < b1 and lines[i + 1].verdict != "keep" and not lines[i + 1].verdict.startswith("metadata")
        # a paragraph between two cut blocks stays unless it addresses the reader or reads
        # like furniture (one furniture word such as "home" in a news sentence is not enough)
        weak = (not ln.prose) or _SECOND_PERSON.search(ln.text) or len(_CTA.findall(ln.text.lower())) >= 2
        if prev_cut and next_cut and weak:
            ln.verdict = "boilerplate:inside-box"
    _cut_boxes(lines, b0, b1)
    _cut_site_notices(lines, b0, b1)
    _cut_foreign_teasers(lines, b0, b1)
    # Tail: byline-like names right after the body; everything else is after the article
    for i in range(b1, len(lines)):
        ln = lines[i]
        ln.verdict = _metadata_or_boilerplate(ln, result, before_body=False, first_after=i - b1 < 3)
    _fallback_run(lines)
    # User overrides
    if keep_res:
        for ln in lines:
            if ln.verdict != "keep" and any(r.search(ln.text) for r in keep_res):
                ln.verdict = "keep"
    # Assemble the clean text, one paragraph a line (lines of one raw paragraph stay together)
    parts: list[str] = []
    prev: Line | None = None
    for ln in lines:
        if ln.verdict != "keep":
            continue
        if prev is not None:
            parts.append("\n" if ln.para == prev.para and not prev.prose else "\n\n")
        if ln.parts:
            # a joined paragraph keeps its raw line breaks (offsets stay exact)
            parts.append("\n".join(p[2] for p in ln.parts))
            result.kept.extend((p[0], p[1]) for p in ln.parts)
        elif ln.pieces:
            parts.append(ln.text)
            result.kept.extend(ln.pieces)
        else:
            parts.append(ln.text)
            result.kept.append((ln.start, ln.end))
        prev = ln
    result.text = "".join(parts)
    result.removed = _blocks(lines, text)
    return result


def _sentence_between_paragraphs(lines: list[Line], i: int, b0: int, b1: int) -> bool:
    """A sentence with one furniture word, set between two of the body's paragraphs, that
    gives no order to the reader: the writer's own ("if you missed it, people on Twitter
    pointed it out"), not a box (a box calls to action or piles up its vocabulary)."""
    ln = lines[i]
    if not ln.prose or not b0 < i < b1 - 1:
        return False
    for nb in (lines[i - 1], lines[i + 1]):
        if not nb.prose or _STRONG.intersection(nb.flags):
            return False
    low = ln.text.lower()
    return len(set(_CTA.findall(low))) == 1 and not _IMPERATIVE.match(low) and not _COPYRIGHT_LINE.match(ln.text)


def _cut_boxes(lines: list[Line], b0: int, b1: int) -> None:
    """A box set in the body around a call to action ("Sign up", "Subscribe"): its heading
    and its blurb are short and share almost no words with the body; a subheading or a
    paragraph of the article next to the button does (it is the article's topic)."""
    buttons = [
        i for i in range(b0, b1) if "cta" in lines[i].flags and lines[i].verdict != "keep" and not lines[i].prose
    ]
    if not buttons:
        return
    counts: Counter[str] = Counter()  # the body's words
    paragraphs = 0
    for i in range(b0, b1):
        if lines[i].prose and lines[i].verdict == "keep":
            counts.update(lines[i].bag)
            paragraphs += 1
    if paragraphs < 3:  # no body to compare with (a brief)
        return

    def foreign(ln: Line) -> bool:
        if ln.verdict != "keep" or ln.words > 30 or ln.words < 2 or "item" in ln.flags or _SPEECH.search(ln.text):
            return False
        if _REPORTS.search(ln.text):
            return False  # reported speech is news, not a box's blurb

        bag = ln.bag
        own = 1 if ln.prose else 0  # a paragraph's own words are in the counts
        return len(bag) >= 2 and sum(1 for w in bag if counts[w] - own > 0) / len(bag) < 0.2

    for i in buttons:
        for step in (-1, 1):
            j = i + step
            while b0 <= j < b1 and abs(j - i) <= 2:
                ln = lines[j]
                if ln.verdict != "keep":
                    if "cta" not in ln.flags:
                        break
                elif foreign(ln):
                    ln.verdict = "boilerplate:inside-box"
                    if ln.prose:
                        counts.subtract(ln.bag)
                else:
                    break
                j += step


def _fallback_run(lines: list[Line]) -> None:
    """A page whose article has no prose line (a brief or a list set one sentence a line)
    would come out empty: keep its longest run of lines that carry no furniture flag."""
    if sum(ln.words for ln in lines if ln.verdict == "keep") >= 20:
        return
    best: tuple[int, int, int] = (0, 0, 0)  # words, start, end
    start, words = 0, 0
    for i, ln in enumerate(lines + [Line(0, 0, "", -1, flags=["symbols"])]):
        if any(f in _STRONG for f in ln.flags) or {"date", "byline"} & set(ln.flags):
            if i - start >= 3 and words > best[0]:
                best = (words, start, i)
            start, words = i + 1, 0
        else:
            words += ln.words
    if best[0] >= 20:
        for ln in lines[best[1] : best[2]]:
            ln.verdict = "keep"


def _cut_announced_links(lines: list[Line], b0: int, b1: int) -> None:
    """Inside the body, the headline-shaped lines right after a section marker ("Related
    articles", "Don't miss") are links to other stories, up to the next paragraph."""
    for i in range(b0, b1):
        ln = lines[i]
        if not ({"section", "cta"} & set(ln.flags)) or ln.words > 6 or ln.verdict == "keep":
            continue
        j = i + 1
        while j < b1 and j - i <= 12:
            nxt = lines[j]
            if "teaser" in nxt.flags and nxt.verdict == "keep":
                # a list of other stories' summaries under the marker
                nxt.verdict = "boilerplate:teaser"
                j += 1
                continue
            if nxt.prose or j - i > 6 or nxt.verdict != "keep" and not nxt.verdict.startswith("boilerplate"):
                break
            if nxt.verdict == "keep":
                if nxt.words < 3 or _TERMINAL.search(nxt.text) and not nxt.text.endswith(("?", "!", "]", ")")):
                    break
                nxt.verdict = "boilerplate:related-links"
            j += 1


def _cut_cut_off_cards(lines: list[Line], b0: int, b1: int) -> None:
    """Inside the body, a story card set between paragraphs: a headline, a summary cut off
    mid-sentence (it ends in a word or a comma) and a "Read more" button under it.  The article's
    paragraphs end their sentences; a teaser is cut to fit its box."""
    for i in range(b0 + 1, b1):
        ln = lines[i]
        if ln.verdict == "keep" or ln.words > 4 or not {"section", "cta"} & set(ln.flags):
            continue
        summ = lines[i - 1]
        if summ.verdict != "keep" or not 10 <= summ.words <= 60 or not _OPEN_END.search(summ.text):
            continue
        summ.verdict = "boilerplate:teaser"
        head = lines[i - 2] if i - 2 >= b0 else None
        if head is not None and head.verdict == "keep" and _headline_shaped(head):
            head.verdict = "boilerplate:teaser"


# A company's standard description closing a press release: "Acme is a global provider of..."
_ABOUT_SENTENCE = re.compile(
    r"^(?:[A-Z0-9][\w&.'’\-]*\s+){1,6}(?:\([^)]{1,20}\)\s+)?(?:is|are)\s+(?:a|an|the|one of the)\s"
)
_CORPORATE = re.compile(
    r"\b(?:compan(?:y|ies)|provider|leader|headquartered|founded|employs|employees|subsidiar\w*|listed|nasdaq|"
    r"nyse|stock exchange|solutions|services|products|customers|clients|organi[sz]ation|firm|worldwide|global)\b",
    re.IGNORECASE,
)


def _cut_about_block(lines: list[Line], b0: int, b1: int) -> None:
    """A press release's "about the company" paragraphs at the end of the body, from the
    company's standard description ("Acme is a global provider of ...") on."""
    kept = [i for i in range(b0, b1) if lines[i].verdict == "keep"]
    if len(kept) < 5:
        return
    for i in kept[-4:]:
        ln = lines[i]
        if ln.prose and _ABOUT_SENTENCE.match(ln.text) and len(_CORPORATE.findall(ln.text)) >= 2:
            for j in kept:
                if j >= i:
                    lines[j].verdict = "boilerplate:about"
            return


# A heading over the author's (or the site's) box: "About Jane Doe", "Sobre Carlos Lima"
_ABOUT_MARK = re.compile(
    r"^\W*(?:about|sobre|acerca de|[àa] propos(?: de)?|[üu]ber|over|tentang)\s+(?P<name>\S+(?:\s+\S+){1,3})\W*$", re.I
)


def _cut_author_box(lines: list[Line], b0: int, b1: int) -> None:
    """Inside the body, a single paragraph under an "About <First Last>" heading and followed
    by furniture is the author's box (a section of the article runs on for paragraphs)."""
    for i in range(b0, min(b1, len(lines) - 1)):
        ln = lines[i]
        m = _ABOUT_MARK.match(ln.text) if "section" in ln.flags else None
        if m is None or not _is_name_line(m.group("name")):
            continue
        nxt = lines[i + 1]
        after = lines[i + 2] if i + 2 < len(lines) else None
        if nxt.prose and nxt.verdict == "keep" and (after is None or not after.prose):
            nxt.verdict = "boilerplate:bio"


def _reason(ln: Line) -> str:
    order = [
        "caption",
        "poll",
        "card",
        "promo",
        "comment",
        "template",
        "breadcrumb",
        "read-time",
        "section",
        "nav",
        "bio",
        "dup",
        "twin",
        "repeated",
        "link",
        "stamp",
        "cta",
        "symbols",
    ]
    for f in order:
        if f in ln.flags:
            return f"boilerplate:{f}"
    return "boilerplate"


def _add_authors(text: str, result: CleanResult) -> None:
    m = _BYLINE.match(text)
    names = m.group("names") if m else text
    for n in re.split(r"\s*(?:,|\band\b|&)\s*", names):
        n = n.strip(" .")
        if n and len(n.split()) <= 5 and n not in result.authors:
            result.authors.append(n)


def _metadata_or_boilerplate(ln: Line, result: CleanResult, before_body: bool, first_after: bool = False) -> str:
    t = ln.text
    if "byline" in ln.flags:
        _add_authors(t, result)
        return "metadata:byline"
    if "date" in ln.flags:
        result.dateline = result.dateline or t
        return "metadata:dateline"
    lt = t.lower()
    m = _COPYRIGHT.search(t) if ("©" in t or "(c)" in lt or "copyright" in lt) else None
    if m and ln.words <= 15 and result.outlet is None:
        name = re.sub(r"\b(?:all rights reserved|ltd|inc|llc)\b.*$", "", m.group("name"), flags=re.I).strip(" .-–")
        if name and len(name.split()) <= 6:
            result.outlet = name
            return "metadata:outlet"
    strong = any(f in _STRONG for f in ln.flags)
    if (before_body or first_after) and not strong and not result.authors and (_is_name_line(t) or _DESK.match(t)):
        result.authors.append(t.strip())
        return "metadata:byline"
    if not before_body:
        if ln.prose and not any(f in _STRONG for f in ln.flags):
            return "after-article:teaser"
        if not any(f in _STRONG for f in ln.flags) and ln.words >= 3:
            return "after-article:related"
    return (
        _reason(ln) if any(f in _STRONG for f in ln.flags) else ("before-article" if before_body else "after-article")
    )


def _pick_title(before: list[Line], body: list[Line], result: CleanResult) -> None:
    """The headline: a headline-shaped line before the body whose words the body takes up.

    A breadcrumb's last item names it when it repeats a line; otherwise the candidate
    (among the last lines before the body) with the largest share of its content words
    in the body's opening paragraphs, if at least half of them are there.
    """
    crumbs = [ln for ln in before if "breadcrumb" in ln.flags]
    cands = [
        ln
        for ln in before[-15:]
        if (ln.verdict == "before-article" or {f for f in ln.flags if f in _STRONG} == {"twin"})
        and 3 <= ln.words <= 30
        and not ln.text.endswith(".")
        and ln.text[:1].isupper() | (not ln.text[:1].isalpha())
        and not (set(ln.flags) & {"template", "read-time", "section", "breadcrumb", "link", "date", "byline", "stamp"})
    ]
    if crumbs:
        tail = re.split(_BREADCRUMB_SEP, crumbs[-1].text)[-1].strip()
        for ln in cands:
            if line_key(ln.text) == line_key(tail):
                result.title = ln.text
                ln.verdict = "metadata:title"
                return
    lead: set[str] = set()
    for ln in body:
        if ln.prose:
            lead.update(ln.bag)
            if len(lead) > 150:
                break
    best, best_share = None, 0.0
    for pos, ln in enumerate(cands):
        bag = ln.bag
        if len(bag) < 2:
            continue
        share = len(bag & lead) / len(bag) + 0.01 * pos / len(cands)  # nearer the body wins ties
        if share > best_share:
            best, best_share = ln, share
    if best is not None and best_share >= 0.5:
        result.title = best.text
        best.verdict = "metadata:title"


def _blocks(lines: list[Line], raw: str) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    last_cut = False  # blocks join only adjacent cut lines of one reason
    for ln in lines:
        if ln.verdict == "keep":
            for (_, a), (b, _) in zip(ln.pieces, ln.pieces[1:], strict=False):
                blocks.append({"start": a, "end": b, "text": raw[a:b], "reason": "boilerplate:hover-card"})
            last_cut = False
            continue
        if blocks and last_cut and blocks[-1]["reason"] == ln.verdict and not ln.verdict.startswith("metadata"):
            blocks[-1]["end"] = ln.end
            blocks[-1]["text"] = raw[blocks[-1]["start"] : ln.end]
        else:
            blocks.append({"start": ln.start, "end": ln.end, "text": raw[ln.start : ln.end], "reason": ln.verdict})
        last_cut = True
    return blocks


# -------------------------------------------------------------------------------- stage
@article_stage("clean")
def clean_stage(doc: ArticleDoc, settings: Settings) -> None:
    """Clean text input (HTML input is cleaned by extraction); fill missing metadata."""
    if doc.raw.html is not None or not settings.clean:
        return
    art = doc.article
    raw = art.raw_text if art.raw_text is not None else art.text
    opts = settings.stage("clean")
    keep = opts.get("keep") or []
    if isinstance(keep, str):
        keep = [keep]
    # set by the build's corpus pre-pass (storyline.api.mark_repeated_lines)
    repeated = opts.get("repeated") or art.meta.pop("repeated_lines", None) or ()
    res = clean_text(raw, repeated=set(repeated), keep=keep)
    if not res.text.strip():
        # nothing recognisable as an article: keep the input rather than lose it
        return
    art.raw_text = raw
    art.text = res.text
    art.layers["removed"] = res.removed
    if not art.title and res.title:
        art.title = res.title
    if not art.authors and res.authors:
        art.authors = list(res.authors)
    if not art.outlet and res.outlet:
        art.outlet = res.outlet
    if res.dateline and "dateline" not in art.meta:
        art.meta["dateline"] = res.dateline
