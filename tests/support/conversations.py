"""Conversations for evaluator tests: transcript files and the answers a judging model gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simulator.persona import Persona
from simulator.store import dumps
from simulator.transcript import Speaker, Transcript, Turn

CURIOUS: list[tuple[Speaker, str]] = [
    ("customer", "I have fifteen minutes. What's this about?"),
    ("rep", "Before anything else, what's on your plate this quarter?"),
    ("customer", "Month end is always a scramble for us."),
    ("rep", "What makes month end such a scramble for you?"),
    ("customer", "I need to see where our cash stands every day."),
    ("rep", "Why does seeing the cash every day matter so much to you?"),
    ("customer", "We nearly breached a covenant last year."),
]
PITCHY: list[tuple[Speaker, str]] = [
    ("customer", "I have fifteen minutes. What's this about?"),
    ("rep", "Our invoice automation platform uses OCR and an approval workflow."),
    ("customer", "Okay."),
    ("rep", "Do you have budget for this? I can book a demo and send pricing."),
    ("customer", "It's early for that."),
]


def transcript(
    turns: list[tuple[Speaker, str]],
    *,
    persona: Persona | None = None,
    rep: str | None = None,
    transcript_id: str = "t1",
) -> Transcript:
    return Transcript(
        id=transcript_id,
        persona=persona,
        rep=rep,
        turns=[Turn(speaker=speaker, text=text) for speaker, text in turns],
    )


def write_transcript(
    path: Path,
    turns: list[tuple[Speaker, str]] = CURIOUS,
    *,
    persona: Persona | None = None,
    rep: str | None = None,
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(transcript(turns, persona=persona, rep=rep, transcript_id=path.stem)))
    return path


def write_call(path: Path, rep: str = "Sam Patel", customer: str = "Dana Reyes") -> Path:
    """A plain-text call in `Name: text` lines; `rep` asks, `customer` answers."""
    lines = []
    for speaker, text in CURIOUS:
        lines.append(f"{rep if speaker == 'rep' else customer}: {text}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path


def judgement(
    turns: list[tuple[Speaker, str]] = CURIOUS,
    *,
    verdict: str = "deeper",
    score: int = 80,
    pitch_at: int | None = None,
    persona: Persona | None = None,
    levels: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A valid answer from the judging model for this conversation."""
    rep_turns = [index for index, (speaker, _) in enumerate(turns) if speaker == "rep"]
    answer: dict[str, Any] = {
        "verdict": verdict,
        "summary": "The rep built on the customer's answers.",
        "score": score,
        "turns": [
            {
                "turn": index,
                "question": "open",
                "followup": index != rep_turns[0],
                "pitch": index == pitch_at,
                "self_serving": False,
                "assumption": False,
                "reflection": False,
            }
            for index in rep_turns
        ],
        "evidence": [
            {
                "turn": rep_turns[-1],
                "quote": turns[rep_turns[-1]][1][:20],
                "claim": "followed up",
                "kind": "good",
            },
            {"turn": rep_turns[0], "quote": "words nobody said", "claim": "made up", "kind": "bad"},
        ],
        "coaching": [{"turn": rep_turns[0], "text": "Ask what the quarter holds for them."}],
    }
    if persona is not None:
        chosen = levels or {}
        answer["priorities"] = [
            {
                "id": priority.id,
                "level": chosen.get(priority.id, "hidden"),
                "turn": rep_turns[-1] if chosen.get(priority.id, "hidden") != "hidden" else None,
            }
            for priority in persona.priorities
        ]
    return answer
