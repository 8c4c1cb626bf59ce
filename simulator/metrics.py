"""The rep turns of a conversation, labelled, and the numbers they add up to.

Every rep turn is labelled once by the turn analyser, against the customer turn it answers
and everything the customer said before; the judge, its evidence and its coaching all read
these labels rather than analysing a turn twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from simulator.analysis import analyse_turn
from simulator.evaluation import Metrics
from simulator.labels import TurnLabels
from simulator.persona import Persona
from simulator.transcript import Turn


@dataclass(frozen=True, slots=True)
class RepTurn:
    """One rep turn: its index among all turns, its words and what the analyser made of it."""

    index: int
    text: str
    labels: TurnLabels
    # The customer turn it answers (the last one before it), if any.
    answers: int | None
    # Worked out once here: every part of the judge reads them, often.
    words: int = field(init=False)
    # Serves the seller: talks the offering or asks about the deal.
    seller: bool = field(init=False)
    # Builds on the customer's own answer and invites more: the move the essays teach.
    deepening: bool = field(init=False)

    def __post_init__(self) -> None:
        labels = self.labels
        deepening = labels.curious and (
            labels.reflection or (labels.followup and labels.question == "open")
        )
        object.__setattr__(self, "words", word_count(self.text))
        object.__setattr__(self, "seller", labels.pitch or labels.self_serving)
        object.__setattr__(self, "deepening", deepening)


def label_turns(turns: Sequence[Turn], persona: Persona | None) -> list[RepTurn]:
    """Each rep turn with its labels, in order."""
    labelled: list[RepTurn] = []
    said: list[str] = []
    previous: str | None = None
    last_customer: int | None = None
    for index, turn in enumerate(turns):
        if turn.speaker == "customer":
            if turn.text.strip():
                said.append(turn.text)
                previous, last_customer = turn.text, index
            continue
        labels = analyse_turn(turn.text, previous, persona, said)
        labelled.append(RepTurn(index, turn.text, labels, last_customer))
    return labelled


def word_count(text: str) -> int:
    return len(text.split())


def longest_run(flags: Sequence[bool]) -> int:
    best = current = 0
    for flag in flags:
        current = current + 1 if flag else 0
        best = max(best, current)
    return best


def longest_monologue(turns: Sequence[Turn], reps: Sequence[RepTurn]) -> int:
    """Words of the longest stretch the rep talks without the customer saying anything."""
    words = {rep.index: rep.words for rep in reps}
    best = current = 0
    for index, turn in enumerate(turns):
        if turn.speaker == "rep":
            current += words.get(index, 0)
            best = max(best, current)
        elif turn.text.strip():
            current = 0
    return best


def measure(turns: Sequence[Turn], reps: Sequence[RepTurn]) -> Metrics:
    labels = [rep.labels for rep in reps]
    questions = sum(1 for item in labels if item.question != "none")
    open_questions = sum(1 for item in labels if item.question == "open")
    reflections = sum(1 for item in labels if item.reflection)
    rep_words = sum(rep.words for rep in reps)
    all_words = rep_words + sum(word_count(t.text) for t in turns if t.speaker == "customer")
    first_pitch = next((rep.index for rep in reps if rep.labels.pitch), None)
    return Metrics(
        rep_turns=len(reps),
        rep_questions=questions,
        open_questions=open_questions,
        closed_questions=sum(1 for item in labels if item.question == "closed"),
        open_share=round(open_questions / questions, 3) if questions else 0.0,
        followups=sum(1 for item in labels if item.followup),
        longest_followup_chain=longest_run([item.followup for item in labels]),
        first_pitch_turn=first_pitch,
        pitches=sum(1 for item in labels if item.pitch),
        self_serving=sum(1 for item in labels if item.self_serving),
        assumptions=sum(1 for item in labels if item.assumption),
        reflections=reflections,
        reflections_per_question=round(reflections / max(questions, 1), 3),
        rep_talk_share=round(rep_words / all_words, 3) if all_words else 0.0,
        longest_rep_monologue=longest_monologue(turns, reps),
    )
