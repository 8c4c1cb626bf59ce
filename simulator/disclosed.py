"""How far the customer disclosed each hidden priority, and the rep turn that earned each level.

A live session carries the disclosure engine's log with every customer turn: that is the
ground truth. Any other transcript carries only words, so each customer sentence is read
against the persona: which priority its content belongs to (signals, label, why, fear and
the authored lines) and which level's content it is closest to. The rep turn right before
the customer turn earned what it reveals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from simulator import lexicon as lx
from simulator.persona import LEVELS, REVEALED_LEVELS, Level, Persona, Priority
from simulator.quotes import sentences
from simulator.transcript import Turn

Source = Literal["engine", "words"]
# Level.rank, without the search: the judge compares levels in its inner loops.
RANK: dict[Level, int] = {level: rank for rank, level in enumerate(LEVELS)}


@dataclass(slots=True)
class Progress:
    """One priority: the deepest level reached, and per level the turns behind it."""

    level: Level = Level.hidden
    # The rep turn that earned each level; None when the customer said it unprompted.
    reached_at: dict[Level, int | None] = field(default_factory=dict)
    # The customer turn in which each level first showed.
    shown_in: dict[Level, int] = field(default_factory=dict)
    source: Source = "words"

    def reach(self, level: Level, rep_turn: int | None, customer_turn: int) -> None:
        """Record `level` (and every level below it not reached yet)."""
        for step in REVEALED_LEVELS[: RANK[level]]:
            if step not in self.reached_at:
                self.reached_at[step] = rep_turn
                self.shown_in[step] = customer_turn
        if RANK[level] > RANK[self.level]:
            self.level = level


def disclosed(turns: Sequence[Turn], persona: Persona) -> dict[str, Progress]:
    """Each of the persona's priorities, by id, as far as the conversation took it."""
    return from_engine(turns, persona) or from_words(turns, persona)


# --- ground truth: the engine's log ------------------------------------------------------------


def from_engine(turns: Sequence[Turn], persona: Persona) -> dict[str, Progress] | None:
    """The engine's own record, or None when the transcript carries none for this persona."""
    ids = {priority.id for priority in persona.priorities}
    states = [
        (index, turn.state)
        for index, turn in enumerate(turns)
        if turn.speaker == "customer" and turn.state is not None
    ]
    if not states or any(set(state.levels) != ids for _, state in states):
        return None
    progress = {pid: Progress(source="engine") for pid in ids}
    for index, state in states:
        for change in state.changes:
            if change.priority not in progress or change.after is None:
                continue
            before = RANK[change.before] if change.before is not None else 0
            if RANK[change.after] > before:
                progress[change.priority].reach(change.after, change.turn, index)
        # A level the log does not explain (an older file) still counts, unearned.
        for pid, level in state.levels.items():
            if RANK[level] > RANK[progress[pid].level]:
                progress[pid].reach(level, None, index)
    return progress


# --- inference: the customer's own words -------------------------------------------------------

# Words that say how a thing feels or why it happened, whatever the priority: they settle
# the level when the content alone does not.
FEAR_CUES = frozenset(
    lx.stem(word)
    for word in """
    afraid scared scare scares frightened terrified terrifies fear fears dread dreading
    nightmare nightmares panic worried worry worries worrying anxious nervous lose losing
    """.split()
)
WHY_CUES = frozenset(
    lx.stem(word)
    for word in """
    because since reason reasons happened nearly almost after ago last lost year
    """.split()
)
STATED_CUES = frozenset(
    lx.stem(word)
    for word in """
    need needs want wants priority priorities important matters most main biggest first
    """.split()
)
# A cue word counts for half a word of the level's own content: it tips, never decides.
CUE_WEIGHT = 0.5
# A sentence must share this much distinctive content with a priority to count as about it:
# two of its words, or one of its signals (which counts twice).
MIN_PRIORITY_SCORE = 1.5
# Words too common in how people talk about work to tell one priority or level from another:
# numbers, time, and the verbs of any story.
COMMON = frozenset(
    lx.stem(word)
    for word in """
    year years month months week weeks day days time times thing work job company here there
    every always never last next now right lot bit good bad sure yes no new old
    one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty
    forty fifty sixty seventy eighty ninety hundred thousand million half first second third
    use used run set put take took give gave make made find found start started mostly
    call called turn end ends need needs want wants happen happened mention mentioned
    busy business place part people person someone everyone anyone nobody somebody
    """.split()
)
# A stem shorter than this matches only itself: "over" is not "overtime".
PREFIX_MIN = 5
# Below this much level-specific content a sentence about a priority only hints at it.
LEVEL_MIN = 1.0
# A sentence saying most of an authored line's words says that line.
LINE_SHARE = 0.6
LINE_MIN_HITS = 2


@dataclass(frozen=True, slots=True)
class Heard:
    """One customer sentence as the judge reads it."""

    text: str
    # The priority (index in the persona) it speaks of and the level it shows, if any.
    priority: int | None
    level: Level | None
    # How many words carry meaning: how much there is to build a question on.
    content: int


@dataclass(frozen=True, slots=True)
class PriorityWords:
    """A persona's priorities as stems: which priorities and levels each stem belongs to."""

    ids: tuple[str, ...]
    # stem -> ((priority index, weight toward that priority), ...)
    priority_weights: dict[str, tuple[tuple[int, float], ...]]
    # (priority index, stem) -> ((level rank, weight toward that level), ...)
    level_weights: dict[tuple[int, str], tuple[tuple[int, float], ...]]
    # Multi-word signals as stem tuples, by first stem: ((stems, priority index), ...)
    signals: dict[str, tuple[tuple[tuple[str, ...], int], ...]]
    prefixes: dict[str, tuple[str, ...]]
    signal_stems: frozenset[str]
    # The authored lines (a scripted or a close-paraphrasing voice says them): which lines
    # each stem is in, and per line its priority, level rank and number of stems.
    line_index: dict[str, tuple[int, ...]]
    lines: tuple[tuple[int, int, int], ...]
    # Filled as texts are read: any stem -> the persona's stem it stands for ("" for none),
    # and customer turns already read (batches repeat stock replies).
    canonical: dict[str, str] = field(default_factory=dict)
    turns: dict[str, tuple[Heard, ...]] = field(default_factory=dict)


def stems_of(text: str) -> list[str]:
    return [lx.stem(word) for word in lx.words(lx.normalise(text))]


def content_stems(text: str) -> list[str]:
    return [
        lx.stem(word)
        for word in lx.words(lx.normalise(text))
        if word not in lx.STOP_WORDS and len(word) > 1 and not word.isdigit()
    ]


def _level_texts(priority: Priority) -> dict[Level, list[str]]:
    reveals = priority.reveals
    return {
        Level.hint: reveals.hint,
        Level.stated: [priority.label, *reveals.stated],
        Level.why: [priority.why, *reveals.why],
        Level.fear: [priority.fear, *reveals.fear],
    }


def _build(persona: Persona) -> PriorityWords:
    owners: dict[str, set[int]] = {}
    levels: dict[tuple[int, str], set[int]] = {}
    signals: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for index, priority in enumerate(persona.priorities):
        for level, texts in _level_texts(priority).items():
            for text in texts:
                for stem in content_stems(text):
                    if stem in COMMON:
                        continue
                    owners.setdefault(stem, set()).add(index)
                    levels.setdefault((index, stem), set()).add(level.rank)
        for signal in priority.signals:
            phrase = tuple(stems_of(signal))
            if phrase:
                signals.setdefault(phrase[0], []).append((phrase, index))
    prefixes: dict[str, list[str]] = {}
    for stem in owners:
        if len(stem) >= 4:
            prefixes.setdefault(stem[:4], []).append(stem)
    lines: list[tuple[int, int, int]] = []
    line_index: dict[str, list[int]] = {}
    for index, priority in enumerate(persona.priorities):
        for level in REVEALED_LEVELS:
            for line in priority.reveals.lines(level):
                stems = set(content_stems(line))
                if len(stems) < LINE_MIN_HITS:
                    continue
                for stem in stems:
                    line_index.setdefault(stem, []).append(len(lines))
                lines.append((index, RANK[level], len(stems)))
    return PriorityWords(
        ids=tuple(priority.id for priority in persona.priorities),
        priority_weights={
            stem: tuple((index, 1.0 / len(found)) for index in sorted(found))
            for stem, found in owners.items()
        },
        level_weights={
            key: tuple((rank, 1.0 / len(ranks)) for rank in sorted(ranks))
            for key, ranks in levels.items()
        },
        signals={key: tuple(value) for key, value in signals.items()},
        prefixes={key: tuple(value) for key, value in prefixes.items()},
        signal_stems=frozenset(
            stem for found in signals.values() for phrase, _ in found for stem in phrase
        ),
        line_index={key: tuple(value) for key, value in line_index.items()},
        lines=tuple(lines),
    )


_WORDS: dict[int, tuple[Persona, PriorityWords]] = {}
CACHE_LIMIT = 50_000


def priority_words(persona: Persona) -> PriorityWords:
    """The persona's prepared words, cached by identity (personas are frozen)."""
    entry = _WORDS.get(id(persona))
    if entry is not None and entry[0] is persona:
        return entry[1]
    if len(_WORDS) >= 256:
        _WORDS.clear()
    built = _build(persona)
    _WORDS[id(persona)] = (persona, built)
    return built


def _canonical(stem: str, words: PriorityWords) -> str:
    """The persona's stem this one stands for: itself, one a short suffix away, or ""."""
    known = words.canonical.get(stem)
    if known is not None:
        return known
    found = ""
    if stem in words.priority_weights:
        found = stem
    elif len(stem) >= 4:
        for candidate in words.prefixes.get(stem[:4], ()):
            longer, shorter = (candidate, stem) if len(candidate) > len(stem) else (stem, candidate)
            if (
                len(shorter) >= PREFIX_MIN
                and longer.startswith(shorter)
                and len(longer) - len(shorter) <= 3
            ):
                found = candidate
                break
    if len(words.canonical) >= CACHE_LIMIT:
        words.canonical.clear()
    words.canonical[stem] = found
    return found


def _authored(stems: Sequence[str], words: PriorityWords) -> tuple[int, Level] | None:
    """The authored line the sentence says, near enough word for word, if any."""
    hits: dict[int, int] = {}
    for stem in set(stems):
        for line in words.line_index.get(stem, ()):
            hits[line] = hits.get(line, 0) + 1
    best: tuple[float, int, int] | None = None
    for line, count in hits.items():
        priority, rank, size = words.lines[line]
        share = count / size
        if count >= LINE_MIN_HITS and share >= LINE_SHARE and (best is None or share > best[0]):
            best = (share, priority, rank)
    return (best[1], LEVELS[best[2]]) if best is not None else None


def read_sentence(stems: Sequence[str], words: PriorityWords) -> tuple[int, Level] | None:
    """The priority a customer sentence speaks of and the level its content shows, if any."""
    authored = _authored(stems, words)
    if authored is not None:
        return authored
    scores: dict[int, float] = {}
    matched: set[str] = set()
    weights = words.priority_weights
    for stem in stems:
        canonical = _canonical(stem, words)
        if canonical and canonical not in matched:
            matched.add(canonical)
            for index, weight in weights[canonical]:
                scores[index] = scores.get(index, 0.0) + weight
        for phrase, index in words.signals.get(stem, ()):
            if len(phrase) == 1 or _phrase_at(stems, stem, phrase):
                scores[index] = scores.get(index, 0.0) + 1.0
    if not scores:
        return None
    best = max(scores, key=lambda index: (scores[index], -index))
    if scores[best] < MIN_PRIORITY_SCORE:
        return None
    # Signals name the priority, not how deep the sentence goes into it.
    by_level = [0.0] * len(LEVELS)
    for stem in matched - words.signal_stems:
        for rank, weight in words.level_weights.get((best, stem), ()):
            by_level[rank] += weight
    present = set(stems)
    if not present.isdisjoint(STATED_CUES):
        by_level[RANK[Level.stated]] += CUE_WEIGHT
    if not present.isdisjoint(WHY_CUES):
        by_level[RANK[Level.why]] += CUE_WEIGHT
    if not present.isdisjoint(FEAR_CUES):
        by_level[RANK[Level.fear]] += CUE_WEIGHT
    rank = max(range(1, len(LEVELS)), key=lambda key: (by_level[key], -key))
    return best, LEVELS[rank] if by_level[rank] >= LEVEL_MIN else Level.hint


def _phrase_at(stems: Sequence[str], first: str, phrase: tuple[str, ...]) -> bool:
    # Rare (multi-word signals only), so a plain scan is fine.
    size = len(phrase)
    return any(
        stems[start] == first and tuple(stems[start : start + size]) == phrase
        for start in range(len(stems) - size + 1)
    )


def _hear(sentence: str, words: PriorityWords | None) -> Heard:
    tokens = lx.words(lx.normalise(sentence))
    stems = [lx.stem(token) for token in tokens]
    content = sum(
        1
        for token in tokens
        if token not in lx.STOP_WORDS and len(token) > 1 and not token.isdigit()
    )
    read = read_sentence(stems, words) if words is not None else None
    if read is None:
        return Heard(sentence, None, None, content)
    return Heard(sentence, read[0], read[1], content)


def hear(text: str, words: PriorityWords | None) -> tuple[Heard, ...]:
    """A customer turn, sentence by sentence; remembered per persona."""
    if words is not None:
        known = words.turns.get(text)
        if known is not None:
            return known
    heard = tuple(_hear(sentence, words) for sentence in sentences(text))
    if words is not None:
        if len(words.turns) >= CACHE_LIMIT:
            words.turns.clear()
        words.turns[text] = heard
    return heard


def from_words(turns: Sequence[Turn], persona: Persona) -> dict[str, Progress]:
    words = priority_words(persona)
    progress = {pid: Progress() for pid in words.ids}
    last_rep: int | None = None
    for index, turn in enumerate(turns):
        if turn.speaker == "rep":
            last_rep = index
            continue
        for heard in hear(turn.text, words):
            if heard.priority is not None and heard.level is not None:
                progress[words.ids[heard.priority]].reach(heard.level, last_rep, index)
    return progress
