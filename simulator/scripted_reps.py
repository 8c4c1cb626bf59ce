"""Scripted reps for self-play: five ways of running a discovery call, from curious to pitchy.

Pure functions: each gets the persona's public card and the words said so far, and returns
the rep's next line. They are never given priorities, signals, reveals, why or fear, so
whatever they say comes from the card or from what the customer actually said.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Literal, NamedTuple, TypeVar, get_args

from simulator.persona_card import PublicCard
from simulator.transcript import Speaker

T = TypeVar("T")
RepStyle = Literal["curious", "pitchy", "interrogator", "self-serving", "assumer"]
REP_STYLES: tuple[RepStyle, ...] = get_args(RepStyle)


class Said(NamedTuple):
    speaker: Speaker
    text: str


def next_line(style: RepStyle, card: PublicCard, conversation: Sequence[Said]) -> str:
    """The rep's next line in `style`, given everything said so far (opening included)."""
    turn = sum(1 for said in conversation if said.speaker == "rep")
    heard = [said.text for said in conversation if said.speaker == "customer"]
    last = heard[-1] if heard else card.opening
    return _STYLES[style](card, turn, last)


# --- curious -------------------------------------------------------------------------------

# Broad open questions about the customer's world: no "that" or "it" pointing back, so each
# one moves the conversation on instead of pressing the last answer further.
BROAD = {
    "customer": (
        "Thanks for making the time. What's on your plate at the moment?",
        "What else is on your mind at work?",
        "What are you trying to achieve right now?",
        "If you could change one thing about how your week goes, what would you change?",
        "What's the hardest part of your job right now?",
    ),
    "direct_report": (
        "Thanks for making time. How are things going for you at the moment?",
        "What else is on your mind?",
        "What would you like to get out of the next few months?",
        "If you could change one thing about how your week goes, what would you change?",
        "What's been the hardest part of your work lately?",
    ),
}
# The first follow-up takes the customer's own words; "{said}" is a phrase of their last reply.
ECHO = (
    "You said {said} — what makes that hard?",
    "You mentioned {said}. Tell me more about that?",
    "You said {said} — what's behind that?",
)
# When the last reply gave nothing to take up ("Mm-hm."), the rep still invites more.
NOTHING_TO_ECHO = "Tell me more about that?"
# The second goes one level deeper on the same answer.
DEEPER = (
    "Why does that matter to you?",
    "What worries you about it?",
    "Why is that so important to you personally?",
)
# A broad question, then one or two follow-ups on the answer, then the next broad question.
THREAD = ("broad", "echo", "deeper")


def _curious(card: PublicCard, turn: int, last: str) -> str:
    thread, step = divmod(turn, len(THREAD))
    move = THREAD[step]
    if move == "echo":
        said = echo(last)
        return _cycle(ECHO, thread).format(said=said) if said else NOTHING_TO_ECHO
    if move == "deeper":
        return _cycle(DEEPER, thread)
    return _cycle(BROAD[_kind(card)], thread)


# --- pitchy --------------------------------------------------------------------------------

PITCH = {
    "customer": (
        "Thanks for the time! Let me tell you a bit about our {summary}.",
        "We help teams like yours with {term} and {other}. Would a quick demo be useful?",
        "You mentioned {said} — that's exactly where our {term} comes in.",
        "Our {term} is what most of our customers start with. Can I show you how it works?",
        "What if you had our {term} up and running next month?",
        "I can set you up with a free trial of our {term} this week.",
    ),
    "direct_report": (
        "Thanks for making time! Let me tell you about a great opportunity: {summary}.",
        "I really think you should take this on. {Term} and {other} would be great for you.",
        "You said {said} — that's exactly why I think you'd be perfect for {term}.",
        "Let me show you the plan. {Term} starts next month and I've put your name down.",
        "Would it not be great to have {term} on your record at review time?",
        "Let me walk you through the {term} part, it's a great opportunity.",
    ),
}


def _pitchy(card: PublicCard, turn: int, last: str) -> str:
    terms = card.offering_terms
    term = _cycle(terms, turn)
    templates = PITCH[_kind(card)]
    template = _cycle(templates, turn)
    said = echo(last)
    if "{said}" in template and not said:
        template = _cycle(templates, turn + 1)
    return template.format(
        summary=_without_article(card.offering),
        term=term,
        Term=term[:1].upper() + term[1:],
        other=_cycle(terms, turn + 1),
        said=said,
    )


# --- interrogator --------------------------------------------------------------------------

CHECKLIST = {
    "customer": (
        "Do you have a process for this today?",
        "How many people are on your team?",
        "Is that handled manually?",
        "Do you use any {term} today?",
        "Are you happy with how it works now?",
        "Which system do you use?",
        "How often does that come up?",
        "Is it getting worse?",
        "Does anyone else own it?",
        "How long have you been in the role?",
        "Have you tried to fix it before?",
        "Is it on the list for this year?",
    ),
    "direct_report": (
        "Are your tickets up to date?",
        "Did you finish the review I sent over?",
        "Is the sprint on track?",
        "Have you read the note about {term}?",
        "How many hours did you log last week?",
        "Are you happy with the team setup?",
        "Which project is taking most of your time?",
        "Did you speak to the others about it?",
        "Is anything blocking you?",
        "How long has it been since your last review?",
        "Have you booked your leave yet?",
        "Is it getting any better?",
    ),
}


def _interrogator(card: PublicCard, turn: int, last: str) -> str:
    return _cycle(CHECKLIST[_kind(card)], turn).format(term=_cycle(card.offering_terms, turn))


# --- self-serving --------------------------------------------------------------------------

DEAL = {
    "customer": (
        "Is there a budget set aside for something like this?",
        "Who else is involved in the decision?",
        "What's your timeline for making a decision?",
        "What would it take to earn your business?",
        "Are you talking to other vendors?",
        "Who signs off on a purchase like this?",
        "When could we get started?",
        "Can we book a follow-up call with your boss?",
    ),
    "direct_report": (
        "What would it take for you to commit to {term}?",
        "Can I tell my boss you're on board by Friday?",
        "When can you get started on {term}?",
        "Can you commit to {term} this quarter?",
        "Who else on the team should I loop in?",
        "What would make you say yes to {term}?",
        "When can I tell the director it's agreed?",
        "Is there anything stopping you from signing up for {term} now?",
    ),
}


def _self_serving(card: PublicCard, turn: int, last: str) -> str:
    return _cycle(DEAL[_kind(card)], turn).format(term=_cycle(card.offering_terms, turn))


# --- assumer -------------------------------------------------------------------------------

CANNED = {
    "customer": (
        "I see from your website that {company} is growing fast, so I bet hiring is your "
        "biggest headache.",
        "As a {role}, you must be under a lot of pressure to cut costs.",
        "Let me guess: your biggest problem is getting everyone onto the same tools.",
        "Companies like yours usually struggle with {term}, right?",
        "I'm sure, like most people in your position, you're swamped with manual work.",
        "Everyone I talk to in your line of work says the same thing: too many spreadsheets.",
    ),
    "direct_report": (
        "I know how it is: you're probably just a bit bored with the work.",
        "Let me guess, this is about money?",
        "As a senior person, you must be ready to lead by now.",
        "I'm sure you'd love {term}, everyone at your level does.",
        "You must be feeling burned out like the rest of the team.",
        "Most people I work with want more visibility, so I bet you do too.",
    ),
}


def _assumer(card: PublicCard, turn: int, last: str) -> str:
    return _cycle(CANNED[_kind(card)], turn).format(
        company=card.company.split(",")[0].strip(),
        role=card.role.split(",")[0].strip(),
        term=_cycle(card.offering_terms, turn),
    )


_STYLES: dict[RepStyle, Callable[[PublicCard, int, str], str]] = {
    "curious": _curious,
    "pitchy": _pitchy,
    "interrogator": _interrogator,
    "self-serving": _self_serving,
    "assumer": _assumer,
}

# --- helpers -------------------------------------------------------------------------------

# Said back to the customer, their "I" and "we" become "you": "our system is old" repeated
# word for word would be the rep claiming the system.
SWAP = {
    "i": "you",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
    "we": "you",
    "us": "you",
    "our": "your",
    "ours": "yours",
    "ourselves": "yourselves",
    "am": "are",
    "i'm": "you're",
    "i've": "you've",
    "i'd": "you'd",
    "i'll": "you'll",
    "we're": "you're",
    "we've": "you've",
    "we'd": "you'd",
    "we'll": "you'll",
}
_WORD = re.compile(r"[A-Za-z']+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# How the scripted customer says something again; the echo takes what follows.
_AGAIN = re.compile(r"^(?:like i said|as i mentioned|well, again)\s*:\s*", re.IGNORECASE)
# Openers that carry nothing of the customer's meaning: "Let's say the last vendor..."
_LEAD_IN = re.compile(
    r"^(?:let's (?:just )?say|honestly|well|look|to be honest|i mean|so)\b[,?]?\s*", re.IGNORECASE
)
# Words that say little about the customer's world: a sentence made of them is not echoed.
_SMALL = frozenset(
    """
    a an and the of to in on at for with is are was were be been it that this there here
    i me my we us our you your he she they them their just really so very but or not no
    yes okay ok well like said mentioned as again honestly sure right mm hm hmm uh um ah oh
    more less sometimes suppose it's that's there's i'm i've i'd i'll we're we've we'd we'll
    """.split()
)
# Longer sentences are cut at their first clause break, or failing that at this many words.
ECHO_WORDS = 16


def echo(text: str) -> str:
    """A short phrase of `text` in the rep's mouth: its richest sentence, first person swapped.

    Empty when the text says nothing worth taking up ("Mm-hm.", "Right.").
    """
    text = _AGAIN.sub("", text.strip().replace("\u2019", "'"))
    sentences = [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]
    best = max(sentences, key=_weight, default="")
    if _weight(best) == 0:
        return ""
    words = _LEAD_IN.sub("", best).rstrip(".!?").split()
    if len(words) > ECHO_WORDS:
        breaks = [i + 1 for i, word in enumerate(words[:ECHO_WORDS]) if word[-1] in ",;:"]
        words = words[: breaks[0] if breaks and breaks[0] >= 4 else ECHO_WORDS]
    phrase = " ".join(_swap(word) for word in words).rstrip(",;:")
    return _lower_first(phrase)


def _weight(sentence: str) -> int:
    return sum(1 for word in _WORD.findall(sentence.lower()) if word not in _SMALL)


def _swap(word: str) -> str:
    match = _WORD.search(word)
    if match is None:
        return word
    core = match.group()
    swapped = SWAP.get(core.lower())
    if swapped is None:
        return word
    if core[:1].isupper() and not core.lower().startswith("i"):
        swapped = swapped[:1].upper() + swapped[1:]
    return word[: match.start()] + swapped + word[match.end() :]


def _kind(card: PublicCard) -> Literal["customer", "direct_report"]:
    return "direct_report" if card.kind == "direct_report" else "customer"


def _cycle(items: Sequence[T], index: int) -> T:
    return items[index % len(items)]


def _lower_first(text: str) -> str:
    # "Accounts-payable automation" reads as "our accounts-payable automation"; "AP" stays.
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _without_article(text: str) -> str:
    # "A staff scheduling app" follows "our" as "our staff scheduling app".
    return _lower_first(re.sub(r"^(?:an?|the)\s+", "", text.strip(), flags=re.IGNORECASE))
