"""Word lists the provenance rules read: reporting cues, titles, source heads.

Lists, not logic, so that a missed cue is fixed by adding a word here. Every
list is lower case and compared with the lower-cased word, except where a
comment says otherwise.
"""

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Reporting verbs in every form that reports (PARC's "source-introducing
# predicates"). Forms that are also common nouns ("report", "note", "states")
# are only cues where no determiner precedes them (see ``engine``).
CUE_VERBS = _words(
    "say says said saying tell tells told telling add adds added adding argue "
    "argues argued arguing claim claims claimed claiming insist insists "
    "insisted insisting deny denies denied denying admit admits admitted "
    "admitting allege alleges alleged alleging accuse accuses accused accusing "
    "warn warns warned warning stress stresses stressed stressing note notes "
    "noted noting confirm confirms confirmed confirming announce announces "
    "announced announcing estimate estimates estimated estimating report "
    "reports reported reporting urge urges urged urging pledge pledges pledged "
    "pledging vow vows vowed vowing condemn condemns condemned condemning "
    "censure censures censured censuring defend defends defended defending "
    "write writes wrote writing explain "
    "explains explained explaining stated declare declares declared declaring "
    "assert asserts asserted asserting maintain maintains maintained contend "
    "contends contended acknowledge acknowledges acknowledged acknowledging "
    "concede concedes conceded conceding predict predicts predicted predicting "
    "promise promises promised promising suggest suggests suggested suggesting "
    "complain complains complained complaining criticise criticises criticised "
    "criticising criticize criticizes criticized criticizing reply replies "
    "replied respond responds responded recall recalls recalled reveal reveals "
    "revealed revealing disclose discloses disclosed emphasise emphasises "
    "emphasised emphasising emphasize emphasizes emphasized emphasizing observe "
    "observes observed remark remarks remarked commented threaten threatens "
    "threatened threatening demand demands demanded demanding believe believes "
    "believed think thinks dispute disputes disputed blame blames blamed "
    "blaming describe describes described call calls called tweet tweets "
    "tweeted testify testifies testified caution cautions cautioned forecast "
    "forecasts forecasted ask asks asked repeat repeats repeated reiterate "
    "reiterates reiterated insist signal signals signalled signaled hint hints "
    "hinted reckon reckons reckoned recommend recommends recommended "
    "recommending calling found finds concluded concludes showed shows asking "
    "hinting "
    # Beliefs and feelings (PARC's attributions beyond speech): suggested as
    # indirect, and only with a clause (``NEEDS_CLAUSE``).
    "fear fears feared hope hopes hoped worry worries worried expect expects "
    "expected suspect suspects suspected doubt doubts doubted feel feels felt "
    "thought"
)

# A cue verb directly after one of these is a noun or an adjective ("the
# report", "an estimated 300", "a noted economist"), not a cue.
DETERMINERS = _words(
    "a an the this that these those its his her their our my your whose any "
    "every each no some such one"
)
# "were told to leave": a passive speech verb reports nobody's words.
PASSIVE_AUX = _words("was were been being be is are am get got")
# Words after a cue verb that make it something else ("claimed the lives").
NOT_CUE_AFTER = {
    "claimed": ("the lives", "lives", "responsibility", "victory", "the title"),
    "claims": ("the lives", "lives", "responsibility"),
    "called": ("off", "up", "in", "out", "back", "it a day"),
    "calls": ("off", "up", "in", "out", "back"),
    "reported": ("missing", "dead"),
    "added": ("value", "to the list", "to the"),
    # "who asked not to be named": the source's condition, not a question
    "asked": ("not to", "that his name", "that her name", "that their names"),
    # "denied access": refused something, reported no words
    "denied": (
        "access",
        "entry",
        "bail",
        "permission",
        "a visa",
        "visas",
        "them",
        "him",
        "her",
        "passage",
        "the request",
        "requests",
    ),
    "denies": ("access", "entry", "bail", "permission", "a visa", "visas"),
}
# Cues of belief, expectation and feeling rather than speech.
BELIEF_CUES = _words(
    "believe believes believed think thinks thought fear fears feared hope hopes "
    "hoped worry worries worried expect expects expected suspect suspects "
    "suspected doubt doubts doubted feel feels felt"
)
# Cues that report only when a clause, a quotation, "that" or a colon follows
# (or the content comes before them): in other senses they take an object
# ("Prices maintained their climb", "responded with a motion", "added two
# floors", "recalled 40,000 vehicles").
NEEDS_CLAUSE = (
    _words(
        "maintain maintains maintained respond responds responded reply replies "
        "replied admit admits admitted add adds added recall recalls recalled "
        "observe observes observed signal signals signalled signaled"
    )
    | BELIEF_CUES
)

# Between a source and its verb: auxiliaries, adverbs and time phrases.
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|"
    "november|december|spring|summer|autumn|fall|winter"
)
_PERIODS = rf"week|month|year|night|morning|afternoon|evening|weekend|{_WEEKDAYS}"
AUX_TAIL = re.compile(
    r"(?:\s+(?:has|have|had|will|would|could|might|may|should|must|did|does|do|"
    r"also|later|again|previously|repeatedly|publicly|privately|once|recently|"
    r"earlier|already|further|then|only|even|never|still|often|first|"
    r"separately|immediately|quickly|flatly|firmly|strongly|angrily|bluntly|"
    r"not|yesterday|today|tonight|since|overnight|"
    # "wrongly", "flatly": a lower-case adverb, never a name ("Kelly")
    r"(?-i:(?!(?:family|ally|assembly|supply|monopoly|rally|bully|daily|weekly|"
    r"monthly|quarterly|elderly|early|anomaly|homily|belly|jelly)\b)[a-z]{2,}ly)|"
    rf"(?:late\s+|early\s+)?on\s+(?:{_WEEKDAYS})"
    r"(?:\s+(?:night|morning|afternoon|evening))?|"
    rf"(?:(?:earlier|later)\s+)?(?:last|this|next)\s+(?:{_PERIODS})|"
    rf"(?:in|during|until|by)\s+(?:early\s+|late\s+|mid-)?(?:{_MONTHS}|\d{{4}})"
    r"(?:\s+\d{4})?|at\s+the\s+weekend|a\s+(?:day|week)\s+later|"
    r"(?:has|have|had)\s+(?:issued|released|published|put\s+out|sent|made)\s+"
    r"(?:a|an)\s+(?:joint\s+|short\s+|brief\s+|written\s+)?(?:statement|"
    r"communiqu[ée]|declaration|press\s+release|letter|report|note)|"
    r"(?:issued|released|published|put\s+out|sent)\s+(?:a|an)\s+"
    r"(?:joint\s+)?(?:statement|communiqu[ée]|declaration|press\s+release|"
    r"letter|report)|"
    r"in\s+(?:a|an|its|his|her|their)\s+(?:joint\s+)?(?:statement|interview|"
    r"letter|report|post|speech|memo))\b)+$",
    re.IGNORECASE,
)
LEAD_FILLER = re.compile(
    r"^(?:(?:but|and|yet|so|still|meanwhile|however|separately|earlier|later|"
    r"now|instead|also|then|moreover|indeed|in\s+turn|for\s+(?:its|his|her|their)"
    r"\s+part|in\s+(?:a|an)\s+(?:statement|interview)|"
    rf"(?:on|last|this|late\s+on|early\s+on)\s+(?:{_WEEKDAYS}|week|month|year|"
    r"night|morning|evening)|"
    r"(?:just\s+)?(?:days|weeks|hours|months)\s+later|"
    r"yesterday|today)\b[\s,]*)+",
    re.IGNORECASE,
)

# Words a source phrase may begin with besides a capitalised word.
NP_OPENERS = DETERMINERS | _words(
    "he she it they we i two three four five six seven eight nine ten dozens "
    "several many most both all critics officials analysts experts residents "
    "witnesses police protesters activists researchers scientists economists "
    "investigators prosecutors lawmakers doctors sources diplomats"
)
PRONOUNS = {"he": "person", "she": "person", "it": "thing", "they": "plural"}
# Heads that make a reference back when "the" precedes them and nothing in
# the document matched them by word ("the company" after "Nordia Energy Corp.").
_COMPANY = (
    "corp", "inc", "ltd", "plc", "llc", "company", "group", "firm", "ab", "gmbh",
    "ag", "sa", "nv", "co",
)  # fmt: skip
ORG_SUFFIXES = ("Corp.", "Inc.", "Ltd", "AB", "GmbH", "AG", "plc", "PLC", "LLC")
HEAD_CLASSES = {
    "company": _COMPANY,
    "firm": _COMPANY,
    "operator": _COMPANY,
    "maker": _COMPANY,
    "caterer": _COMPANY,
    "contractor": _COMPANY,
    "group": ("group", "groups", "alliance", "front", "movement", "coalition"),
    "ministry": ("ministry", "department"),
    "government": ("government", "ministry", "cabinet", "administration"),
    "agency": ("agency", "office", "authority", "commission", "service"),
    "organisation": ("organisation", "organization", "agency", "association"),
    "organization": ("organisation", "organization", "agency", "association"),
    "party": ("party",),
    "union": ("union",),
    "bank": ("bank",),
    "court": ("court", "tribunal"),
    "document": ("statement", "report", "audit", "letter", "memo"),
}
# Heads that make a document a source.
DOCUMENT_HEADS = _words(
    "statement report audit study survey letter memo memorandum document filing "
    "communique communiqué analysis review assessment ruling indictment "
    "complaint post tweet release paper draft minutes transcript email notice "
    "order judgment verdict decree bill proposal circular"
)
# Cues that report only with "that" after them or a document as source
# ("an audit found that", not "police found a body").
NEEDS_THAT = _words("found finds concluded concludes showed shows recommend recommends")
# Phrases that make a source anonymous.
ANONYMOUS_MARKS = re.compile(
    r"anonymity|not\s+authori[sz]ed|asked\s+not\s+to\s+be|declined\s+to\s+be|"
    r"briefed\s+on|familiar\s+with|close\s+to\s+the|who\s+requested|"
    r"speaking\s+on\s+background|\bsources?\b|\bunnamed\b|\bsenior\s+official",
    re.IGNORECASE,
)
ANONYMOUS_HEADS = _words(
    "official officials aide aides source sources diplomat diplomats person "
    "people officer officers employee employees member members insider insiders "
    "staffer staffers adviser advisers advisor advisors executive executives"
)
# Words of a capitalised name that make it an organisation (case-sensitive).
ORG_WORDS = _words(
    "Ministry Bank Corp Corp. Inc Inc. Ltd Ltd. Plc PLC LLC Group Agency "
    "Institute University Council Commission Committee Party Union Association "
    "Federation Office Department Court Army Police Government Company "
    "Authority Board Fund Service Organization Organisation Foundation Alliance "
    "Coalition Front Movement Network Center Centre Society Parliament Assembly "
    "Congress Senate Cabinet Kremlin Pentagon Reuters News Times Post Radio "
    "Television Airlines Holdings Partners Trust Club League Forces Units Guard "
    "Navy Administration Secretariat Embassy Mission Programme Program Hospital "
    "School College Motors Energy Industries Bureau Directorate Council "
    "Tribunal Observatory Watch Institute Press Agency Broadcasting Daily "
    "Journal Herald Gazette Chamber Ministry Airways Railways Media Monitor "
    "Brigade Brigades Groups Nations Commission Red Cross Crescent UN U.N. NATO "
    "EU IMF WHO"
)
# Capitalised labels before a colon that name no speaker ("BREAKING: …").
NOT_SPEAKERS = _words(
    "BREAKING UPDATE UPDATED WATCH LIVE EXCLUSIVE ANALYSIS OPINION NOTE PHOTO "
    "PHOTOS VIDEO FACTBOX EXPLAINER"
) | {"FACT CHECK", "READ MORE", "SEE ALSO"}
# Capitals that speak for their governments ("Moscow said"), and movements
# named by one word: one capitalised word that is not a surname (exact case).
CAPITALS = _words(
    "Washington Moscow Beijing London Paris Berlin Tehran Kyiv Kiev Brussels "
    "Tokyo Ankara Jerusalem Damascus Baghdad Delhi Pyongyang Seoul Riyadh Cairo "
    "Ottawa Canberra Rome Madrid Warsaw Budapest Minsk Caracas Havana Kabul "
    "Islamabad Taipei Hanoi Manila Jakarta Pretoria Nairobi Abuja Brasilia"
)
MOVEMENTS = _words("Hamas Hezbollah Taliban Houthis Fatah Likud Sinn Fein")
GOVERNMENT_WORDS = _words(
    "government ministry cabinet administration kremlin pentagon parliament "
    "white house presidency department"
)
PUBLICATION_WORDS = _words(
    "radio television tv newspaper broadcaster daily channel news magazine "
    "reuters ap afp bbc cnn times post journal herald gazette tribune guardian "
    "telegraph press"
)
# After "told": an audience, not a conduit.
AUDIENCES = _words(
    "reporters journalists lawmakers legislators parliament congress senators "
    "supporters students a the crowd crowds delegates members residents "
    "investigators police court jurors jury committee hearing conference news "
    "press audience workers staff employees colleagues us me him her them "
    "voters viewers listeners readers party"
)
# Plural nouns for groups of people, which a capital at a sentence's start does
# not make a surname ("Officials said", "Traders said").
GROUP_NOUNS = (
    NP_OPENERS
    | AUDIENCES
    | ANONYMOUS_HEADS
    | _words(
        "traders farmers workers voters protesters officials residents teachers "
        "nurses doctors parents students pupils villagers shoppers drivers users "
        "customers owners landlords tenants fans players bankers brokers dealers "
        "lawyers judges soldiers troops rebels militants police locals others "
        "observers campaigners supporters opponents members leaders managers"
    )
)
# Titles and roles before a personal name; lower case, without a final dot.
TITLES = _words(
    "mr mrs ms miss mx dr prof gen maj lt col capt sgt sen rep gov rev hon pres "
    "adm brig cmdr cdr cpl pvt supt insp det sir dame lord lady general major "
    "lieutenant colonel captain sergeant senator representative governor "
    "president vice prime minister secretary spokeswoman spokesman spokesperson "
    "chairman chairwoman chair chairperson chief director ceo cfo coo head "
    "leader mayor ambassador envoy commissioner judge justice deputy economist "
    "analyst professor researcher driver teacher nurse farmer officer official "
    "commander inspector king queen prince princess pope sheikh ayatollah emir "
    "chancellor speaker attorney lawyer editor manager founder owner coach "
    "activist resident worker doctor physician surgeon scientist historian "
    "author writer chef pastor imam rabbi bishop cardinal superintendent "
    "sheriff marshal admiral brigadier field marshal councillor councilor "
    "alderman mp mep congressman congresswoman senior junior executive "
    "president-elect counsel adviser advisor aide consultant negotiator "
    "diplomat strategist pollster campaigner organiser organizer rep. "
    "governor-general treasurer whip"
)
# Abbreviations whose dot ends a name ("Nordia Corp.", "Maj."), title-case.
ABBREVIATIONS = TITLES | _words("corp inc ltd co jr sr bros plc st mt ft")
FEMALE_MARKS = _words(
    "mrs ms miss spokeswoman chairwoman congresswoman businesswoman dame lady "
    "queen princess she her woman"
)
MALE_MARKS = _words(
    "mr spokesman chairman congressman businessman sir lord king prince he his man"
)
NAME_PARTICLES = _words(
    "al al- el el- bin bint ibn de da di du del della van von der den la le ter "
    "dos das y"
)

# Claim wording (``wording``) -------------------------------------------------

# The simple past of each reporting verb's base form, for a claim worded with
# its source ("Iraqi resistance groups announced …"); the other forms of
# ``CUE_VERBS`` find their base by their ending ("announcing", "denies").
CUE_PAST = dict(
    pair.split(":")
    for pair in _words(
        "say:said tell:told add:added argue:argued claim:claimed insist:insisted "
        "deny:denied admit:admitted allege:alleged accuse:accused warn:warned "
        "stress:stressed note:noted confirm:confirmed announce:announced "
        "estimate:estimated report:reported urge:urged pledge:pledged vow:vowed "
        "condemn:condemned censure:censured defend:defended write:wrote "
        "explain:explained state:stated declare:declared assert:asserted "
        "maintain:maintained contend:contended acknowledge:acknowledged "
        "concede:conceded predict:predicted promise:promised suggest:suggested "
        "complain:complained criticise:criticised criticize:criticized "
        "reply:replied respond:responded recall:recalled reveal:revealed "
        "disclose:disclosed emphasise:emphasised emphasize:emphasized "
        "observe:observed remark:remarked comment:commented "
        "threaten:threatened demand:demanded believe:believed think:thought "
        "dispute:disputed blame:blamed describe:described call:called "
        "tweet:tweeted testify:testified caution:cautioned forecast:forecast "
        "ask:asked repeat:repeated reiterate:reiterated signal:signalled "
        "hint:hinted reckon:reckoned recommend:recommended find:found "
        "conclude:concluded show:showed fear:feared hope:hoped worry:worried "
        "expect:expected suspect:suspected doubt:doubted feel:felt"
    )
)
# Cues whose complement is an object, not a proposition ("condemned the
# attack", "urged the council to act"): the claim keeps source and verb even
# where a clause follows ("condemned the attack that killed 12").
OBJECT_CUES = _words(
    "condemn censure defend criticise criticize blame accuse urge demand describe call"
)
# Cues that report words the source does not assert ("denied that the plant
# closed"): the content alone would turn a denial into the claim itself.
NON_ASSERTING_CUES = _words("deny dispute ask")
# Words that make a clause finite: auxiliaries and modals (with their
# contractions), and the irregular past tenses common in news. A regular
# "-ed" word is judged by its neighbours instead (``wording``).
FINITE_VERBS = _words(
    "is are was were am will would can could shall should may might must has "
    "have had does did do cannot won't wouldn't can't couldn't shouldn't isn't "
    "aren't wasn't weren't hasn't haven't hadn't doesn't didn't don't mustn't "
    "won’t wouldn’t can’t couldn’t shouldn’t isn’t aren’t wasn’t weren’t "
    "hasn’t haven’t hadn’t doesn’t didn’t don’t mustn’t it's it’s that's "
    "that’s there's there’s he's he’s she's she’s "
    "rose fell grew went came took gave made got saw knew thought told found "
    "began became left lost won paid sold bought brought built fought ran met "
    "kept held led meant sent spent stood wrote broke chose spoke drove fled "
    "froze hid sank shrank stole struck swore threw wore ate drew flew forgot "
    "hung sat slept sought taught understood withdrew said says costs cost "
    "remains remain exists exist seems seem"
)
# Contractions that end in a finite verb ("they’re", "we’ll", "I’d").
FINITE_SUFFIXES = ("’re", "'re", "’ll", "'ll", "’ve", "'ve", "’d", "'d", "’m", "'m")
