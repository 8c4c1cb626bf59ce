"""Warnings for personas that are valid but weak: they load, yet play badly.

A line that gives away a deeper level too early, signals the analyser can never find in a
priority's own words, and signals two priorities share. None of these stop a persona from
loading; `deeper personas check` prints them and still exits 0.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from simulator import lexicon as lx
from simulator.persona import REVEALED_LEVELS, Level, Persona, Priority
from simulator.persona_files import Locate

Stems = tuple[str, ...]
Loc = tuple[int | str, ...]

# A shallow line leaks a deeper field when it repeats at least this many of the field's
# distinctive words, and at least this share of them.
LEAK_WORDS = 3
LEAK_SHARE = 1 / 3
# What each level must not yet say: the hidden fields of the levels after it.
DEEPER_FIELDS: dict[Level, tuple[Level, ...]] = {
    Level.hint: (Level.why, Level.fear),
    Level.stated: (Level.why, Level.fear),
    Level.why: (Level.fear,),
}


@dataclass(frozen=True)
class PersonaWarning:
    path: Path
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: warning: {self.message}"


def warnings_for(path: Path, persona: Persona, locate: Locate) -> list[PersonaWarning]:
    found = [
        PersonaWarning(path, *locate(loc), message)
        for loc, message in (*_leaks(persona), *_signal_problems(persona))
    ]
    return sorted(found, key=lambda warning: warning.line)


# --- leaks ---------------------------------------------------------------------------------


def _leaks(persona: Persona) -> Iterator[tuple[Loc, str]]:
    for index, priority in enumerate(persona.priorities):
        common = _topic(priority) | _elsewhere(persona, priority)
        hidden = {
            Level.why: _content(priority.why) - common,
            Level.fear: _content(priority.fear) - common,
        }
        for level, deeper in DEEPER_FIELDS.items():
            for number, line in enumerate(priority.reveals.lines(level)):
                words = _content(line)
                for field in deeper:
                    shared = words & hidden[field]
                    if len(shared) >= LEAK_WORDS and len(shared) >= LEAK_SHARE * len(hidden[field]):
                        loc: Loc = ("priorities", index, "reveals", level.value, number)
                        yield (
                            loc,
                            (
                                f"this {level.value} line gives away the {field.value} early "
                                f"(it repeats {_quote_all(shared, line)} from `{field.value}:`)"
                            ),
                        )


def _content(text: str) -> set[str]:
    return {
        lx.stem(word)
        for word in lx.words(lx.normalise(text))
        if len(word) > 2 and word not in lx.STOP_WORDS and not word.isdigit()
    }


def _topic(priority: Priority) -> set[str]:
    # The priority's own subject may be named at every level.
    return _content(" ".join([priority.label, *priority.signals]))


def _elsewhere(persona: Persona, priority: Priority) -> set[str]:
    # Words the customer uses about other things too ("year", "unit") say nothing hidden.
    return {
        word
        for other in persona.priorities
        if other is not priority
        for level in REVEALED_LEVELS
        for line in other.reveals.lines(level)
        for word in _content(line)
    }


def _quote_all(stems: set[str], line: str) -> str:
    # The reader wrote words, not stems: name them as they appear in the line.
    words = {lx.stem(word): word for word in lx.words(lx.normalise(line))}
    return ", ".join(f"'{words.get(stem, stem)}'" for stem in sorted(stems))


# --- signals -------------------------------------------------------------------------------


def _signal_problems(persona: Persona) -> Iterator[tuple[Loc, str]]:
    phrases = [[_phrase(signal) for signal in p.signals] for p in persona.priorities]
    for index, priority in enumerate(persona.priorities):
        own = phrases[index]
        lines = [
            (level, number, _phrase(line))
            for level in REVEALED_LEVELS
            for number, line in enumerate(priority.reveals.lines(level))
        ]
        if not any(_occurs(signal, stems) for signal in own for _, _, stems in lines):
            yield (
                ("priorities", index, "signals"),
                (
                    "none of these signals occurs in the priority's own lines, so the analyser "
                    "cannot tie what the customer says to this priority"
                ),
            )
        yield from _shared_signals(persona, phrases, index)
        for level, number, stems in lines:
            if level is Level.fear:
                # Nothing is deeper than fear: a follow-up that moves on from it is fine.
                continue
            yield from _misrouted(
                persona,
                phrases,
                index,
                stems,
                ("priorities", index, "reveals", level.value, number),
            )


def _misrouted(
    persona: Persona, phrases: list[list[Stems]], index: int, stems: Stems, loc: Loc
) -> Iterator[tuple[Loc, str]]:
    """A line with another priority's signal and none of its own: follow-ups go astray."""
    if any(_occurs(signal, stems) for signal in phrases[index]):
        return
    for other, signals in enumerate(phrases):
        for number, signal in enumerate(signals):
            if other != index and _occurs(signal, stems):
                word = persona.priorities[other].signals[number]
                other_id = persona.priorities[other].id
                yield (
                    loc,
                    (
                        f"this line has none of its priority's signals but '{word}', a signal of "
                        f"{other_id}: a follow-up on it moves {other_id} instead"
                    ),
                )
                return


def _shared_signals(
    persona: Persona, phrases: list[list[Stems]], index: int
) -> Iterator[tuple[Loc, str]]:
    """A signal that another, earlier priority also matches: the analyser credits that one."""
    for number, signal in enumerate(phrases[index]):
        for other in range(index):
            if any(_occurs(mine, signal) or _occurs(signal, mine) for mine in phrases[other]):
                word = persona.priorities[index].signals[number]
                first = persona.priorities[other].id
                loc: Loc = ("priorities", index, "signals", number)
                yield loc, f"'{word}' is also a signal of {first}: a rep who says it moves {first}"
                break


def _phrase(text: str) -> Stems:
    return tuple(lx.stem(word) for word in lx.words(lx.normalise(text)))


def _occurs(phrase: Stems, stems: Stems) -> bool:
    size = len(phrase)
    return size > 0 and any(stems[i : i + size] == phrase for i in range(len(stems) - size + 1))
