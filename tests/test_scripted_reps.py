"""The scripted reps: what each style says, and that none of them can see hidden content."""

from __future__ import annotations

import re
from typing import Any

import pytest

from simulator.analysis import analyse_turn
from simulator.persona import Persona
from simulator.persona_card import PublicCard, public_card
from simulator.scripted_reps import REP_STYLES, RepStyle, Said, echo, next_line
from simulator.selfplay import play_scripted
from tests.support.sample import sample_persona

# Words only the hidden fields hold: the scripted customer never says them, so a rep line
# that carries one has read what it must not.
HIDDEN_ONLY = re.compile(r"\bzq(?:label|why|fear|signal|prio)\w*", re.IGNORECASE)
# Words the customer's authored lines carry: a rep may say one only after hearing it.
SPOKEN = re.compile(r"\bzqline\w*", re.IGNORECASE)


def marked_persona() -> Persona:
    data: dict[str, Any] = sample_persona().model_dump(mode="json")
    for index, priority in enumerate(data["priorities"]):
        priority["id"] = f"zqprio{index}"
        priority["label"] += f" zqlabel{index}"
        priority["why"] += f" zqwhy{index}"
        priority["fear"] += f" zqfear{index}"
        priority["signals"] = [*priority["signals"], f"zqsignal{index}"]
        for level, lines in priority["reveals"].items():
            priority["reveals"][level] = [f"{line} zqline{index}{level}" for line in lines]
    return Persona.model_validate(data)


def test_the_public_card_has_no_hidden_field() -> None:
    fields = set(PublicCard.model_fields)
    assert not fields & {"priorities", "signals", "reveals", "why", "fear", "label", "trust"}
    card = public_card(marked_persona())
    assert not HIDDEN_ONLY.search(card.model_dump_json())


@pytest.mark.parametrize("style", REP_STYLES)
def test_no_rep_says_what_it_was_never_told(style: RepStyle) -> None:
    result = play_scripted(marked_persona(), style, turns=30)
    heard: set[str] = set()
    for turn in result.turns:
        if turn.speaker == "customer":
            heard |= {word.lower() for word in SPOKEN.findall(turn.text)}
            continue
        assert not HIDDEN_ONLY.search(turn.text), turn.text
        spoken = {word.lower() for word in SPOKEN.findall(turn.text)}
        assert spoken <= heard, turn.text


def test_the_curious_rep_follows_up_on_the_customers_own_words() -> None:
    card = public_card(sample_persona())
    conversation = [
        Said("customer", card.opening),
        Said("rep", "Thanks for making the time. What's on your plate at the moment?"),
        Said("customer", "Our carriers keep sending paper invoices."),
    ]
    line = next_line("curious", card, conversation)
    assert line == "You said your carriers keep sending paper invoices — what makes that hard?"
    labels = analyse_turn(line, conversation[-1].text, sample_persona())
    assert labels.followup and labels.question == "open" and not labels.pitch


def test_the_curious_rep_asks_broad_then_deeper_then_moves_on() -> None:
    persona = sample_persona()
    rep_lines = [t.text for t in play_scripted(persona, "curious", 6).turns if t.speaker == "rep"]
    assert rep_lines[0] == "Thanks for making the time. What's on your plate at the moment?"
    assert rep_lines[1].startswith("You said month end is always a scramble for you")
    assert rep_lines[2] == "Why does that matter to you?"
    assert rep_lines[3] == "What else is on your mind at work?"
    for line, said in zip(rep_lines, [persona.opening, *[""] * 5], strict=True):
        assert analyse_turn(line, said or None, persona).question == "open"


def test_a_direct_report_is_asked_as_a_manager_would() -> None:
    card = public_card(sample_persona()).model_copy(update={"kind": "direct_report"})
    line = next_line("curious", card, [Said("customer", card.opening)])
    assert line == "Thanks for making time. How are things going for you at the moment?"


@pytest.mark.parametrize(
    ("style", "flag"),
    [("pitchy", "pitch"), ("self-serving", "self_serving"), ("assumer", "assumption")],
)
def test_each_style_sounds_like_itself(style: RepStyle, flag: str) -> None:
    persona = sample_persona()
    result = play_scripted(persona, style, 6)
    previous = persona.opening
    flagged = 0
    for turn in result.turns[1:]:
        if turn.speaker == "rep":
            flagged += getattr(analyse_turn(turn.text, previous, persona), flag)
        previous = turn.text
    assert flagged >= 4


def test_the_pitchy_rep_pushes_the_offering() -> None:
    card = public_card(sample_persona())
    lines = [next_line("pitchy", card, [Said("rep", "x")] * turn) for turn in range(6)]
    assert lines[0] == (
        "Thanks for the time! Let me tell you a bit about our accounts-payable automation software."
    )
    assert sum(any(term in line for term in card.offering_terms) for line in lines) >= 4


def test_the_interrogator_only_asks_closed_questions() -> None:
    persona = sample_persona()
    card = public_card(persona)
    for turn in range(12):
        line = next_line("interrogator", card, [Said("rep", "x")] * turn)
        assert analyse_turn(line, None, persona).question == "closed", line


@pytest.mark.parametrize(
    ("said", "echoed"),
    [
        ("Our system is old and my team hates it.", "your system is old and your team hates it"),
        ("I'm fine. Tired, but fine.", "tired, but fine"),
        ("Like I said: We've lost two good people.", "you've lost two good people"),
        ("Let's just say the March release was a memorable week.",
         "the March release was a memorable week"),
        ("Mm-hm.", ""),
        ("", ""),
    ],
)  # fmt: skip
def test_echo_puts_the_customers_words_in_the_reps_mouth(said: str, echoed: str) -> None:
    assert echo(said) == echoed


def test_echo_cuts_a_long_sentence_at_a_clause() -> None:
    said = (
        "We lost forty nurses last year, most of them with ten years or more, and the new "
        "graduates have nobody left to learn from on nights."
    )
    assert echo(said) == "you lost forty nurses last year"
