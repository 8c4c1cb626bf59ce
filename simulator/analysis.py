"""The turn analyser: what one rep turn does, by deterministic rules.

Used live by the disclosure engine and in bulk by the evaluator, so everything that can be
prepared once (cue patterns, a persona's terms and signals) is prepared once, and a cue
pattern is only tried where a word that can start it occurs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from simulator import lexicon as lx
from simulator.labels import QuestionKind, TurnLabels
from simulator.persona import Persona

Phrase = tuple[str, ...]
PhraseIndex = dict[str, tuple[tuple[Phrase, int], ...]]

# Cue patterns are indexed by the word they start with, or when only the start of that word
# is fixed ("worr(?:y|ies)"), by its first three letters.
PREFIX_LENGTH = 3

# --- cue matching --------------------------------------------------------------------------


def _split_top(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern."""
    parts: list[str] = []
    depth = 0
    start = 0
    escaped = False
    for index, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:index])
            start = index + 1
    parts.append(pattern[start:])
    return parts


def _closing(pattern: str, opening: int) -> int:
    depth = 0
    escaped = False
    for index in range(opening, len(pattern)):
        char = pattern[index]
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
    raise ValueError(f"unbalanced cue pattern: {pattern!r}")


_LITERAL = re.compile(r"[a-z0-9']+")
StartKey = tuple[bool, str]  # (whole word?, the word or its fixed first letters)


def _start_keys(sequence: str) -> set[StartKey]:
    """The words (or word starts) a match of `sequence` can begin with."""
    sequence = sequence.lstrip(" ")
    if not sequence:
        raise ValueError("a cue alternative may not match the empty string")
    if sequence[0] in "^$":
        return _start_keys(sequence[1:])
    if sequence.startswith("(?<"):
        return _start_keys(sequence[_closing(sequence, 0) + 1 :])
    if sequence[0] == "(":
        end = _closing(sequence, 0)
        inner = sequence[1:end].removeprefix("?:")
        rest = sequence[end + 1 :]
        optional = rest[:1] in ("?", "*") or rest.startswith("{0")
        if optional:
            rest = rest[rest.index("}") + 1 :] if rest[0] == "{" else rest[1:]
        keys: set[StartKey] = set()
        for alternative in _split_top(inner):
            keys |= _start_keys(alternative + rest)
        return keys | _start_keys(rest) if optional else keys
    literal = _LITERAL.match(sequence)
    if literal is None:
        raise ValueError(f"a cue must start with a word: {sequence!r}")
    word = literal.group()
    follower = sequence[literal.end() : literal.end() + 1]
    if follower in ("", " ", "$"):
        return {(True, word)}
    # "sounds?", "worr(?:y|ies)": only the start of the word is fixed.
    prefix = word[:-1] if follower in "?*{" else word
    if len(prefix) < PREFIX_LENGTH:
        raise ValueError(f"a cue's first word needs {PREFIX_LENGTH} fixed letters: {sequence!r}")
    return {(False, prefix[:PREFIX_LENGTH])}


Span = tuple[int, int]
Entries = tuple[tuple[str, re.Pattern[str]], ...]
SEEN_WORDS_LIMIT = 100_000


class CueBook:
    """Several named cue lists, matched in one pass over a text's words.

    The text must be its words joined by single spaces: a category's patterns are tried
    only at the start of a word that can begin one of them.
    """

    def __init__(self, categories: Mapping[str, Iterable[str]]) -> None:
        grouped: dict[StartKey, dict[str, list[str]]] = {}
        for name, patterns in categories.items():
            for pattern in patterns:
                keys = {key for part in _split_top(pattern) for key in _start_keys(part)}
                for key in keys:
                    grouped.setdefault(key, {}).setdefault(name, []).append(pattern)
        compiled = {
            key: tuple(
                (name, re.compile("(?:" + "|".join(f"(?:{p})" for p in found) + r")\b"))
                for name, found in by_name.items()
            )
            for key, by_name in grouped.items()
        }
        self._words: dict[str, Entries] = {k: v for (whole, k), v in compiled.items() if whole}
        self._prefixes: dict[str, Entries] = {
            k: v for (whole, k), v in compiled.items() if not whole
        }
        # What each word seen so far can start: one lookup per word on the hot path.
        self._seen: dict[str, Entries] = {}

    def _entries(self, token: str) -> Entries:
        entries = self._words.get(token, ())
        if len(token) >= PREFIX_LENGTH:
            entries += self._prefixes.get(token[:PREFIX_LENGTH], ())
        if len(self._seen) >= SEEN_WORDS_LIMIT:
            self._seen.clear()
        self._seen[token] = entries
        return entries

    def scan(self, tokens: Sequence[str], text: str) -> dict[str, Span]:
        """Where the first match of each category that occurs starts and ends."""
        found: dict[str, Span] = {}
        seen = self._seen
        offset = 0
        for token in tokens:
            entries = seen.get(token)
            if entries is None:
                entries = self._entries(token)
            for name, pattern in entries:
                if name not in found and (match := pattern.match(text, offset)):
                    found[name] = match.span()
            offset += len(token) + 1
        return found


def _names(groups: Sequence[Sequence[str]]) -> tuple[str, dict[str, int]]:
    """One capturing alternation of every name, longest first, and each name's group."""
    owner = {name: index for index, group in enumerate(groups) for name in group}
    return "(" + "|".join(sorted(owner, key=len, reverse=True)) + ")", owner


_ROLE_NAMES, _ROLE_GROUP = _names(lx.ROLE_GROUPS)
_INDUSTRY_NAMES, _INDUSTRY_GROUP = _names(lx.INDUSTRY_GROUPS)

NameIndex = dict[str, tuple[tuple[tuple[str, ...], int], ...]]


def _name_index(owner: dict[str, int]) -> NameIndex:
    """Each name's words under its first word, the longest name first."""
    index: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for name in sorted(owner, key=len, reverse=True):
        split = tuple(name.split())
        index.setdefault(split[0], []).append((split, owner[name]))
    return {first: tuple(found) for first, found in index.items()}


_ROLE_INDEX = _name_index(_ROLE_GROUP)
_INDUSTRY_INDEX = _name_index(_INDUSTRY_GROUP)


def _groups(index: NameIndex, tokens: Sequence[str]) -> frozenset[int]:
    """The groups of the names the words say, read left to right without overlaps."""
    found: set[int] = set()
    start = 0
    while start < len(tokens):
        step = 1
        for name, group in index.get(tokens[start], ()):
            if tuple(tokens[start : start + len(name)]) == name:
                found.add(group)
                step = len(name)
                break
        start += step
    return frozenset(found)


def _fill(templates: Iterable[str], names: str) -> list[str]:
    return [template.replace("{x}", names) for template in templates]


# Cues every sentence is scanned for, in one pass.
SENTENCE_CUES = CueBook(
    {
        "open": lx.OPEN_CUES,
        "closed": lx.CLOSED_EMBED,
        "pitch": lx.PITCH_CUES,
        "self_serving": lx.SELF_SERVING_CUES,
        "assumption": lx.ASSUMPTION_CUES,
        "reflection": lx.REFLECTION_CUES,
        "empathy": lx.EMPATHY_CUES,
        "reference": lx.REFERENCE_CUES,
        "world": lx.WORLD_CUES,
        "rating": lx.RATING_CUES,
    }
)
# Cues that matter only in some sentences, scanned only there.
SOLUTION_CUES = CueBook(
    {
        "proposal": lx.PROPOSAL_FRAMES,
        "prescription": lx.PRESCRIPTIONS,
        "benefit": lx.BENEFIT_CUES,
    }
)
CLAIM_CUES = CueBook(
    {
        "stereotype": _fill(
            lx.STEREOTYPE_CONTEXTS, f"(?:{_ROLE_NAMES[1:-1]}|{_INDUSTRY_NAMES[1:-1]})"
        ),
        "role": _fill(lx.ROLE_CONTEXTS, _ROLE_NAMES),
        "industry": _fill(lx.INDUSTRY_CONTEXTS, _INDUSTRY_NAMES),
    }
)
# A claim about a role or an industry needs one of these words in the sentence.
_NAME_WORDS = frozenset(
    word
    for groups in (lx.ROLE_GROUPS, lx.INDUSTRY_GROUPS)
    for group in groups
    for name in group
    for word in name.split()
    if len(word) > 2 and word not in lx.STOP_WORDS
) | frozenset({"leader", "manager", "executive", "exec", "professional", "person"})


def _by_first_word(phrases: Iterable[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        split = tuple(phrase.split())
        index.setdefault(split[0], []).append(split)
    return {first: tuple(found) for first, found in index.items()}


_FILLER_PHRASES = _by_first_word(lx.FILLER_PHRASES)
_SELLER_OPENERS = _by_first_word(lx.SELLER_OPENERS)

# --- text profiles -------------------------------------------------------------------------


def _is_content(token: str) -> bool:
    return token not in lx.STOP_WORDS and len(token) > 1 and not token.isdigit()


@dataclass(frozen=True, slots=True)
class Profile:
    """What the rules need from a customer turn: its words, stems and content stems."""

    joined: str
    stems: tuple[str, ...]
    content: frozenset[str]
    prefixes: dict[str, tuple[str, ...]]
    industries: frozenset[int]  # the industries the text names
    # Whether the turn tells something beyond its questions, pleasantries and the time there
    # is: only then can "that" in the rep's next question point at it.
    told: bool


_PLAIN = frozenset(lx.stem(word) for word in lx.PLAIN_WORDS)


def _tells(pieces: list[str]) -> bool:
    sentence: list[str] = []
    for piece in pieces:
        if piece not in lx.MARKS or piece == lx.CLAUSE_BREAK:
            sentence.append(piece)
            continue
        if piece != lx.QUESTION_END and any(
            _is_content(word) and lx.stem(word) not in _PLAIN for word in sentence
        ):
            return True
        sentence = []
    return any(_is_content(word) and lx.stem(word) not in _PLAIN for word in sentence)


@lru_cache(maxsize=8192)
def profile(text: str) -> Profile:
    """A customer turn's profile; cached because every later rep turn looks back at it."""
    pieces = lx.pieces(lx.normalise(text))
    tokens = [piece for piece in pieces if piece not in lx.MARKS]
    stems = tuple(lx.stem(token) for token in tokens)
    content = frozenset(s for t, s in zip(tokens, stems, strict=True) if _is_content(t))
    prefixes: dict[str, list[str]] = {}
    for item in content:
        if len(item) >= 4:
            prefixes.setdefault(item[:4], []).append(item)
    frozen = {key: tuple(value) for key, value in prefixes.items()}
    joined = " ".join(tokens)
    industries = _groups(_INDUSTRY_INDEX, tokens)
    return Profile(joined, stems, content, frozen, industries, _tells(pieces))


def _related(stem: str, other: Profile) -> bool:
    # Same stem, or one extends the other by a short suffix ("audit" / "auditor").
    if stem in other.content:
        return True
    if len(stem) < 4:
        return False
    for candidate in other.prefixes.get(stem[:4], ()):
        longer, shorter = (candidate, stem) if len(candidate) > len(stem) else (stem, candidate)
        if longer.startswith(shorter) and len(longer) - len(shorter) <= 3:
            return True
    return False


def _shared(stems: Iterable[str], other: Profile) -> int:
    return sum(1 for stem in stems if _related(stem, other))


# --- persona rules -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PersonaRules:
    """A persona's offering terms and priority signals, stemmed and indexed once."""

    offering: PhraseIndex
    offering_stems: frozenset[str]
    # The offering's one-word terms as written: "pricing" is the offer, "fuel prices" are not.
    offering_words: frozenset[str]
    signals: PhraseIndex
    priority_ids: tuple[str, ...]
    industry_groups: frozenset[int]
    role_groups: frozenset[int]


def _phrase(text: str) -> Phrase:
    return tuple(lx.stem(token) for token in lx.words(lx.normalise(text)))


def _index(phrases: Iterable[tuple[Phrase, int]]) -> PhraseIndex:
    index: dict[str, list[tuple[Phrase, int]]] = {}
    for phrase, owner in phrases:
        if phrase:
            index.setdefault(phrase[0], []).append((phrase, owner))
    return {key: tuple(value) for key, value in index.items()}


def _find(index: PhraseIndex, stems: Sequence[str]) -> set[int]:
    found: set[int] = set()
    if index.keys().isdisjoint(stems):
        return found
    for start, stemmed in enumerate(stems):
        for phrase, owner in index.get(stemmed, ()):
            if tuple(stems[start : start + len(phrase)]) == phrase:
                found.add(owner)
    return found


def _build_rules(persona: Persona) -> PersonaRules:
    signals = [
        (_phrase(signal), index)
        for index, priority in enumerate(persona.priorities)
        for signal in priority.signals
    ]
    context = lx.normalise(f"{persona.company} {persona.role} {persona.situation}")
    return PersonaRules(
        offering=_index((_phrase(term), 0) for term in persona.offering.terms),
        offering_stems=frozenset(
            stemmed for term in persona.offering.terms for stemmed in profile(term).content
        ),
        offering_words=frozenset(
            word
            for term in persona.offering.terms
            if len(words := lx.words(lx.normalise(term))) == 1
            for word in (words[0], words[0] + "s")
        ),
        signals=_index(signals),
        priority_ids=tuple(priority.id for priority in persona.priorities),
        industry_groups=_groups(_INDUSTRY_INDEX, lx.words(context)),
        role_groups=_groups(_ROLE_INDEX, lx.words(lx.normalise(persona.role))),
    )


_RULES: dict[int, tuple[Persona, PersonaRules]] = {}
_RULES_LIMIT = 256


def rules_for(persona: Persona) -> PersonaRules:
    """The persona's prepared rules, cached by identity (personas are frozen)."""
    entry = _RULES.get(id(persona))
    if entry is not None and entry[0] is persona:
        return entry[1]
    if len(_RULES) >= _RULES_LIMIT:
        _RULES.clear()
    built = _build_rules(persona)
    # Holding the persona keeps its id from being reused while the entry lives.
    _RULES[id(persona)] = (persona, built)
    return built


# --- sentences and question kinds ----------------------------------------------------------


@dataclass(slots=True)
class Sentence:
    text: str
    tokens: list[str]
    stems: tuple[str, ...]
    kind: QuestionKind
    yes_no: bool  # opens with an auxiliary: a genuine yes/no question, not a claim
    direct: bool  # some clause is led by a wh-word or an auxiliary
    tag: bool  # "..., right?": a claim put as a question
    cues: dict[str, Span]
    content: frozenset[str]  # stems of the words that carry meaning


def _phrase_at(tokens: list[str], start: int, phrases: dict[str, tuple[Phrase, ...]]) -> int:
    """The length of the phrase from `phrases` that starts at `start`, or 0."""
    for phrase in phrases.get(tokens[start], ()):
        if tuple(tokens[start : start + len(phrase)]) == phrase:
            return len(phrase)
    return 0


def _skip_fillers(tokens: list[str]) -> list[str]:
    start = 0
    while start < len(tokens):
        if tokens[start] in lx.FILLERS:
            start += 1
        elif length := _phrase_at(tokens, start, _FILLER_PHRASES):
            start += length
        else:
            break
    return tokens[start:]


def _subordinate(first: str, after: str, asks: bool, several: bool) -> bool:
    """A wh-word opening a subordinate or relative clause ("When you say...", "What we do")."""
    if first in ("when", "where"):
        return after not in lx.AUXILIARIES
    if first == "who":
        return after in lx.PERSONAL_PRONOUNS
    if first == "which":
        return after in lx.RELATIVE_WHICH_NEXT or after in lx.PERSONAL_PRONOUNS
    if first in lx.OPEN_WH:
        # A direct question puts an auxiliary or a noun after the wh-word, never a subject
        # pronoun; "Why the rush?" alone is still a question.
        if after in lx.PERSONAL_PRONOUNS:
            return True
        if first == "how" and not asks:
            # "How interesting." exclaims; "How do you..." and "How much..." still ask.
            return not (after in lx.AUXILIARIES or after in lx.HOW_CLOSED or after in lx.HOW_ASKS)
        return after in lx.DETERMINERS and (several or not asks)
    return False


def _cue_kind(cues: dict[str, Span], start: int, end: int) -> QuestionKind:
    """The question a wrapper cue inside characters start..end asks, if any."""
    closed = cues.get("closed")
    if closed is not None and start <= closed[0] < end:
        return "closed"
    opened = cues.get("open")
    if opened is not None and start <= opened[0] < end:
        return "open"
    return "none"


Lead = Literal["wh", "aux", ""]


def _clause_kind(
    tokens: list[str], asks: bool, several: bool, cue: QuestionKind
) -> tuple[QuestionKind, Lead]:
    """The question kind of one clause, and whether a wh-word or an auxiliary leads it.

    `cue` is what a wrapper cue in the clause asks ("Could you tell me about...").
    """
    tokens = _skip_fillers(tokens)
    if not tokens or _phrase_at(tokens, 0, _SELLER_OPENERS):
        return "none", ""
    first = tokens[0]
    after = tokens[1] if len(tokens) > 1 else ""
    if first in lx.OPEN_WH and not _subordinate(first, after, asks, several):
        if (first == "how" and after in lx.HOW_CLOSED) or (first == "what" and _wants_fact(tokens)):
            return "closed", "wh"
        return "open", "wh"
    if first in lx.CLOSED_WH and not _subordinate(first, after, asks, several):
        # "Where do you see that heading?" still invites a free answer.
        return ("open" if cue == "open" else "closed"), "wh"
    if first in lx.AUXILIARIES and (asks or (after != "" and after not in lx.NOT_A_SUBJECT)):
        return ("open" if cue == "open" else "closed"), "aux"
    if asks and tokens[-1] in lx.OPEN_WH:
        # "Scramble how?", "You did what?"
        return "open", "wh"
    return cue, ""


def _wants_fact(tokens: list[str]) -> bool:
    """A "what" question after a fact or a yes/no, not a story: "What time...", "What's
    your turnover rate?", "What other vendors...", "What if you could..." (a proposal)."""
    after = tokens[1] if len(tokens) > 1 else ""
    if after == "if":
        # "What if approvals could happen from your phone?" proposes; "What if it happens
        # again?" asks them to imagine.
        return not lx.CAPABILITY.isdisjoint(tokens)
    if after in lx.WHAT_CLOSED:
        return True
    rest = tokens[2:5]
    if after == "other":
        return bool(rest) and rest[0] in lx.NAMED_THINGS
    if after in ("is", "are", "was", "were") and rest and rest[0] in lx.FACT_DETERMINERS:
        # "What's your number one priority?" asks for a story.
        return any(
            word in lx.WHAT_CLOSED and not (word == "number" and "one" in rest) for word in rest[1:]
        )
    return False


def _is_tag(tokens: list[str]) -> bool:
    if not tokens or len(tokens) > 4:
        return False
    if tokens[-1] in lx.TAG_WORDS and len(tokens) <= 3:
        return True
    rest = tokens[1:]
    if rest and rest[0] == "not":
        rest = rest[1:]
    return tokens[0] in lx.AUXILIARIES and bool(rest) and rest[0] in _TAG_SUBJECTS


_TAG_SUBJECTS = lx.PERSONAL_PRONOUNS | {"it", "that", "there"}


def _sentence(clauses: list[list[str]], asks: bool) -> Sentence:
    tokens = [token for clause in clauses for token in clause]
    text = " ".join(tokens)
    cues = SENTENCE_CUES.scan(tokens, text)
    several = len(clauses) > 1
    wrapped = "open" in cues or "closed" in cues
    kinds: list[QuestionKind] = []
    leads: list[Lead] = []
    start = 0
    for clause in clauses:
        cue: QuestionKind = "none"
        if wrapped:
            end = start + len(" ".join(clause))
            cue = _cue_kind(cues, start, end)
            start = end + 1
        kind, lead = _clause_kind(clause, asks, several, cue)
        kinds.append(kind)
        leads.append(lead)
    tag = asks and several and _is_tag(clauses[-1])
    kind = "none"
    if "rating" in cues and (asks or "open" in kinds or "closed" in kinds):
        kind = "closed"
    elif "open" in kinds:
        kind = "open"
    elif tag or "closed" in kinds:
        kind = "closed"
    elif asks:
        kind = "open" if lx.ELLIPTICAL_OPEN.issuperset(tokens) else "closed"
    stems = tuple([lx.stem(token) for token in tokens])
    stop = lx.STOP_WORDS
    return Sentence(
        text=text,
        tokens=tokens,
        stems=stems,
        kind=kind,
        yes_no=leads[0] == "aux" and not tag,
        direct=any(leads),
        tag=tag,
        cues=cues,
        content=frozenset(
            [
                stemmed
                for token, stemmed in zip(tokens, stems, strict=True)
                if len(token) > 1 and token not in stop and not token.isdigit()
            ]
        ),
    )


def sentences(text: str) -> list[Sentence]:
    """The sentences of a rep turn, each with its question kind and the cues it carries."""
    found: list[Sentence] = []
    clauses: list[list[str]] = []
    clause: list[str] = []
    for piece in lx.pieces(lx.normalise(text)):
        if piece not in lx.MARKS:
            clause.append(piece)
            continue
        if clause:
            clauses.append(clause)
            clause = []
        if piece != lx.CLAUSE_BREAK and clauses:
            found.append(_sentence(clauses, piece == lx.QUESTION_END))
            clauses = []
    if clause:
        clauses.append(clause)
    if clauses:
        found.append(_sentence(clauses, False))
    return found


def _combine(kinds: Iterable[QuestionKind]) -> QuestionKind:
    result: QuestionKind = "none"
    for kind in kinds:
        if kind == "open":
            return "open"
        if kind == "closed":
            result = "closed"
    return result


def question_kind(text: str) -> QuestionKind:
    """Open if any question in the text is open, else closed if any, else none."""
    return _combine(sentence.kind for sentence in sentences(text))


# --- the labels ----------------------------------------------------------------------------


def _names_solution(sentence: Sentence, rules: PersonaRules | None) -> bool:
    if not lx.SOLUTION_STEMS.isdisjoint(sentence.stems) or lx.SOLUTION_FRAGMENT in sentence.text:
        return True
    return rules is not None and bool(_find(rules.offering, sentence.stems))


def _seller_owns_solution(sentence: Sentence, rules: PersonaRules | None) -> bool:
    # "our" right before a solution word, or one word before: "our automation", "our AP tool".
    if lx.SELLER_POSSESSIVES.isdisjoint(sentence.tokens):
        return False
    for position, token in enumerate(sentence.tokens):
        if token in lx.SELLER_POSSESSIVES:
            for stemmed in sentence.stems[position + 1 : position + 3]:
                if (
                    stemmed in lx.SOLUTION_STEMS
                    or lx.SOLUTION_FRAGMENT in stemmed
                    or (rules is not None and stemmed in rules.offering)
                ):
                    return True
    return False


# "rather than send you a brochure", "I'm not going to pitch you a demo": no offer made.
_DISOWNED = re.compile(r"\b(?:rather than|than|instead of|not|never|no|without)(?: \w+){0,3} ?$")


def _offering_at(sentence: Sentence, rules: PersonaRules) -> int | None:
    """Where the sentence first names an offering term, in characters; a one-word term only
    as written ("pricing", not "fuel prices", which share a stem)."""
    stems = sentence.stems
    offset = 0
    for start, stemmed in enumerate(stems):
        for phrase, _ in rules.offering.get(stemmed, ()):
            if tuple(stems[start : start + len(phrase)]) != phrase:
                continue
            if len(phrase) > 1 or sentence.tokens[start] in rules.offering_words:
                return offset
        offset += len(sentence.tokens[start]) + 1
    return None


def _offers(sentence: Sentence, rules: PersonaRules, previous: Profile | None) -> bool:
    """The persona's own offering named in a statement, or beside a question about the deal.

    Naming it to ask about the customer's current setup is not selling; neither is saying
    back a term the customer just used.
    """
    if sentence.kind != "none" and "self_serving" not in sentence.cues:
        return False
    if "reflection" in sentence.cues:
        return False
    named_at = _offering_at(sentence, rules)
    if named_at is None or _DISOWNED.search(sentence.text[:named_at]):
        return False
    if previous is None:
        return True
    named = sentence.content & rules.offering_stems
    return not named or not all(_related(stem, previous) for stem in named)


def _is_pitch(sentence: Sentence, rules: PersonaRules | None, previous: Profile | None) -> bool:
    span = sentence.cues.get("pitch")
    if span is not None and not _DISOWNED.search(sentence.text[: span[0]]):
        return True
    if _seller_owns_solution(sentence, rules):
        return True
    if not _names_solution(sentence, rules):
        return False
    if rules is not None and _offers(sentence, rules, previous):
        return True
    # The offering named in a proposal, a prescription or a benefit claim.
    cues = SOLUTION_CUES.scan(sentence.tokens, sentence.text)
    if "proposal" in cues or "prescription" in cues:
        return True
    return "benefit" in cues and sentence.kind == "none" and "reflection" not in sentence.cues


def _grounded(text: str, said: Sequence[Profile]) -> bool:
    """Whether most of what a claim says about the customer is in their own words."""
    claim = {lx.stem(token) for token in text.split() if _is_content(token)}
    if not claim or not said:
        return False
    hits = sum(1 for stemmed in claim if any(_related(stemmed, turn) for turn in said))
    return hits * 2 >= len(claim)


def _personalisation(
    sentence: Sentence, claims: dict[str, Span], rules: PersonaRules, said: Sequence[Profile]
) -> bool:
    """A role or industry put on the customer that is wrong, or right but never said by them."""
    role = claims.get("role")
    if role is not None:
        named = _groups(_ROLE_INDEX, sentence.text[role[0] : role[1]].split())
        if not named <= rules.role_groups:
            return True
    industry = claims.get("industry")
    # A claim about the customer's industry names them; a yes/no question only asks.
    if industry is None or sentence.yes_no or lx.SECOND_PERSON.isdisjoint(sentence.tokens):
        return False
    claimed = _groups(_INDUSTRY_INDEX, sentence.text[industry[0] : industry[1]].split())
    # An industry the customer named themselves is theirs to talk about.
    for turn in said:
        claimed -= turn.industries
    if not claimed:
        return False
    # Asking about their real industry is fine; telling them about it is canned.
    return not claimed <= rules.industry_groups or not sentence.direct


def _is_assumption(sentence: Sentence, rules: PersonaRules | None, said: Sequence[Profile]) -> bool:
    if "reflection" in sentence.cues:
        return False
    claims: dict[str, Span] = {}
    if not _NAME_WORDS.isdisjoint(sentence.tokens):
        claims = CLAIM_CUES.scan(sentence.tokens, sentence.text)
        if rules is not None and _personalisation(sentence, claims, rules, said):
            return True
    span = sentence.cues.get("assumption") or claims.get("stereotype")
    if span is None:
        return False
    rest = sentence.text[: span[0]] + " " + sentence.text[span[1] :]
    return not _grounded(rest, said)


def _is_reflection(
    sentence: Sentence, previous: Profile | None, said: Sequence[Profile], content: frozenset[str]
) -> bool:
    """A reflection cue grounded in the customer's words anywhere in the turn."""
    if not said or "reflection" not in sentence.cues:
        return False
    if previous is not None and ("empathy" in sentence.cues or _points_back(sentence.tokens)):
        # "That must be hard", "Sounds like that made it worse": about what they just said.
        return True
    return any(_shared(content, turn) for turn in said)


def _is_playback(sentence: Sentence, previous: Profile | None) -> bool:
    # "So month end is the real pain." / "So invoices get stuck waiting?" A declarative opening
    # with "so" that reuses the customer's own words plays them back without a stock phrase.
    if previous is None or sentence.direct or not sentence.tokens:
        return False
    return sentence.tokens[0] == "so" and _shared(sentence.content, previous) > 0


# Pronouns stand for the same person either side: "my team" said back is "your team".
_PERSON = {
    **dict.fromkeys(("i", "we", "you", "they", "he", "she"), "<subject>"),
    **dict.fromkeys(("my", "our", "your", "their", "his", "her"), "<possessive>"),
    **dict.fromkeys(("me", "us", "them", "him"), "<object>"),
}
ECHO_MAX_WORDS = 14
ECHO_SHARE = 0.6


def _is_echo(sentence: Sentence, previous: Profile | None) -> bool:
    """The customer's own words said back, short and without a question word: "On their
    phones.", "A lot going on at home." Mirroring leaves room for more."""
    if previous is None or sentence.kind == "open" or len(sentence.tokens) > ECHO_MAX_WORDS:
        return False
    mine = [
        _PERSON.get(stemmed, stemmed)
        for token, stemmed in zip(sentence.tokens, sentence.stems, strict=True)
        if token not in lx.FILLERS
    ]
    if len(mine) < 2:
        return False
    theirs = {_PERSON.get(stemmed, stemmed) for stemmed in previous.stems}
    hits = sum(1 for item in mine if item in theirs)
    if hits < ECHO_SHARE * len(mine):
        return False
    return hits >= 3 or any(stemmed in previous.content for stemmed in sentence.content)


def _points_back(tokens: Sequence[str]) -> bool:
    """A "that", "it" or "they" standing for what the customer said; not "this quarter"
    (a time) or "the part that you" (a relative clause)."""
    for position, token in enumerate(tokens):
        if token not in lx.REFERENCE_WORDS:
            continue
        after = tokens[position + 1] if position + 1 < len(tokens) else ""
        if after in lx.TIME_NOUNS or (token == "that" and after in lx.PERSONAL_PRONOUNS):
            continue
        return True
    return False


_DEMONSTRATIVES = frozenset({"that", "those", "these", "they"})


def _digs_in(sentence: Sentence) -> bool:
    """A closed question about what the customer just said: "Has that led to incidents?",
    "When are they due?", "Does that worry you?"; not a checklist item on a bare "it"."""
    tokens = _skip_fillers(sentence.tokens)
    if not _DEMONSTRATIVES.isdisjoint(tokens[1:3]):
        return True
    cues = sentence.cues
    return _points_back(tokens) and ("world" in cues or "empathy" in cues)


def _moves_on(sentence: Sentence) -> bool:
    text = " ".join(_skip_fillers(sentence.tokens))
    return text.startswith(lx.MOVING_ON)


SHORT_QUESTION = 4


def _asks_about_mirror(found: Sequence[Sentence], mirrors: Sequence[bool]) -> bool:
    """A reflection then a short or pointing question on it: "Sounds like approvals stall on
    desks. Why there?"."""
    for sentence, mirrored in zip(found[1:], mirrors, strict=False):
        if mirrored and sentence.kind != "none" and not _moves_on(sentence):
            if len(sentence.tokens) <= SHORT_QUESTION or _points_back(sentence.tokens):
                return True
    return False


def _builds_on(sentence: Sentence, previous: Profile, offering: frozenset[str]) -> bool:
    """Whether one inviting sentence builds on the customer's last answer."""
    if "reference" in sentence.cues:  # "you mentioned", "how so", "what happened"
        return True
    if _moves_on(sentence):
        return False
    # The offering's terms are the seller's vocabulary: repeating them builds on nothing.
    if _shared(sentence.content - offering - _PLAIN, previous) > 0:
        return True
    if sentence.kind == "open" and lx.ELLIPTICAL_OPEN.issuperset(sentence.tokens):
        return True  # a bare "Why?", "And then?"
    if not previous.told:
        return False
    if sentence.kind == "closed":
        return _digs_in(sentence)
    return _points_back(sentence.tokens)


def _content(found: Sequence[Sentence]) -> frozenset[str]:
    if len(found) == 1:
        return found[0].content
    return frozenset().union(*(sentence.content for sentence in found))


def _priorities(
    rules: PersonaRules | None, found: Sequence[Sentence], previous: Profile | None, following: bool
) -> list[str]:
    if rules is None:
        return []
    touched: set[int] = set()
    for sentence in found:
        touched |= _find(rules.signals, sentence.stems)
    if not touched and following and previous is not None:
        touched = _find(rules.signals, previous.stems)
    return [rules.priority_ids[index] for index in sorted(touched)]


def _needs_history(sentence: Sentence) -> bool:
    # Only claims and reflections are checked against everything the customer said.
    cues = sentence.cues
    return (
        "reflection" in cues or "assumption" in cues or not _NAME_WORDS.isdisjoint(sentence.tokens)
    )


@lru_cache(maxsize=16384)
def _parsed(text: str) -> tuple[Sentence, ...]:
    """A rep turn's sentences; cached because conversations repeat their stock lines."""
    return tuple(sentences(text))


# Labels of turns that need nothing but the previous customer turn, by (text, previous,
# persona id): a batch of calls repeats "Tell me more" after the same stock replies.
_LABELS: dict[tuple[str, str | None, int], tuple[Persona | None, TurnLabels]] = {}
_LABELS_LIMIT = 65536


def analyse_turn(
    text: str,
    previous_customer: str | None,
    persona: Persona | None = None,
    customer_said: Sequence[str] = (),
) -> TurnLabels:
    """Label one rep turn; `previous_customer` is the customer turn right before it."""
    found = _parsed(text)
    if not found:
        return TurnLabels()
    if any(_needs_history(sentence) for sentence in found):
        return _label(found, previous_customer, persona, customer_said, history=True)
    key = (text, previous_customer, id(persona))
    cached = _LABELS.get(key)
    # Holding the persona keeps its id from being reused while the entry lives.
    if cached is not None and cached[0] is persona:
        return cached[1]
    labels = _label(found, previous_customer, persona, (), history=False)
    if len(_LABELS) >= _LABELS_LIMIT:
        _LABELS.clear()
    _LABELS[key] = (persona, labels)
    return labels


def _label(
    found: Sequence[Sentence],
    previous_customer: str | None,
    persona: Persona | None,
    customer_said: Sequence[str],
    history: bool,
) -> TurnLabels:
    rules = rules_for(persona) if persona is not None else None
    previous = (
        profile(previous_customer) if previous_customer and previous_customer.strip() else None
    )
    said: list[Profile] = []
    if history:
        said = [profile(turn) for turn in customer_said if turn and turn.strip()]
        if previous is not None and previous_customer not in customer_said:
            said.append(previous)

    content = _content(found)
    question = _combine(sentence.kind for sentence in found)
    pitch = any(_is_pitch(sentence, rules, previous) for sentence in found)
    self_serving = any("self_serving" in sentence.cues for sentence in found)
    assumption = any(_is_assumption(sentence, rules, said) for sentence in found)
    selling = pitch or self_serving
    mirrors = [
        not selling
        and (
            _is_reflection(sentence, previous, said, content)
            or _is_playback(sentence, previous)
            or _is_echo(sentence, previous)
        )
        for sentence in found
    ]
    world = not selling and any(
        sentence.kind == "open" and "world" in sentence.cues for sentence in found
    )

    followup = False
    if previous is not None and not selling:
        offering = rules.offering_stems if rules is not None else frozenset()
        # The customer answers the questions: when the turn asks, they decide whether it
        # builds on the last answer; a tag question only asks to agree with a claim.
        inviting = [s for s in found if s.kind != "none" and not (s.tag and not s.yes_no)]
        if question == "none":
            inviting = [s for s, mirror in zip(found, mirrors, strict=True) if mirror]
        followup = (
            any(_builds_on(sentence, previous, offering) for sentence in inviting)
            or (question == "none" and any(_is_echo(sentence, previous) for sentence in found))
            or _asks_about_mirror(found, mirrors)
        )
    # A reflection leaves room for more: followed by a question on something else, it
    # only acknowledges.
    reflection = any(mirrors) and (question == "none" or followup)

    return TurnLabels(
        question=question,
        followup=followup,
        pitch=pitch,
        self_serving=self_serving,
        assumption=assumption,
        reflection=reflection,
        world=world,
        priorities=_priorities(rules, found, previous, followup or reflection),
    )
