"""For trainers: the customer's hidden state, live, beside the conversation."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Label, Static

from simulator.engine import NEEDS_TRUST
from simulator.labels import TurnLabels
from simulator.persona import Level, Persona
from simulator.transcript import EngineState, Transition
from simulator.tui.format import level_bar, meter

FLAGS = ("followup", "reflection", "world", "pitch", "self_serving", "assumption")
BAD_FLAGS = {"pitch", "self_serving", "assumption"}


class RevealPanel(VerticalScroll):
    """Trust, each priority's level, and what the analyser made of the last rep turn."""

    def __init__(self, persona: Persona, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.persona = persona
        self.can_focus = False

    def compose(self) -> ComposeResult:
        yield Label("Hidden state", classes="panel-title")
        yield Static(id="reveal-trust")
        yield Static(id="reveal-levels")
        yield Label("Last rep turn", classes="panel-title")
        yield Static("(nothing said yet)", id="reveal-labels")

    def show(
        self, state: EngineState, labels: TurnLabels | None, changes: list[Transition]
    ) -> None:
        thresholds = "  ".join(f"{level.value} ≥{need:.2f}" for level, need in NEEDS_TRUST.items())
        self.query_one("#reveal-trust", Static).update(
            Content.assemble(
                "trust ",
                meter(state.trust),
                f" {state.trust:.2f}\n",
                (thresholds, "$foreground-muted"),
            )
        )
        rows: list[Content] = []
        for priority in self.persona.priorities:
            level = state.levels.get(priority.id, Level.hidden)
            rows.append(Content.assemble((priority.id, "bold"), "\n  ", level_bar(level)))
        self.query_one("#reveal-levels", Static).update(Content("\n").join(rows))
        if labels is not None:
            self.query_one("#reveal-labels", Static).update(describe_labels(labels, changes))


def describe_labels(labels: TurnLabels, changes: list[Transition]) -> Content:
    parts: list[Content | str | tuple[str, str]] = [f"question: {labels.question}\n"]
    on = [flag for flag in FLAGS if getattr(labels, flag)]
    for flag in on:
        style = "$text-error" if flag in BAD_FLAGS else "$text-success"
        parts.extend([(flag.replace("_", "-"), style), " "])
    if not on:
        parts.append(("no flags", "$foreground-muted"))
    parts.append("\n")
    if labels.priorities:
        parts.append(f"touches: {', '.join(labels.priorities)}\n")
    for change in changes:
        parts.append((f"· {_change(change)}\n", "$foreground-muted"))
    return Content.assemble(*parts).rstrip()


def _change(change: Transition) -> str:
    delta = change.trust_after - change.trust_before
    trust = f"trust {delta:+.2f}" if delta else ""
    if change.priority and change.before and change.after and change.before != change.after:
        move = f"{change.priority} {change.before.value}→{change.after.value}"
        move += f" ({trust})" if trust else ""
    elif change.priority:
        move = f"{change.priority} held" + (f" ({trust})" if trust else "")
    else:
        move = trust or "no change"
    return f"{move}: {change.reason}"
