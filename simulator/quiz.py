"""The 90-second quiz, scored: did the rep catch what the customer cares about, and why?

Each answer is matched to at most one hidden priority, the assignment that fits best
overall, so two answers about the same thing earn it once. Words are compared by their
stems, with a little fuzzy slack for typos, and weighted by how much they tell one priority
from the others: "cash" points at one priority, "team" may point at several.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import permutations

from pydantic import BaseModel, Field
from rapidfuzz import fuzz, process

from simulator import lexicon as lx
from simulator.disclosed import COMMON
from simulator.persona import Persona, Priority

QUIZ_SIZE = 3
# Enough of a priority's distinctive words to say the answer names it: one word only that
# priority uses, or two it shares with one other.
ENOUGH = 1.0
# Typos: "covenent" is "covenant"; short words must match exactly.
FUZZY_CUTOFF = 85
FUZZY_MIN_LENGTH = 5
# Words that say nothing about which priority is meant.
VAGUE = COMMON | frozenset(
    lx.stem(word)
    for word in """
    care cares caring worry worried worries important matter matters want wants need needs
    thing things stuff lot really get make keep feel year years time work job company
    customer customers she he they her his their them because about honest honestly came
    """.split()
)


class QuizAnswer(BaseModel):
    """One of the rep's answers: what the customer cares about, and why."""

    care: str = ""
    why: str = ""


class PriorityQuizResult(BaseModel):
    """One hidden priority: was it named, was its reason right, and by which answer."""

    id: str
    label: str
    named: bool
    why_right: bool
    # Index of the rep's answer matched to it, and that answer.
    answer: int | None = None
    matched: QuizAnswer | None = None
    points: int


class QuizScore(BaseModel):
    priorities: list[PriorityQuizResult]
    points: int
    max_points: int
    # Answers that matched no priority, by index.
    unmatched: list[int] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Doc:
    """A priority's words: what it is about, and why it matters (its reason and its fear)."""

    care: dict[str, float]
    why: dict[str, float]


def _stems(text: str) -> list[str]:
    return [
        lx.stem(word)
        for word in lx.words(lx.normalise(text))
        if word not in lx.STOP_WORDS and len(word) > 1 and not word.isdigit()
    ]


def _care_text(priority: Priority) -> list[str]:
    reveals = priority.reveals
    return [priority.label, *priority.signals, *reveals.hint, *reveals.stated]


def _why_text(priority: Priority) -> list[str]:
    reveals = priority.reveals
    return [priority.why, priority.fear, *reveals.why, *reveals.fear]


def _weighted(bags: Sequence[set[str]]) -> list[dict[str, float]]:
    """Each bag's stems, weighted by how few of the bags share them."""
    owners: dict[str, int] = {}
    for bag in bags:
        for stem in bag:
            owners[stem] = owners.get(stem, 0) + 1
    return [{stem: 1.0 / owners[stem] for stem in bag} for bag in bags]


def _docs(persona: Persona) -> list[_Doc]:
    def bag(texts: Iterable[str]) -> set[str]:
        return {stem for text in texts for stem in _stems(text)} - VAGUE

    care = _weighted([bag(_care_text(p)) for p in persona.priorities])
    why = _weighted([bag(_why_text(p)) for p in persona.priorities])
    return [_Doc(c, w) for c, w in zip(care, why, strict=True)]


def _similarity(text: str, weights: dict[str, float], skip: Iterable[str] = ()) -> float:
    """How much of a priority's distinctive vocabulary the text uses."""
    total = 0.0
    seen: set[str] = set(skip)
    for stem in _stems(text):
        if stem in VAGUE or stem in seen:
            continue
        seen.add(stem)
        if stem in weights:
            total += weights[stem]
        elif len(stem) >= FUZZY_MIN_LENGTH:
            found = process.extractOne(
                stem, weights.keys(), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
            )
            if found is not None:
                total += weights[found[0]]
    return total


@dataclass(frozen=True, slots=True)
class _Fit:
    named: bool
    why_right: bool
    strength: float

    @property
    def points(self) -> int:
        return int(self.named) + int(self.why_right)


def _fit(answer: QuizAnswer, doc: _Doc) -> _Fit:
    care = _similarity(answer.care, doc.care)
    # The pair names the priority together ("the sale" / "the founder is retiring"), and a
    # reason written in the first box still counts as a reason.
    named = care >= ENOUGH or care + _similarity(answer.why, doc.care) >= ENOUGH
    if answer.why.strip():
        why = _similarity(answer.why, doc.why)
    else:
        # Only what the first box says beyond naming the priority can be its reason.
        why = _similarity(answer.care, doc.why, skip=doc.care)
    # A reason earns a point only for a priority the answer names.
    return _Fit(named, named and why >= ENOUGH, care + why)


# Beyond this many answers every assignment is too many to try: the best fits go first.
EXHAUSTIVE_UP_TO = 4


def _best_assignment(fits: list[list[_Fit]], priorities: int) -> list[int | None]:
    """For each answer, the priority it goes to (or None), maximising points, then fit."""
    if len(fits) > EXHAUSTIVE_UP_TO:
        return _greedy(fits, priorities)
    slots: list[int | None] = [*range(priorities), *([None] * len(fits))]
    best: list[int | None] = [None] * len(fits)
    best_key: tuple[int, float, tuple[int, ...]] = (0, 0.0, ())
    for choice in permutations(slots, len(fits)):
        points = 0
        strength = 0.0
        for answer, target in enumerate(choice):
            if target is not None:
                points += fits[answer][target].points
                strength += fits[answer][target].strength
        # Ties go to the lowest priority numbers, answer by answer: deterministic.
        order = tuple(-(target if target is not None else priorities) for target in choice)
        key = (points, strength, order)
        if key > best_key:
            best, best_key = list(choice), key
    return best


def _greedy(fits: list[list[_Fit]], priorities: int) -> list[int | None]:
    pairs = sorted(
        (
            (-fit.points, -fit.strength, answer, target)
            for answer, row in enumerate(fits)
            for target, fit in enumerate(row)
            if fit.points
        ),
    )
    chosen: list[int | None] = [None] * len(fits)
    taken: set[int] = set()
    for _, _, answer, target in pairs:
        if chosen[answer] is None and target not in taken and target < priorities:
            chosen[answer] = target
            taken.add(target)
    return chosen


def score_quiz(answers: Sequence[QuizAnswer], persona: Persona) -> QuizScore:
    """Score the rep's answers against the persona's hidden priorities."""
    docs = _docs(persona)
    given = [(index, a) for index, a in enumerate(answers) if a.care.strip() or a.why.strip()]
    fits = [[_fit(answer, doc) for doc in docs] for _, answer in given]
    chosen = _best_assignment(fits, len(docs)) if given else []
    by_priority: dict[int, tuple[int, _Fit]] = {}
    unmatched: list[int] = []
    for slot, target in enumerate(chosen):
        index = given[slot][0]
        fit = fits[slot][target] if target is not None else None
        if target is None or fit is None or fit.points == 0:
            unmatched.append(index)
            continue
        by_priority[target] = (index, fit)
    results = []
    for number, priority in enumerate(persona.priorities):
        match = by_priority.get(number)
        if match is None:
            results.append(
                PriorityQuizResult(
                    id=priority.id, label=priority.label, named=False, why_right=False, points=0
                )
            )
            continue
        index, fit = match
        results.append(
            PriorityQuizResult(
                id=priority.id,
                label=priority.label,
                named=fit.named,
                why_right=fit.why_right,
                answer=index,
                matched=answers[index],
                points=fit.points,
            )
        )
    unmatched += [index for index, a in enumerate(answers) if not (a.care.strip() or a.why.strip())]
    return QuizScore(
        priorities=results,
        points=sum(item.points for item in results),
        max_points=2 * min(QUIZ_SIZE, len(persona.priorities)),
        unmatched=sorted(unmatched),
    )
