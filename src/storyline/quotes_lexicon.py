"""Word lists for attribution: reporting verbs, addressee-taking verbs, titles.

These are general English news-writing vocabulary (after the cue lexicons of PARC3 and
of the Gender Gap Tracker), not lists drawn from any particular article.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Verbs of saying: introduce direct quotes and indirect speech.
SPEECH_VERBS = _words("""
    say tell add state claim argue insist warn note explain announce declare assert acknowledge
    admit deny write tweet post reply respond answer ask suggest predict promise vow pledge
    threaten report confirm reveal stress emphasize emphasise maintain contend observe remark
    comment recall conclude complain urge caution allege point concede boast joke quip mention
    testify indicate estimate agree disagree charge counter retort lament assure signal hint
    proclaim recount repeat reiterate exclaim shout yell whisper cry demand inform advise tout
    brag insist speculate acknowledge blast slam praise criticize criticise accuse describe
    call continue propose recommend question wonder muse reason underscore highlight
    posit opine object protest plead concur affirm disclose divulge announce predict read
    """)

# Verbs that introduce a speaker whose words follow in the next sentence or paragraph
# ("Mayor Smith spoke on Monday. \u201cWe are rebuilding...\u201d").
INTRO_VERBS = _words("speak talk address testify explain respond reply comment write tweet post")

# Nouns for something said, whose issuer speaks the quote that follows.
STATEMENT_NOUNS = _words(
    "statement speech remarks remark interview message letter tweet post comment comments release email memo ad video"
)

# Documents that can be quoted ("From the report: '...'"), besides the statement nouns.
DOCUMENT_NOUNS = STATEMENT_NOUNS | _words(
    "report study survey editorial letter filing ruling judgment judgement complaint document transcript "
    "analysis paper indictment lawsuit memo affidavit order decision"
)

# Verbs of thinking and perceiving: attributions of belief, only with a clausal complement.
COGNITION_VERBS = _words("""
    believe think feel fear hope expect worry know doubt suspect understand assume guess figure
    reckon consider imagine acknowledge realize realise recognize recognise decide conclude
    insist want wish see find show suggest indicate
    """)

# Verbs of attitude, judgment, intention and stance: attributions of a (reported) mental
# state or evaluation, taking a clause, an infinitive, an object or a prepositional object.
ATTITUDE_VERBS = _words("""
    want refuse decide plan intend seek hope urge accuse criticize criticise blame praise attack
    ridicule mock defend support back endorse oppose reject demand deny welcome condemn thank
    congratulate applaud slam blast dismiss question challenge favor favour prefer like love hate
    dislike fear worry doubt trust promise pledge vow threaten offer propose recommend mention
    discuss describe address cite tout dispute agree disagree recognize recognise acknowledge
    admit concede announce predict forecast estimate expect anticipate consider regard view
    remember recall forget know learn realize realise understand believe think feel sense assume
    suspect wonder ask request invite encourage warn caution advise insist claim argue suggest
    call label dub brand characterize characterise portray depict attack lambaste chide scold
    rebuke denounce decry deplore lament regret apologize apologise boast brag complain protest
    acknowledge confirm reveal disclose dispute contest reaffirm reiterate repeat stress emphasize
    emphasise highlight note observe imply hint signal indicate show find reveal suggest
    """)

# Verbs of attitude whose object alone is a thing handled, not a position taken (verbs of
# transfer, search, discovery, knowledge, continuing, adding): "offered a new package",
# "found the money", "continued the talks" report no one's words; these verbs attribute
# only with a clause or an infinitive ("offered to resign", "found that ...").
THING_OBJECT_VERBS = _words("offer give seek find show know understand read continue maintain add")

# Prepositions whose object is what a stance verb is about ("warned of", "talked about").
ABOUT_PREPS = _words("of about on for against to over with at")

# Reporting verbs whose subject is a relay (a paper, an agency), not the speaker.
RELAY_VERBS = _words("report quote cite relay")

# Verbs whose direct object is the addressee (``told reporters``).
ADDRESSEE_VERBS = _words("tell ask inform assure advise warn remind urge answer brief")
# ... those whose object is always the one addressed, never an inverted speaker
# ('"...," told Mr. Obama' is not Obama's)
ADDRESSEE_ONLY_VERBS = _words("tell inform brief remind assure")

# Nouns that stand for a speaker only as a group or anonymously.
ANONYMOUS_HEADS = _words("""
    official officials source sources aide aides person people spokesman spokeswoman spokesperson
    diplomat diplomats analyst analysts expert experts observer observers insider insiders
    """)

# Head nouns of descriptors that can stand for a named person's office, with the
# office words they may refer back to ("the Russian leader" -> "President Putin").
TITLE_FAMILIES: dict[str, frozenset[str]] = {
    "leader": _words("president premier chancellor king queen leader head chief chairman prime general-secretary boss"),
    "boss": _words("leader head chief chairman general-secretary boss"),
    "judge": frozenset(["judge", "justice"]),
    "justice": frozenset(["justice", "judge"]),
    "president": frozenset(["president"]),
    "minister": frozenset(["minister", "secretary", "chancellor"]),
    "secretary": frozenset(["secretary", "minister"]),
    "premier": frozenset(["premier", "prime"]),
    "chancellor": frozenset(["chancellor"]),
    "senator": frozenset(["senator", "sen"]),
    "governor": frozenset(["governor", "gov"]),
    "mayor": frozenset(["mayor"]),
    "spokesman": frozenset(["spokesman", "spokesperson"]),
    "spokeswoman": frozenset(["spokeswoman", "spokesperson"]),
    "spokesperson": frozenset(["spokesman", "spokeswoman", "spokesperson"]),
    "candidate": frozenset(["candidate", "nominee"]),
    "nominee": frozenset(["nominee", "candidate"]),
    "general": frozenset(["general", "gen"]),
    "ambassador": frozenset(["ambassador", "envoy"]),
    "envoy": frozenset(["envoy", "ambassador"]),
    "commander": frozenset(["commander", "general", "chief"]),
    "chief": frozenset(["chief", "head", "director", "chairman"]),
    "director": frozenset(["director", "head", "chief"]),
    "billionaire": frozenset(["billionaire", "businessman", "mogul"]),
    "businessman": frozenset(["businessman", "billionaire", "mogul"]),
    "congressman": frozenset(["congressman", "rep", "representative"]),
    "congresswoman": frozenset(["congresswoman", "rep", "representative"]),
}

PERSON_PRONOUNS = {"he": "m", "him": "m", "she": "f", "her": "f"}
GROUP_PRONOUNS = frozenset({"they", "them", "we"})
FIRST_PERSON = frozenset({"i", "we", "me", "us"})
SECOND_PERSON = frozenset({"you", "yourself", "yourselves"})
# Pronouns that never stand for a named entity of the text: the generic or addressed "you",
# demonstratives and quantifiers ("Those who are interested should write ...").
UNRESOLVED_PRONOUNS = _words(
    "you yourself yourselves those these this some all many most others both few several any each none one"
)

# Head nouns of descriptors for an organisation of its own kind, named with that word
# ("the union" -> "the Saltmere Dockworkers' Union", "the ministry" -> "the Transport Ministry").
ORG_KIND_HEADS = _words("""
    union ministry department party court council committee commission agency government
    parliament university police army association federation chamber league club board
    authority office institute foundation trust
    """)

# Head nouns of descriptors for a business, which refer back to a company named as a
# subject just before ("Acme Corp said ... The company warned ...").
COMPANY_HEADS = _words("""
    company firm operator employer business corporation carrier airline manufacturer
    retailer chain lender insurer developer producer maker conglomerate utility
    """)
