"""Short quotes of what was said, and the customer's words turned round to address them."""

from __future__ import annotations

import re

QUOTE_LIMIT = 120
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_ELLIPSIS = "\u2026"


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE.findall(text) if part.strip(" .!?")]


def clip(text: str, limit: int = QUOTE_LIMIT) -> str:
    """The text on one line, cut at a word boundary to at most `limit` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + _ELLIPSIS


def snippet(text: str, prefer_question: bool = False, limit: int = QUOTE_LIMIT) -> str:
    """A quote of a turn: the whole turn when short, else its telling sentence."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    found = sentences(flat)
    if prefer_question:
        asked = [sentence for sentence in found if sentence.endswith("?")]
        if asked:
            return clip(asked[-1], limit)
    return clip(found[0] if found else flat, limit)


# The customer's words, said back to them.
_TURN_ROUND = {
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
    "i was": "you were",
    "i wasn't": "you weren't",
}
_PRONOUN = re.compile(
    # The look-ahead on the first letters lets most positions fail at once.
    r"(?<![\w'])(?=["
    + "".join(sorted({word[0] for word in _TURN_ROUND}))
    + "])(?:"
    + "|".join(sorted(map(re.escape, _TURN_ROUND), key=len, reverse=True))
    + r")(?![\w'])",
    re.IGNORECASE,
)


def turn_round(text: str) -> str:
    """First person to second ("my team" -> "your team"), so the rep can say it back."""
    text = text.replace("\u2019", "'")

    def swap(match: re.Match[str]) -> str:
        word = match.group()
        if len(word) > 1 and word.isupper():
            return word  # "US", an acronym
        replaced = _TURN_ROUND[word.lower()]
        before = text[: match.start()].rstrip()
        starts = not before or before[-1] in ".!?"
        return replaced.capitalize() if starts else replaced

    return _PRONOUN.sub(swap, text)
