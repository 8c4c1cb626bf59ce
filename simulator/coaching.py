"""Coaching: the moments the rep could have gone deeper, and the question that would have.

A moment is a customer turn that told something, followed by a rep turn that did not build
on it. The suggested question is made from the customer's own sentence, said back to them,
and asks one level deeper than the sentence went: what lies behind a hint, why a stated
need matters, what worries them about the story they told, whether they need help.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from simulator import disclosed
from simulator.disclosed import RANK, PriorityWords, Progress
from simulator.evaluation import Coaching
from simulator.metrics import RepTurn
from simulator.persona import Level
from simulator.quotes import clip, sentences, turn_round
from simulator.transcript import Turn

MAX_LINES = 4
MIN_LINES = 2
# A customer sentence with fewer words of substance says too little to build a question on.
MIN_CONTENT = 2
# Selling in the rep's first turns is opening with a pitch.
OPENING_TURNS = 2
SPOKEN_LIMIT = 70
WORLD_QUESTION = "What is taking up most of your attention at the moment?"
# When the customer gave nothing to build on: a question about their world instead.
INSTEAD = {
    "pitch": (WORLD_QUESTION, "What would make the next few months feel like a success to you?"),
    "self_serving": (
        "What would a good outcome look like for you this year?",
        "What is getting in the way of that for you right now?",
    ),
    "assumption": (
        "What does a typical week look like for you right now?",
        "How would you describe it in your own words?",
    ),
    "closed": ("What is the hardest part of that for you?", "How does that play out day to day?"),
}
# The last resort for a line: any sentence of the customer's this long.
FALLBACK_WORDS = 4


@dataclass(frozen=True, slots=True)
class Moment:
    customer: int
    sentence: str
    # The priority the sentence speaks of (when the persona is known) and the level it shows.
    priority: str | None
    level: Level | None
    # The rep turn that answered it, None when the conversation ended there.
    reply: RepTurn | None
    # What the rep did instead, said to the rep ("moved to your offering").
    did: str
    # How much a better question would have mattered here; the highest are coached.
    weight: float


# --- the suggested question --------------------------------------------------------------------

_BEING = re.compile(
    r"^(?P<x>[\w' -]{2,40}?)(?:\s+(?:is|are|was|were|has been|have been)|'s been|'re|'s)\s+"
    r"(?:always |really |just |so |still |constantly |pretty |a bit |quite |very )*(?P<y>.+)$",
    re.IGNORECASE,
)
_WANTING = re.compile(
    r"^(?:honestly,? |so,? |well,? |look,? )?(?:what |the thing )?(?:you |that )?"
    r"(?:really |actually |just )?(?:need|want|care about|would like)(?: most)?"
    r"(?: right now| now)?(?: is)? (?P<y>.+)$",
    re.IGNORECASE,
)
# Words that cannot be in the subject of "What makes X so Y?": verbs, pronoun subjects.
_NOT_IN_SUBJECT = frozenset(
    """
    there here what which who that this it so you i we they he she not don't doesn't didn't
    do does did can can't will won't would could should think know if when because
    """.split()
)
_DETERMINER = frozenset({"a", "an", "the", "my", "your", "our", "their", "his", "her", "its"})
_TRAILING = re.compile(
    r"(?:,? (?:here|for you|these days|at the moment|right now|lately|at the minute"
    r"|as well|too|really))+$",
    re.IGNORECASE,
)
# Discourse words that open a spoken sentence and carry nothing to say back.
_OPENERS = re.compile(
    r"^(?:(?:and|but|so|look|well|honestly|realistically|frankly|then|yes|yeah|no|oh|ok|okay"
    r"|right|still|actually|anyway)\b[,.]?\s+)+",
    re.IGNORECASE,
)
# A long sentence is said back up to its first break.
_BREAK = re.compile(r"\s*(?:[,;:]|\s-\s|\s\u2014\s|\sand\s|\sbut\s)\s*")
SPOKEN_MIN_WORDS = 3


def _spoken(sentence: str) -> str:
    """The sentence said back: turned round, its first clause when long, no final mark."""
    text = _OPENERS.sub("", turn_round(sentence).strip()).rstrip(".!?")
    if len(text) > SPOKEN_LIMIT:
        for found in _BREAK.finditer(text):
            head = text[: found.start()]
            if len(head.split()) >= SPOKEN_MIN_WORDS:
                text = head
                break
    text = clip(text, SPOKEN_LIMIT).rstrip("\u2026").rstrip(" ,")
    return text[:1].lower() + text[1:] if text[:2] != "I " else text


def _what_makes(text: str) -> str | None:
    """ "Month end is always a scramble" -> "What makes month end such a scramble?"."""
    match = _BEING.match(text)
    if match is None:
        return None
    subject, complement = match.group("x").strip(), _TRAILING.sub("", match.group("y")).strip()
    if not complement or not _NOT_IN_SUBJECT.isdisjoint(subject.lower().split()):
        return None
    words = complement.split()
    first = words[0].lower()
    if first in ("a", "an") and len(words) <= 4:
        return f"What makes {subject} such {complement}?"
    if first.endswith("ed") and len(words) <= 4:
        return f"What has left {subject} {complement}?"
    if len(words) <= 2 and first not in _DETERMINER:
        return f"What makes {subject} so {complement}?"
    return None


def _why_wanted(text: str) -> str | None:
    """ "What you really need is to see X" -> "Why is it so important to you to see X?"."""
    match = _WANTING.match(text)
    if match is None:
        return None
    wanted = _TRAILING.sub("", match.group("y")).strip()
    if wanted.lower().startswith("to "):
        return f"Why is it so important to you {wanted}?"
    return f"Why does {wanted} matter so much to you right now?"


def suggest(sentence: str, level: Level | None) -> str:
    """A question one level deeper than the customer's sentence, in their own words."""
    said = _spoken(sentence)
    if level in (None, Level.hidden, Level.hint):
        return _what_makes(said) or f"When you say {said}, what is behind that?"
    if level is Level.stated:
        return _why_wanted(said) or f"When you say {said}, why does that matter so much to you?"
    if level is Level.why:
        return f"When you say {said}, what worries you most about that?"
    return f"When you say {said}, what would help you most right now?"


# --- the moments -------------------------------------------------------------------------------


Telling = tuple[str, str | None, Level | None]


def _telling_sentence(text: str, words: PriorityWords | None) -> Telling | None:
    """The sentence of a customer turn that tells the most, its priority and level."""
    best: Telling | None = None
    best_rank = (-1, -1)
    for heard in disclosed.hear(text, words):
        if heard.text.endswith("?") or heard.content < MIN_CONTENT:
            continue
        priority: str | None = None
        if words is not None:
            if heard.priority is None:
                # With the priorities known, a sentence about none of them is small talk.
                continue
            priority = words.ids[heard.priority]
        rank = (RANK[heard.level] if heard.level is not None else 0, heard.content)
        if rank > best_rank:
            best, best_rank = (heard.text, priority, heard.level), rank
    return best


def _what_you_did(rep: RepTurn) -> tuple[str, float]:
    labels = rep.labels
    if rep.deepening:
        # Built on an answer, but not on this one: the thread was left where it was.
        return "moved to another topic", 1.0
    if labels.pitch:
        return "moved to your offering", 3.0
    if labels.self_serving:
        return "asked about the deal", 3.0
    if labels.assumption:
        return "told them about themselves", 2.5
    if labels.question == "closed":
        return "asked a closed question", 2.0
    if labels.question == "open":
        return "changed the subject", 1.5
    return "moved on without a question", 1.5


def moments(
    turns: Sequence[Turn],
    reps: Sequence[RepTurn],
    words: PriorityWords | None,
    progress: dict[str, Progress] | None,
) -> list[Moment]:
    """Customer turns that told something and were not built on."""
    reply_to = {rep.answers: rep for rep in reps if rep.answers is not None}
    fresh = {
        turn: level
        for item in (progress or {}).values()
        for level, turn in item.shown_in.items()
        if level is not Level.hint
    }
    found: list[Moment] = []
    for index, turn in enumerate(turns):
        if turn.speaker != "customer":
            continue
        telling = _telling_sentence(turn.text, words)
        if telling is None:
            continue
        sentence, priority, level = telling
        reply = reply_to.get(index)
        if (
            reply is not None
            and reply.deepening
            and not _left_there(index, priority, reply, progress)
        ):
            continue
        did, weight = _what_you_did(reply) if reply is not None else ("ended the call", 0.5)
        if reply is not None and reply.deepening and priority in reply.labels.priorities:
            # The rep stayed on the thread; it went no deeper. Worth a line only to fill up.
            did, weight = "stayed on it, but it went no deeper", 0.3
        if index in fresh:
            # Something new was just told, and the rep walked past it.
            weight += 1.0
        found.append(Moment(index, sentence, priority, level, reply, did, weight))
    return found


def _left_there(
    customer: int, priority: str | None, reply: RepTurn, progress: dict[str, Progress] | None
) -> bool:
    """Whether the thread of `priority` went no deeper than this turn, the reply elsewhere."""
    if priority is None or progress is None:
        return False
    item = progress[priority]
    return item.shown_in.get(item.level) == customer


def _opened_with_a_pitch(reps: Sequence[RepTurn], told: set[int]) -> Coaching | None:
    """The first seller's move, when the customer had told nothing before it."""
    first = next((rep for rep in reps if rep.seller), None)
    if first is None or first not in reps[:OPENING_TURNS] or any(t < first.index for t in told):
        return None
    what = "your offering" if first.labels.pitch else "the deal"
    return Coaching(
        turn=first.index,
        text=(
            f'At turn {first.index} ("{clip(first.text, 80)}") you went to {what} before the '
            f'customer had said what matters to them; you could have asked: "{WORLD_QUESTION}"'
        ),
    )


def coach(
    turns: Sequence[Turn],
    reps: Sequence[RepTurn],
    words: PriorityWords | None,
    progress: dict[str, Progress] | None,
) -> list[Coaching]:
    """Two to four lines, each pointing at a turn and the question that would have gone deeper."""
    found = moments(turns, reps, words, progress)
    lines: list[Coaching] = []
    opener = _opened_with_a_pitch(reps, {moment.customer for moment in found})
    if opener is not None:
        lines.append(opener)
    used = {line.turn for line in lines}
    for moment in sorted(found, key=lambda item: (-item.weight, item.customer)):
        if len(lines) >= MAX_LINES:
            break
        turn = moment.reply.index if moment.reply is not None else moment.customer
        if turn in used or (moment.weight < 1.0 and len(lines) >= MIN_LINES):
            continue
        used.add(turn)
        quote = clip(moment.sentence, 80)
        if moment.reply is not None:
            opening = f'After turn {moment.customer} ("{quote}") you {moment.did} at turn {turn}'
        else:
            opening = f'After turn {moment.customer} ("{quote}") the conversation ended'
        suggestion = suggest(moment.sentence, moment.level)
        lines.append(Coaching(turn=turn, text=f'{opening}; you could have asked: "{suggestion}"'))
    if len(lines) < MIN_LINES:
        last = _last_words(turns, reps, used)
        if last is not None:
            used.add(last.turn)
            lines.append(last)
    for rep in reps:
        if len(lines) >= MIN_LINES:
            break
        kind = _kind(rep)
        if kind is None or rep.index in used:
            continue
        fresh = [q for q in INSTEAD[kind] if not any(q in line.text for line in lines)]
        if not fresh:
            continue
        used.add(rep.index)
        did = _what_you_did(rep)[0]
        lines.append(
            Coaching(
                turn=rep.index,
                text=(
                    f'At turn {rep.index} ("{clip(rep.text, 80)}") you {did}; '
                    f'you could have asked: "{fresh[0]}"'
                ),
            )
        )
    return sorted(lines, key=lambda line: line.turn)


def _last_words(turns: Sequence[Turn], reps: Sequence[RepTurn], used: set[int]) -> Coaching | None:
    """The customer's last telling sentence, whatever it was about: one more question there."""
    replies = {rep.answers: rep for rep in reps if rep.answers is not None}
    for index in range(len(turns) - 1, -1, -1):
        turn = turns[index]
        if turn.speaker != "customer":
            continue
        said = _telling_sentence(turn.text, None)
        sentence = said[0] if said is not None else _longest_statement(turn.text)
        reply = replies.get(index)
        at = reply.index if reply is not None else index
        if sentence is None or at in used:
            continue
        quote = clip(sentence, 80)
        question = suggest(sentence, None)
        if reply is None:
            text = f'After turn {index} ("{quote}") the conversation ended'
        else:
            text = f'After turn {index} ("{quote}") you {_what_you_did(reply)[0]} at turn {at}'
        return Coaching(turn=at, text=f'{text}; you could have asked: "{question}"')
    return None


def _longest_statement(text: str) -> str | None:
    found = [s for s in sentences(text) if not s.endswith("?") and len(s.split()) >= FALLBACK_WORDS]
    return max(found, key=len, default=None)


def _kind(rep: RepTurn) -> str | None:
    labels = rep.labels
    for kind in ("pitch", "self_serving", "assumption"):
        if getattr(labels, kind):
            return kind
    return "closed" if labels.question == "closed" and not rep.deepening else None
