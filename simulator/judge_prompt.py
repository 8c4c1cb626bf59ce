"""The LLM judge's messages, from the template in prompts/judge.md.

The template's part before `<!-- user -->` is the system message (what to judge and how);
the part after it carries the customer, the answer's format and, last, the conversation:
everything before it is then the same for every file of a persona, which a local server's
prompt cache (llama.cpp) reuses instead of reading it again.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from string import Template

from openai.types.chat import ChatCompletionMessageParam

from simulator import llm_judgement
from simulator.persona import Persona
from simulator.transcript import Transcript

USER_MARK = "<!-- user -->"
SPEAKERS = {"rep": "Rep", "customer": "Customer"}


@cache
def templates() -> tuple[str, Template]:
    text = resources.files("simulator").joinpath("prompts/judge.md").read_text("utf-8")
    system, user = text.split(USER_MARK, 1)
    return system.strip(), Template(user.strip())


def conversation(transcript: Transcript) -> str:
    return "\n".join(
        f"[{index}] {SPEAKERS[turn.speaker]}: {' '.join(turn.text.split())}"
        for index, turn in enumerate(transcript.turns)
    )


def customer(persona: Persona | None) -> str:
    if persona is None:
        return (
            "Not known: there is no list of the customer's hidden priorities, so judge from "
            "the conversation alone."
        )
    lines = [
        f"{persona.headline}. {persona.situation}",
        f"The rep offers: {persona.offering.summary} ({', '.join(persona.offering.terms)}).",
        "",
        "What the customer really cares about, hidden from the rep:",
    ]
    for priority in persona.priorities:
        lines.append(
            f"- `{priority.id}`: {priority.label}. Why it matters: {priority.why} "
            f"What they fear: {priority.fear}"
        )
    return "\n".join(lines)


def answer(mode: str, persona: Persona | None) -> str:
    if mode == "json_schema":
        return "Reply with the JSON object only."
    return (
        "Reply with one JSON object and nothing else (no prose, no code fence), following "
        f"this JSON Schema:\n\n{llm_judgement.dumps_schema(persona)}"
    )


def messages(
    transcript: Transcript, persona: Persona | None, mode: str
) -> list[ChatCompletionMessageParam]:
    system, user = templates()
    filled = user.substitute(
        conversation=conversation(transcript),
        customer=customer(persona),
        answer=answer(mode, persona),
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": filled}]
