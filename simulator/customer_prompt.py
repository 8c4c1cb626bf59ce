"""The LLM customer's messages, from the template in prompts/customer.md and the customer's view."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from string import Template

from openai.types.chat import ChatCompletionMessageParam

from simulator.customer_view import CustomerView, Shareable
from simulator.persona import Level
from simulator.transcript import Turn

LENGTH = {
    "short": "one to three short sentences",
    "medium": "two to four sentences",
    "long": "a few sentences, a short paragraph at most",
}
COUNTERPART = {
    "customer": "a sales rep who offers {offering}",
    "direct_report": "your manager, who would like you to consider {offering}",
}


@cache
def template() -> Template:
    text = resources.files("simulator").joinpath("prompts/customer.md").read_text("utf-8")
    return Template(text)


def describe(item: Shareable) -> str:
    if item.level is Level.hint:
        return f"- On your mind, only alluded to, never explained: {_quote(item.hints)}"
    lines = [
        f"- What you care about, and may say plainly: {item.label}. "
        f"In your words: {_quote(item.stated)}"
    ]
    if item.why:
        lines.append(f"  Why it matters to you: {item.why} In your words: {_quote(item.why_lines)}")
    if item.fear:
        lines.append(
            f"  What worries you about it: {item.fear} In your words: {_quote(item.fear_lines)}"
        )
    return "\n".join(lines)


def guidance(view: CustomerView) -> str:
    labels = view.labels
    by_id = {item.id: item for item in view.shareable}
    if view.unlocked:
        opened = "; ".join(
            f"{by_id[pid].label or _quote(by_id[pid].hints)} ({level.value})"
            for pid, level in view.unlocked.items()
        )
        return (
            "Right now: the other person's interest in you feels genuine, so in this answer "
            f"you open up a little more on: {opened}. Say it in your own words."
        )
    if view.held:
        return (
            "Right now: they are digging into something you are not ready to discuss. "
            "Deflect politely."
        )
    if labels is None:
        return "Right now: answer politely and briefly."
    if labels.pitch:
        return "Right now: they are pitching. Stay polite but guarded and give nothing new away."
    if labels.self_serving:
        return "Right now: the question serves their deal, not you. Answer vaguely and briefly."
    if labels.assumption:
        return "Right now: they assumed something about you. Correct them briefly, a little cooler."
    return "Right now: answer briefly and politely without opening up further."


def system_prompt(view: CustomerView) -> str:
    persona = view.persona
    shareable = "\n".join(describe(item) for item in view.shareable) or (
        "- Nothing personal yet: keep to small talk and the plain facts of your job."
    )
    return template().substitute(
        name=persona.name,
        role=persona.role,
        company=persona.company,
        situation=persona.situation,
        counterpart=COUNTERPART[persona.kind].format(offering=persona.offering),
        tone=persona.tone,
        length=LENGTH[persona.verbosity],
        shareable=shareable,
        guidance=guidance(view),
        pet_peeves="; ".join(persona.pet_peeves) or "being talked at",
    )


def messages(view: CustomerView, history: Sequence[Turn]) -> list[ChatCompletionMessageParam]:
    out: list[ChatCompletionMessageParam] = [{"role": "system", "content": system_prompt(view)}]
    for turn in history:
        if turn.speaker == "rep":
            out.append({"role": "user", "content": turn.text})
        else:
            out.append({"role": "assistant", "content": turn.text})
    return out


def _quote(lines: Sequence[str]) -> str:
    return " / ".join(f'"{line}"' for line in lines)
