"""The offline customer: the persona's authored lines, chosen by the engine's state."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Sequence
from typing import Literal

from simulator.customer_view import CustomerView
from simulator.transcript import Turn

# Polite and guarded: what a busy person says when nothing invites them to open up.
GUARDED = {
    "pitch": [
        "I'm not really looking at anything new right now.",
        "Okay. I'm not sure that's where my head is at.",
        "Maybe. I'd have to think about whether that's what we need.",
    ],
    "self_serving": [
        "It's a bit early to talk about that.",
        "I'd rather not get into that yet.",
        "Honestly, I couldn't say at this point.",
    ],
    "assumption": [
        "That's not really how it is for us.",
        "Hm, I wouldn't put it that way.",
        "Not exactly, no.",
    ],
    "closed": ["Yes, more or less.", "Not really.", "Sometimes, I suppose."],
    "open": [
        "Hard to say. It's been a busy few months.",
        "The usual, really. There's always something.",
        "Oh, a bit of everything.",
    ],
    "none": ["Okay.", "Mm-hm.", "Right."],
    "held": [
        "That's a longer story. I'm not sure I want to get into it just now.",
        "Let's just say it matters. I'd rather leave it there for now.",
        "It's complicated. Maybe another time.",
    ],
}
AGAIN = ["Like I said: ", "As I mentioned: ", "Well, again: "]


def pick(lines: Sequence[str], turn: int) -> str:
    # Deterministic, yet a rep who asks twice does not hear the same line twice.
    return lines[(turn // 2) % len(lines)]


def compose(view: CustomerView) -> str:
    """The scripted customer's reply to the rep's last turn."""
    by_id = {item.id: item for item in view.shareable}
    if view.unlocked:
        return " ".join(
            pick(by_id[pid].lines(level), view.turn) for pid, level in view.unlocked.items()
        )
    if view.held:
        return pick(GUARDED["held"], view.turn)
    labels = view.labels
    if labels is None:
        return pick(GUARDED["none"], view.turn)
    for flag in ("pitch", "self_serving", "assumption"):
        if getattr(labels, flag):
            return pick(GUARDED[flag], view.turn)
    touched = [pid for pid in labels.priorities if pid in by_id]
    if (labels.followup or labels.reflection) and view.focus in by_id:
        # Nothing more to tell on this thread today: say again what was said.
        touched = [view.focus, *touched]
    if touched and (labels.question != "none" or labels.reflection):
        item = by_id[touched[0]]
        return pick(AGAIN, view.turn) + pick(item.lines(item.level), view.turn + 1)
    return pick(GUARDED[labels.question], view.turn)


class ScriptedVoice:
    kind: Literal["llm", "scripted"] = "scripted"
    model: str | None = None
    where = "scripted"

    async def reply(self, view: CustomerView, history: Sequence[Turn]) -> AsyncIterator[str]:
        text = compose(view)
        # Word by word, so every front end treats both voices alike.
        for piece in re.findall(r"\S+\s*", text):
            yield piece

    async def aclose(self) -> None:
        return None
