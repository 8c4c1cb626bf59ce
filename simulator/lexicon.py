"""Text normalisation and the cue lists the turn analyser matches.

Every cue is a regular-expression fragment over a sentence's words joined by single spaces:
lower case, punctuation removed, contractions expanded ("what's" -> "what is", "don't" ->
"do not", "I'd" -> "i would"). The analyser indexes each cue by the word it starts with, or
by that word's first three letters when only its start is fixed ("worr(?:y|ies)"), so a cue
must start with a word, a group of words, or three fixed letters.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("english")

# --- normalisation -------------------------------------------------------------------------

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'"})
# A word of any script, keeping one apostrophe inside it ("what's", "don't", "team's").
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
# What is left in front of "n't" ("ca" + "n't" = "can't").
_NOT_STEMS = {"ca": "can", "wo": "will", "sha": "shall", "ai": "is"}
_IS_HOSTS = frozenset(
    "it that what there here how who where when why he she this everything something "
    "nothing everyone someone".split()
)
_SUFFIXES = {"re": "are", "ve": "have", "ll": "will", "d": "would", "m": "am"}


@lru_cache(maxsize=4096)
def _expand(token: str) -> tuple[str, ...]:
    word, _, suffix = token.partition("'")
    if suffix == "t" and word.endswith("n"):
        return (_NOT_STEMS.get(word[:-1], word[:-1]), "not")
    if suffix == "s":
        if word == "let":
            return ("let", "us")
        # "what's" is "what is"; any other "'s" is a possessive and just goes.
        return (word, "is") if word in _IS_HOSTS else (word,)
    if suffix in _SUFFIXES:
        return (word, _SUFFIXES[suffix])
    return (word, suffix)


def normalise(text: str) -> str:
    """Lower case with straight apostrophes; punctuation is kept for sentence splitting."""
    return text.lower().translate(_QUOTES)


# Sentence and clause marks as `pieces` gives them.
QUESTION_END, SENTENCE_END, CLAUSE_BREAK = "?", ".", ","
MARKS = frozenset({QUESTION_END, SENTENCE_END, CLAUSE_BREAK})
# "." and "!" end a sentence only before a space, so "1.5" stays one number.
_PIECE = re.compile(
    r"[^\W_]+(?:'[^\W_]+)?|\?|[.!](?=\s|$)|[\r\n]|[,;:()\[\]\"\u2014\u2013]|(?<=\s)-(?=\s)"
)
_MARK_OF = {"?": QUESTION_END, **dict.fromkeys(".!\r\n", SENTENCE_END)}


# Contractions typed without the apostrophe ("whats", "dont"); ambiguous ones ("its",
# "ill", "were", "id") are left alone.
_BARE = {
    bare: _expand(full)
    for full in """
    what's how's who's where's that's there's don't doesn't didn't isn't aren't wasn't
    weren't can't won't wouldn't couldn't shouldn't haven't hasn't hadn't i'm i've you're
    you've you'll they're they've we've
    """.split()
    if (bare := full.replace("'", ""))
}


def pieces(normalised: str) -> list[str]:
    """Words (contractions expanded) and the marks between them: "?", "." and ","."""
    found: list[str] = []
    bare = _BARE
    for token in _PIECE.findall(normalised):
        if token.isalnum():
            if token in bare:
                found.extend(bare[token])
            else:
                found.append(token)
        elif "'" in token:
            found.extend(_expand(token))
        else:
            found.append(_MARK_OF.get(token, CLAUSE_BREAK))
    return found


def words(normalised: str) -> list[str]:
    """The words of normalised text, contractions expanded ("don't" -> "do", "not")."""
    return [word for word in pieces(normalised) if word not in MARKS]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball English stem; cached, as conversations repeat their words."""
    stemmed: str = _STEMMER.stemWord(word)
    return stemmed


# --- stop words ----------------------------------------------------------------------------

# Function words plus the small talk of a conversation: none of them show that the rep
# picked up what the customer said.
STOP_WORDS = frozenset(
    """
    a about above after again against all almost also although always am among an and any
    anyone anything are around as at away back be because been before being below between
    both but by can cannot could did do does doing done down during each either else enough
    even ever every everyone everything few for from further had has have having he her here
    hers herself him himself his how however i if in into is it its itself just least less
    let like likely lot lots made make makes making many may maybe me might mine more most
    much must my myself neither never no nor not now of off often on once one only onto or
    other others otherwise our ours ourselves out over own per perhaps quite rather really
    same shall she should since so some someone something sometimes still such than that the
    their theirs them themselves then there these they thing things this those though through
    thus to too toward towards under until up upon us very via was we well were what whatever
    when where whether which while who whom whose why will with within without would yes yet
    you your yours yourself yourselves
    actually ah alright anyway bit cool course definitely great guess hmm hey hi hello kind
    oh ok okay please pretty right sort sure thanks thank totally uh um yeah yep
    ask asked asking come comes coming describe feel feels felt get gets getting go goes going
    gone got hear heard help know knew look looking looks mean means meant mention mentioned
    say saying says said see seem seems share show sound sounds speak talk talked talking tell
    telling think thinking told walk want wanted wants way ways wonder wondering curious love
    today currently moment bring brought happen happened happens
    """.split()
)

# --- sentence shape ------------------------------------------------------------------------

# Discourse words that may open a clause before the real question word.
FILLERS = frozenset(
    """
    so and but ok okay well also now then just hmm um uh oh ah yeah yes no sure actually
    honestly anyway alright right great cool interesting thanks gotcha understood perfect
    please wow
    """.split()
)
# Multi-word openers with the same role ("Got it, ...", "Out of curiosity, ...").
FILLER_PHRASES = (
    "got it",
    "i see",
    "makes sense",
    "fair enough",
    "out of curiosity",
    "quick question",
    "one more thing",
    "thank you",
    "that makes sense",
)

AUXILIARIES = frozenset(
    """
    do does did is are was were am have has had can could would will should shall may might
    must
    """.split()
)

# After an opening auxiliary these words mean a statement ("Could be worth a look"),
# not a question ("Could you...").
NOT_A_SUBJECT = frozenset(
    """
    be been being love like help do have make get go use see want need happen take work mean
    try save also probably definitely maybe always never just really certainly totally tell
    """.split()
)

OPEN_WH = frozenset({"what", "why", "how"})
CLOSED_WH = frozenset({"which", "who", "whom", "whose", "when", "where", "whereabouts"})

# "how" asking for a number, a duration or a degree.
HOW_CLOSED = frozenset(
    """
    many much often long soon far big large old frequently quickly fast early late likely
    regularly
    """.split()
)

# "what" asking for a fact: "What time...", "What's your turnover rate?", "What timeline...".
WHAT_CLOSED = frozenset(
    """
    time day date year month week percentage percent number amount size version rate timeline
    budget range headcount volume figure total count cost price deadline ratio name ballpark
    score spend revenue salary
    """.split()
)
# In a "what if", these make it a proposal of what could be, to agree with or not.
CAPABILITY = frozenset("could can able itself themselves automatically instantly never".split())
# "What other vendors...": asks to name them.
NAMED_THINGS = frozenset(
    """
    vendors tools systems providers suppliers products solutions companies software platforms
    apps options
    """.split()
)
# "What's..." asking for one of the facts above: the determiners before it.
FACT_DETERMINERS = frozenset({"your", "the", "their", "its"})

PERSONAL_PRONOUNS = frozenset({"i", "we", "you", "they", "he", "she"})
DETERMINERS = frozenset(
    {"it", "the", "this", "that", "these", "those", "our", "my", "there", "a", "an"}
)
# "how" followed by anything but these, with no question mark, exclaims ("How interesting.").
HOW_ASKS = frozenset({"so", "come", "about"})

# A relative "which" ("which means you are stuck") opens no question.
RELATIVE_WHICH_NEXT = frozenset(
    {"means", "meant", "makes", "made", "leaves", "left", "gives", "puts", "would"}
)

# A question made only of these words invites a free answer ("And?", "Such as?", "Because?").
ELLIPTICAL_OPEN = frozenset(
    """
    and so then because meaning example instance for such as like what why how else
    thoughts go on any is
    """.split()
)

# Words a clause may end with to make a tag question ("..., right?").
TAG_WORDS = frozenset({"right", "correct", "yes", "no", "yeah", "true", "ok", "okay", "fair"})

# --- question cues -------------------------------------------------------------------------

# Open by themselves, with or without a question mark, also inside a polite wrapper.
OPEN_CUES = (
    r"(?:tell|walk|talk|take|run|fill|catch) (?:me|us) (?:more|a bit|a little|about|through"
    r"|in|up|how|what|why|the story|your story)",
    r"^tell me$",
    r"(?<!let me )(?<!i will )(?<!i can )(?<!we can )(?<!happy to )(?<!i would )"
    r"(?:describe|explain|elaborate|unpack|expand on)",
    r"(?:say|share|speak|talk) (?:a bit |a little )?more",
    r"help me (?:understand|see|picture|get a sense|get my head)",
    r"give me (?:a|an|some) (?:sense|feel|picture|idea|flavou?r|rundown|overview|example)",
    r"paint (?:me )?a picture",
    r"(?<!we )(?<!i )(?<!they )(?:go on|keep going)$",
    r"(?:love|like|keen|want|eager|glad|interested|happy) to (?:hear|learn|understand)",
    r"curious (?:about|how|what|why|to)",
    r"wonder(?:ing)? (?:about|how|what|why)",
    r"interested in (?:hearing|learning|understanding|how|what|why)",
    r"(?:know|knowing|ask|asking|understand|understanding|learn|learning|hear|hearing|see|seeing"
    r"|find out|share|sharing|explaining|describing|telling me|think about|thinking about|idea"
    r"|sense|thoughts on|views? on|take on) (?:what|why|how)",
    r"mind (?:sharing|telling|explaining|walking|describing|talking)",
    r"(?:talk|speak|chat) (?:to|with) (?:me|us) (?:about|through)",
    r"how (?:so|come)",
    r"in what way",
    r"(?:can|could|shall|let|may) (?:we|us|i) (?:talk|chat|dig|dive|look|go|hear)"
    r" (?:about|into|through|at|over|more)",
    # A yes/no wrapper around an invitation to talk.
    r"(?:do|would) you (?:want|like|care) to (?:talk|tell me|say more|share|speak|chat)"
    r" (?:about|more|through)",
    r"(?:any|your) thoughts (?:on|about)|what are your thoughts",
    r"where do you see (?:\w+ ){0,3}(?:heading|going|ending up|in (?:a|one|two|three|five|ten"
    r"|the))",
)

# Asking for a rating: a number, whatever question word follows.
RATING_CUES = (
    r"(?:on )?(?:a )?scale of (?:\w+ )?(?:one|1|zero|0) to (?:\w+ )?(?:ten|10|five|5)"
    r"|out of (?:ten|10|five|5)$",
)

# An embedded yes/no, number or fact question inside a wrapper ("Can you tell me if...").
CLOSED_EMBED = (
    r"(?:tell me|tell us|know|ask|wonder(?:ing)?|curious|understand|confirm|check|clarify"
    r"|find out|sure|learn|hear) (?:if|whether|when|where|who|whom|which"
    r"|how (?:many|much|often|long|soon|far|big|large|old))",
    # Asking for a number in the imperative: "Give me a ballpark for...".
    r"give me (?:a |an |the |some )?(?:rough |quick )?(?:ballpark|number|figure|estimate|count)",
)

# A clause the seller says about themselves is not a question to the customer.
SELLER_OPENERS = frozenset({"let me", "i will", "i can", "i could", "we", "our", "here is"})

# --- pitch ---------------------------------------------------------------------------------

PITCH_CUES = (
    r"(?:our|my) (?:\w+ )?(?:platform|product|products|solution|solutions|tool|tools|software"
    r"|system|app|service|services|offering|dashboard|technology|tech|feature|features|module"
    r"|modules|integration|integrations|pricing|plans?|customers|clients|users|approach|engine"
    r"|automation|api|roadmap|implementation|onboarding)",
    r"we (?:offer|provide|help|sell|build|built|make|specialise|specialize|work with|partner"
    r"|automate|integrate|connect|plug|support|enable|solve|can help|could help|can show"
    r"|can get|can set|can save|can cut|can automate|can integrate|have helped|have a|have an"
    r"|have built|are the|are a|are an|do this|do that)",
    r"let me (?:show|send|walk you|tell you about|share (?:a|our|some|my screen|how we)"
    r"|explain (?:how|what) (?:we|our)|give you a)",
    r"i (?:can|could|will|would (?:love|like) to) (?:show|set you up|get you|share (?:our|my)"
    r"|give you a)",
    r"(?:demo|demos|free trial|trial period|trial account|pilot program|proof of concept"
    r"|case stud(?:y|ies)|white ?paper|brochure|one pager|datasheet|testimonials?|discount"
    r"|discounts|promo|special offer|introductory (?:price|offer|rate)|per seat|per user"
    r"|pricing (?:page|plans?|tiers?|options|starts)|price list|sign up|signup|onboard you"
    r"|get you (?:set up|started|onboarded)|set you up with|roi calculator|share my screen)",
    r"(?:send|sent|sending|email|emailing) (?:you |over |it over )?(?:a |an |the |our |some )?"
    r"(?:\w+ ){0,2}(?:proposal|quote|deck|info|information|brochure|pricing|link|case stud"
    r"|video|overview|one pager|recording)",
    r"(?:put|pull|get) together (?:a |an |the |some )?(?:\w+ )?(?:proposal|quote|business case"
    r"|deck)|(?:prepare|draft|write up) (?:a |an |the )?(?:\w+ )?(?:proposal|quote|business case)",
    r"roi (?:numbers|figures|calculation|case|analysis|model)|(?:run|crunch|work out) the roi",
    # A hypothetical in which things sort themselves out: the offering, unnamed.
    r"what if (?!you )(?:\w+ ){1,7}(?:could|can|were able to|itself|themselves|automatically"
    r"|on its own|by itself)",
    r"plugs? (?:straight |right |directly )?into",
    r"see how (?:it|this|we|our) works?",
    r"show you (?:how|what|a|our|around)",
    r"sign (?:the|a) contract|contract (?:today|this week|this month|this quarter|terms|length)",
    r"what if i (?:told|showed)",
    # Setting up the value before naming anything: still selling.
    r"would not it be (?:great|nice|good|easier|better|amazing|awesome|helpful|a relief)",
    r"(?:imagine|picture) if you could",
    r"how much (?:time|money|effort) (?:would|could) (?:you|your team) save",
    r"if (?:we|i|our \w+) (?:could|can|were able to) (?:give|help|show|get|make|offer|provide"
    r"|save|cut|automate|deliver|take|solve|fix)",
    r"(?:that is|this is|which is) (?:exactly |precisely )?(?:what|where|why|how) (?:we|our \w+)"
    r" (?:do|does|offer|offers|help|helps|solve|solves|fix|fixes|built|build|specialise"
    r"|specialize|come in|automate|automates|handle|handles|can|could|are good at)"
    r"|where we come in|(?:we|i) can help (?:with )?(?:that|this|you)",
)

# A question framed as a proposal: a pitch when it also names the offering or a solution.
PROPOSAL_FRAMES = (
    r"what if (?:you|we|there|i|your|a|an|it|this)",
    r"have you (?:ever )?(?:considered|thought about|looked at|looked into|explored|tried"
    r"|evaluated|heard of|seen)",
    r"(?:would|are|is|were) (?:you|your team|it) (?:be )?(?:open|interested|keen|up for|willing)",
    r"^(?:(?:so|and|but|ok|okay|well|now|then|also|right|sure) )*(?:would|could|will|might|can)"
    r" (?:a|an|some|something|having|it|this|that)",
    r"(?:would|will|could) (?:that|it|this) be (?:valuable|useful|helpful|of (?:value|interest"
    r"|use)|worth|interesting|attractive|appealing)",
    r"^(?:(?:so|and|but|ok|okay|well|now|then|also|right|sure) )*(?:could|can|shall|should)"
    r" (?:we|i) (?:get|set up|start|book|schedule|run|kick off|put|try|line up|organi[sz]e)",
    r"how (?:would|does|did) it (?:feel|sound|look)",
    r"(?:imagine|picture) (?:if|being able|you could|a world|having)",
    r"would not it be",
    r"(?:do|would) not you (?:think|agree|say|like|want)|would you agree",
    r"(?:would|could|will|can|might) (?:really )?(?:solve|fix|help|save|eliminate|remove|cut"
    r"|reduce|speed|streamline|transform|change|make)",
    r"is not it time",
    r"(?:do|would) you (?:want|like|wish) to (?:see|try|hear about|learn about|check out)",
    r"how about (?:a|an|we|i|trying|using|switching|giving)",
    r"why not (?:try|use|switch|automate|give|book|let)",
    r"would you (?:consider|try|use|switch|buy|pay)",
    r"can i (?:show|send|share|set)",
    r"shall (?:i|we)",
    r"what would it mean (?:for you |to you )?if",
)

# Telling the customer what they need.
PRESCRIPTIONS = (
    r"you (?:really )?(?:need|needs|should|ought to|could use|might want to|would benefit from"
    r"|want to) (?:a|an|some|our|to (?:automate|try|use|switch|look at|consider|get|move|invest))",
)

# Solution talk: with a proposal frame, a prescription or a seller's "our" it is a pitch.
SOLUTION_STEMS = frozenset(
    """
    tool softwar platform solut app autom dashboard product featur technolog integr modul system
    """.split()
)
# Any word containing this is solution talk ("automatic", "automation", "automating").
SOLUTION_FRAGMENT = "automat"

# Benefit talk in a statement that also names the offering or a solution.
BENEFIT_CUES = (
    r"(?:save|saves|saved|saving|cut|cuts|reduce|reduces|eliminate|eliminates|streamline"
    r"|streamlines|automate|automates|automatically|faster|instantly|real time|seamless"
    r"|seamlessly|effortless|easily|in minutes|hours a week|percent|roi|guarantee|best in class"
    r"|powerful|out of the box)",
)

# The seller's own: shortly before the offering or a solution word it is a pitch.
SELLER_POSSESSIVES = frozenset({"our", "ours"})

# --- self-serving --------------------------------------------------------------------------

SELF_SERVING_CUES = (
    r"earn (?:your|the) (?:business|trust|signature|deal)",
    r"win (?:your|this|the) (?:business|deal|account|contract)",
    r"(?:choose|pick|select|go with|sign with|work with|buy from|partner with|switch to"
    r"|do business with|stick with) us",
    r"what would it take (?:for (?:us|me)|to (?:earn|win|get (?:this|a deal|it|you)|close"
    r"|sign|move|have you)|for you to (?:sign|buy|choose|move|switch|go ahead|commit|say yes))",
    r"what would make you (?:choose|pick|buy|sign|switch|go with|move forward|say yes|commit)",
    r"what would you need to see (?:from us|to (?:move|buy|sign|choose|go ahead|say yes)"
    r"|before (?:buying|signing|deciding|moving))",
    r"what do you (?:need|want) from (?:us|a vendor|a partner|me)",
    r"how (?:can|could) (?:i|we) (?:win|earn|get) your",
    r"(?:the|our) next steps?|next steps? (?:would|could|should|is|are|for us)",
    r"mov(?:e|ing) forward (?:with (?:us|this|a|the)|on this|together)",
    r"ready to (?:buy|sign|move forward|commit|purchase|go ahead|get started|decide)",
    r"(?:is there|do you have|have you got|any|what is the|what is your|is the|got a)"
    r" (?:\w+ )?budget",
    r"budget (?:for (?:this|it|a|an|something|the project|that|tools?|software|solutions?)"
    r"|set aside|allocated|available|approved|earmarked|range|holder|owner|cycle)",
    r"budgeted|price range|ballpark (?:budget|figure|price|number)",
    r"(?:owns|controls|holds|manages) the budget|budget (?:for|to) (?:\w+ )?(?:tools?|software"
    r"|solutions?|projects?|something|this|that|it)",
    r"(?:authority|power|sign off) to (?:sign|buy|approve|decide|purchase|spend)|signing authority",
    r"(?:buying|purchasing|procuring|buy|purchase|evaluate|evaluating) (?:new )?(?:software"
    r"|tools?|solutions?|vendors?|providers?|something like|a solution|a tool|a product)",
    r"(?:contract|deal|agreement|paperwork|it|this) signed",
    r"(?:get|getting|have|push) (?:a|the|this|that) (?:purchase|spend|deal|contract|order"
    r"|purchase order) (?:approved|signed|through|over the line)",
    # Helping the customer sell it inside their own organisation.
    r"help (?:you )?(?:with |build |make |put together |write )(?:the |that |your |a |an )?"
    r"(?:presentation|business case|case for|pitch to|internal case)",
    r"(?:spend|pay|invest|allocate) (?:on|for) (?:this|a solution|something like|software"
    r"|tools|a tool|automation|it)",
    r"willing to (?:spend|pay|invest)|afford (?:it|this|us|our)",
    r"(?:you|your team|your company) (?:would|will|might|could) (?:pay|spend|invest) (?:for|on|in)"
    r"|worth paying for",
    r"who else (?:would|will|should|needs to|has to|could|might|is going to|ought to)"
    r" (?:need to |have to )?(?:be )?(?:on|in|at|join) (?:the |a |this |that )?(?:\w+ )?(?:call"
    r"|meeting|loop|room|table|decision)",
    r"decision[- ]?makers?",
    r"(?:who|whoever) (?:else )?(?:makes|will make|would make|is making|gets to make)"
    r" the (?:final )?(?:decision|call)",
    r"(?:buying|purchasing|procurement|decision|decision making|evaluation|vendor selection)"
    r" (?:process|committee|criteria|cycle|team)",
    r"sign(?:s|ing)? off(?: on)? (?:this|it|that|the purchase|purchases|a purchase|the deal"
    r"|the spend|spend|the contract|contracts|an investment|investments|something like"
    r"|new (?:tools|software|vendors|spend))",
    r"who (?:else )?(?:would |will |needs to |has to |must |can |gets to )?(?:sign|signs)"
    r" off$",
    r"(?:approve|approves|approving) (?:this|the purchase|a purchase|purchases|the spend"
    r"|the deal|the contract|the budget|something like this|an? (?:tool|purchase|investment"
    r"|vendor|solution))",
    r"who (?:else )?(?:needs|has|would need|will need) to (?:approve|agree|sign)(?: it| this)?$",
    r"who else (?:is|will be|would be|needs to be|should be|has to be) (?:involved|in the loop"
    r"|at the table|part of)(?:$| (?:in|with|on) (?:this|that|it|the decision|deciding|buying"
    r"|choosing|the purchase|the evaluation|a decision))",
    r"(?:your|the) timeline (?:for|to|on) (?:this|a decision|deciding|buying|purchasing"
    r"|a purchase|implementation|implementing|rolling|getting started|moving|making|signing"
    r"|a solution|switching|change|changing)",
    r"what is (?:your|the) timeline",
    r"(?:when|how soon) (?:are|will|would|do|could|can|might) you (?:be )?(?:\w+ )?(?:to )?"
    r"(?:buy|purchase|decide|make a decision|sign|move forward|go ahead|get started|switch"
    r"|implement|roll out|commit|have a solution|have something in place)",
    r"when (?:can|could|should|do|might) we (?:get started|start|kick off|begin|sign"
    r"|move forward|get going|get this)",
    r"get (?:this|things|it|you) (?:signed|over the line|across the line|closed|started|going"
    r"|moving)",
    r"close (?:the|this) (?:deal|sale|business)",
    r"(?:other|competing|alternative) (?:vendors?|providers?)",
    r"(?:looking at|talking to|evaluating|considering|comparing|speaking with) (?:other|competing"
    r"|alternative) (?:\w+ )?(?:vendors?|options|tools|solutions|products|platforms|providers)",
    r"(?:talking|speaking) (?:to|with) (?:anyone else|others|other|competitors)",
    r"shopping around|our (?:competition|competitors)",
    r"(?:evaluating|considering|comparing) (?:other|others|anyone else|alternatives"
    r"|competitors|us)",
    r"who else are you (?:talking|looking|speaking|considering|evaluating)",
    r"(?:meeting|meet|call|time|intro|introduction|conversation|chat|demo|session) with (?:your"
    r"|the) (?:\w+ )?(?:boss|manager|ceo|cfo|coo|cio|cto|vp|head|director|board|leadership"
    r"|executives?|exec|procurement|controller|owner|founder)",
    r"(?:introduce|connect) (?:me|us) (?:to|with)",
    r"loop (?:in|\w+ in)|get in front of",
    r"bring (?:in|along) (?:your|the) (?:\w+ )?(?:boss|ceo|cfo|manager|team|decision)",
    r"(?:open|interested|available|free) (?:to|for) (?:a|another) (?:quick |short |brief )?"
    r"(?:call|chat|meeting|follow up|conversation)",
    r"(?:book|schedule|set up|lock in) (?:a|another|some|the) (?:quick |short |brief |follow up )?"
    r"(?:call|meeting|time|session|follow up)",
    r"procurement (?:process|approval|review|sign off)|through procurement",
    r"(?:is|are) (?:you|your team) (?:ready|able|in a position) to (?:buy|sign|move|commit"
    r"|decide|purchase)",
    r"commit to|right person to (?:talk|speak)",
    # How the deal gets through: approval, who decides, when money is free.
    r"(?:purchase|purchases|spend|deal|contract|order)s? (?:like (?:this|that|ours) )?"
    r"(?:gets?|is|are) (?:approved|signed off|signed|authori[sz]ed)",
    r"involved in (?:the decision|(?:the |a |this |that |any |your )?(?:\w+ )?(?:purchases?"
    r"|purchasing|buying|evaluation|selection|(?:buying|purchasing|purchase|vendor|software)"
    r" decisions?))",
    r"(?:when|before) (?:does |is )?(?:your |the )?(?:fiscal|financial|budget) (?:year|cycle)",
    r"(?:land|get|fit|make it) in(?:to)? (?:\w+ ){0,2}budget|budget (?:closes|closing|runs out"
    r"|resets|deadline)",
    r"looking to (?:move (?:forward|ahead|on this|quickly|before)|buy|decide|purchase|switch"
    r"|make a (?:change|decision|move|purchase)|sign|invest)",
    r"what (?:kind of |sort of )?timeline (?:would|are|will|do|should) (?:you|we)"
    r"|timeline (?:are|would|will) you",
    r"shortlist|(?:vendor|supplier|provider|partner|we) (?:would )?(?:need|have) to (?:show|do"
    r"|prove) (?:you )?to (?:win|get|make|be)",
    r"(?:need|want|have) (?:a|the|our) (?:proposal|quote) by|(?:write|written|get) (?:us |me )?"
    r"into (?:the |a |your )?(?:grant|bid|budget|plan)|grants? (?:we|i) could",
    r"for there to be (?:a |an )?(?:project|deal|purchase|budget|sale|contract|order)",
    r"(?:planning|looking at|budgeting for) (?:any |a )?(?:new )?(?:system|software|tool"
    r"|technology|vendor|platform) (?:changes?|purchases?|upgrades?|replacements?|investments?)",
    # Pressing for the commitment the seller needs.
    r"(?:get|take) you to (?:a )?yes|what is it going to take|(?:need|have) to know where you"
    r" stand",
    r"(?:answer|decision|commitment|yes|go ahead) (?:from you )?by (?:monday|tuesday|wednesday"
    r"|thursday|friday|tomorrow|next|the end|end of)|let me know by",
    r"tell (?:\w+ ){1,3}you are (?:in|on board|up for it)$",
    r"(?:should|could|would|can) (?:i|we) put (?:\w+ )?forward|put (?:you|your name|someone"
    r"|somebody|her|him) forward",
    r"(?:back|support|endorse) (?:her|him|me|this|it|them) (?:in front of|with) (?:the |my |your )?"
    r"(?:director|boss|board|leadership)",
)

# --- assumption ----------------------------------------------------------------------------

ASSUMPTION_CUES = (
    # "I see from your site that you..." but not "I see what you mean", "make sure I understand".
    r"(?<!sure )(?<!to )(?<!how )i (?:see|noticed|notice|saw|read|gather|know|understand)"
    r" (?:(?!what |how |why )\w+ ){0,3}(?:that )?(?:you|your)",
    r"i see (?:on|from) (?:your|linkedin|the website|the site)",
    r"(?:everyone|everybody|anyone|all of us|most people|nobody) in (?:finance|your|the|this"
    r"|\w+ (?:is|are|wants?|has|have|always|never))",
    # "engineers like you", "teams like yours"; not "like you said".
    r"(?<=s )like (?:you|yours)(?! said| mentioned| say| were saying| told| described)",
    r"(?:companies|firms|businesses|organi[sz]ations|teams|people|folks|leaders|cfos|ceos"
    r"|executives|someone|anyone|everyone|those|most|many) (?:like you|like yours|your size"
    r"|of your size|in your (?:role|position|industry|space|sector|shoes|line of work|seat))",
    r"(?:most|every|all|many) (?:\w+ ){0,2}(?:i talk to|i speak (?:to|with)|i work with"
    r"|we work with|out there|these days)",
    r"i am (?:sure|certain|confident|guessing|betting|assuming)",
    r"i (?:bet|assume|suspect|would guess|would bet|guess)",
    r"i (?:expect|imagine) (?:that )?(?:you|your)",
    r"you (?:are |have |will |would )?(?:probably|likely|surely|obviously|clearly|no doubt"
    r"|undoubtedly|definitely)",
    r"(?:surely|obviously|clearly|no doubt) (?:you|your)",
    r"you (?:must|have got to) (?:be|have|feel|deal|struggle|get|spend|hate|love|know|see|find"
    r"|want|need|worry|care|face|think|lose|run|work)",
    r"let me guess",
    r"you (?:all|guys|folks) (?:always|probably|must|never)",
    r"i know (?:how|what) (?:hard|tough|busy|stressful|painful|frustrating|difficult|it is"
    r"|it goes|that goes|it feels|you)",
    r"typical (?:for|of) (?:companies|firms|a company|businesses|someone|people)",
)

# "As a CFO, you always...": a claim about the customer drawn from a label ("{x}" is any
# role or industry name).
STEREOTYPE_CONTEXTS = (
    r"as (?:a|an|the) (?:\w+ ){0,4}(?:{x}|leader|manager|executive|exec|professional|person"
    r"|company|firm|business|team|organi[sz]ation)s? (?:you|your|i am sure|i bet|i know)",
    r"{x}s? (?:companies|firms|businesses|people|teams|leaders|folks|types|departments)?"
    r" ?(?:always|all|usually|typically|tend to|never|struggle|hate|love|know|care about)",
)

ROLE_GROUPS: tuple[tuple[str, ...], ...] = (
    ("cfo", "chief financial officer", "finance director", "finance chief", "head of finance"),
    ("ceo", "chief executive", "founder", "managing director", "owner", "president"),
    ("coo", "chief operating officer", "operations director", "head of operations"),
    ("cto", "chief technology officer", "head of engineering", "engineering manager"),
    ("cio", "chief information officer", "it director", "head of it"),
    ("controller", "comptroller", "financial controller"),
    ("cmo", "chief marketing officer", "marketing director", "head of marketing"),
    ("sales director", "head of sales", "vp of sales", "vp sales", "cro"),
    ("chro", "hr director", "head of hr", "head of people"),
    ("procurement manager", "head of procurement", "buyer"),
)

INDUSTRY_GROUPS: tuple[tuple[str, ...], ...] = (
    ("manufacturing", "manufacturer", "factory", "factories", "industrial"),
    (
        "logistics",
        "freight",
        "trucking",
        "haulage",
        "transport",
        "transportation",
        "shipping",
        "supply chain",
        "warehousing",
        "3pl",
        "courier",
        "fleet",
    ),
    ("retail", "retailer", "store", "stores", "ecommerce", "e commerce"),
    ("healthcare", "hospital", "clinic", "medical", "health care"),
    ("construction", "builder", "contractor"),
    ("banking", "bank", "lender", "financial services"),
    ("insurance", "insurer"),
    ("software", "saas", "tech company", "technology company", "startup"),
    ("hospitality", "hotel", "restaurant", "travel"),
    ("pharma", "pharmaceutical", "biotech", "life sciences"),
    ("energy", "oil", "utility", "utilities", "renewables"),
    ("education", "school", "university", "college"),
    ("real estate", "property"),
    ("automotive", "car maker", "dealership"),
    ("telecom", "telecoms", "telecommunications"),
    ("agriculture", "farming", "agribusiness"),
    ("media", "publishing", "publisher"),
    ("nonprofit", "non profit", "charity"),
    ("government", "public sector", "council"),
    ("mining",),
    ("aerospace", "defence", "defense"),
    ("food and beverage", "food", "beverage"),
    ("fashion", "apparel"),
    ("consulting", "agency", "law firm", "legal"),
)

# A claim about the customer's industry addresses them.
SECOND_PERSON = frozenset({"you", "your", "yours", "yourself", "yourselves"})

# Where naming a role or an industry makes a claim about the customer; "{x}" is the name.
ROLE_CONTEXTS = (
    r"(?:as|being|you are|in your role as|for) (?:a|an|the) (?:\w+ )?{x}",
    r"{x}s? like you",
)
INDUSTRY_CONTEXTS = (
    r"(?:you are|you work|you guys are|your (?:company|firm|business|team|organi[sz]ation)"
    r" (?:is|works)) (?:in|a|an|at) (?:the )?(?:\w+ )?{x}",
    r"(?:in|across) (?:the )?{x} (?:space|industry|sector|business|world|game|market|field)",
    r"{x} (?:companies|company|firms|firm|businesses|business|leaders|teams|cfos|ceos|folks"
    r"|people|players|organi[sz]ations|world|industry|sector|space)",
    r"as an? {x}",
)

# --- reflection ----------------------------------------------------------------------------

# How something feels: said back about the customer's story, it reflects their meaning.
FEELINGS = (
    r"(?:really |so |pretty |very |quite |like )?(?:hard|tough|rough|frustrating|stressful"
    r"|painful|difficult|exhausting|scary|draining|worrying|awful|terrible|brutal|intense"
    r"|overwhelming|lonely|unsettling|nerve wracking|a lot|a big deal|a real \w+|a close call"
    r"|a nightmare|a headache|a worry|a grind|heavy|a heavy \w+|a lot to (?:carry|deal with"
    r"|hold|take on)|a hard place|a tough spot|a hard spot|unfair|isolating)"
)

REFLECTION_CUES = (
    r"(?:^|it |that |this )sounds? (?:like|as if|as though|to me like|" + FEELINGS + ")",
    r"(?:^|so )?what i am hearing|i am hearing|what i heard|i hear that",
    r"if i (?:understand|understood|heard|hear|am hearing|am reading|read|got) (?:you|that"
    r"|this|it|correctly|right)",
    r"(?:^|so )you are saying|are you saying|what you are (?:saying|describing|telling me)",
    r"it seems (?:like|that|as if|as though|to me)|^seems like|seems to (?:be|me)",
    r"that must (?:be|have been|feel|make)",
    r"that (?:is|was) " + FEELINGS,
    r"for you (?:it is|it was|it has been|the|that)",
    r"in other words",
    r"to (?:play|put) (?:that|it|this) back",
    r"let me (?:make sure|check) i (?:understand|understood|heard|got|have got)",
    r"correct me if i am wrong",
    r"^so (?:it is|the real|the main|the big|your (?:main|biggest|real|big))",
    r"^you (?:feel|felt|are feeling|are worried|seem)|it feels like|^feels like",
    r"so basically|i am picking up|i get the sense|i sense",
    # What they bear, named: "you have been carrying that".
    r"you (?:have been |have |are |were )?(?:carrying|holding|juggling|living with|dealing with"
    r"|sitting on|shouldering)",
    # Standing in their shoes: "that would make me think twice too".
    r"(?:that|it) would (?:make|leave|drive|get to) me|in your (?:shoes|position|seat) i would",
)

# Naming the feeling of what the customer just told: grounded by that turn alone.
EMPATHY_CUES = (r"^(?:wow )?(?:that|it) (?:must (?:be|have been|feel)|sounds|is|was) " + FEELINGS,)

# --- follow-up -----------------------------------------------------------------------------

# Ways a turn points back at what the customer just said.
REFERENCE_CUES = (
    r"you (?:just )?(?:mentioned|said|told me|talked about|were saying|described|brought up"
    r"|raised|noted|referred|spoke about|called)",
    r"how (?:so|come)|tell me more|say more|what happened|why is that|go on|in what way"
    r"|what do you mean|meaning|such as|like what|for example|for instance|which part"
    r"|what part|why does that|what makes that|afterwards|after that|since then|before that"
    r"|at the time|back then|and then|then what",
)
REFERENCE_WORDS = frozenset({"that", "it", "this", "those", "these", "them", "they"})
# "this quarter", "these days", "that time": a time, not the customer's answer.
TIME_NOUNS = frozenset(
    """
    day days week weeks month months year years quarter quarters morning afternoon evening
    time times point stage season term moment
    """.split()
)
# Words a rep may share with the customer's turn without building on it: how long the call
# is, numbers, and the calendar.
PLAIN_WORDS = frozenset(
    """
    minute minutes hour hours time today tomorrow tonight plenty day days week weeks month
    months year years quarter morning afternoon one two three four five six seven eight nine
    ten eleven twelve fifteen twenty thirty forty fifty hundred thousand half
    """.split()
)
# Questions that move to a new subject however they are worded.
MOVING_ON = ("what else", "anything else", "what other", "any other", "is there anything else")

# --- their world ---------------------------------------------------------------------------

WORLD_CUES = (
    r"care (?:most |deeply |a lot |the most )?about",
    r"matters? (?:most|to you|for you|the most)|important (?:to|for) you|most important",
    r"priorit(?:y|ies)|goals?|objectives?|focus(?:ed|ing)? on|working on|agenda",
    r"trying to (?:achieve|accomplish|do|get|solve|fix|build|reach|change|improve|figure|make)",
    r"achiev\w*|accomplish\w*|hoping|hope to|aim(?:ing)? (?:to|for)",
    r"(?:on|off) your (?:plate|mind|radar|desk|list)",
    r"keeps? you (?:up|awake)|kept you (?:up|awake)|up at night|lose sleep|losing sleep",
    r"worr(?:y|ies|ied|ying)|scare[sd]?|scary|afraid|fears?|nervous|anxious|concern(?:s|ed)?"
    r"|stress(?:es|ed|ful)?|frustrat\w*|bother\w*|headaches?",
    r"succe(?:ss|ed|ssful)|(?:good|great|winning|ideal) (?:day|week|month|quarter|year"
    r"|outcome|result)",
    r"look like (?:for you|to you)|looks like (?:for you|to you)",
    r"your (?:job|role|day|days|week|weeks|work|world|year|plans?|business)",
    r"(?:typical|normal|usual|average|ordinary) (?:day|week|month|quarter)",
    r"how do you feel about|heading|direction|future",
    r"need(?:s)? help|could use (?:some )?help|help with",
    r"biggest|hardest|toughest|challeng\w*|problems?|struggl\w*|obstacles?|pain points?",
    r"get(?:s|ting)? in (?:the|your) way|magic wand|would you (?:change|fix|do differently)",
    r"if you could (?:change|fix|wave|do|have|stop|start)",
    r"brought you|prompted|made you|top of (?:mind|the list)",
    r"this (?:year|quarter)|next (?:year|quarter|twelve months|six months)",
    r"how are things|what is going on|what is new|what is changing|changed",
    r"tell (?:me|us) about (?:yourself|your (?:company|firm|business|organi[sz]ation|team"
    r"|department|background|story|career))",
)
