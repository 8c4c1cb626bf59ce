"""The disclosure engine: how much the customer trusts the rep and may now say.

Pure and deterministic. Each rep turn, already labelled by the turn analyser, moves
trust and at most one priority's level; every change is logged with its turn and
reason. The rules reward what the essays teach: open questions about the customer's
world, then one or two follow-ups on the customer's own answer. Pitches,
self-serving questions and wrong assumptions cost trust and raise nothing.
"""

from __future__ import annotations

from simulator.labels import TurnLabels
from simulator.persona import LEVELS, Level, Persona
from simulator.transcript import EngineState, Transition

# Trust is earned slowly and lost quickly: a curious turn earns one step, a
# pitch, a self-serving question or a wrong assumption costs two.
CURIOUS_GAIN = 0.05
PENALTY = 0.10
# Below this the customer only hints, whatever is asked.
GUARDED_BELOW = 0.2
# The deep levels are for a rep the customer has come to trust.
NEEDS_TRUST = {Level.why: 0.4, Level.fear: 0.55}


def start(persona: Persona) -> EngineState:
    return EngineState(
        trust=persona.trust.start,
        levels={priority.id: Level.hidden for priority in persona.priorities},
    )


def step(state: EngineState, persona: Persona, labels: TurnLabels, turn: int) -> EngineState:
    """The state after the rep's turn number `turn` (counting all turns from 0)."""
    trust = state.trust
    log = list(state.log)

    def note(reason: str, new_trust: float) -> None:
        nonlocal trust
        new_trust = round(min(1.0, max(0.0, new_trust)), 4)
        log.append(Transition(turn=turn, trust_before=trust, trust_after=new_trust, reason=reason))
        trust = new_trust

    penalties = [
        (labels.pitch, "pitch: talked about the offering before the customer asked"),
        (labels.self_serving, "self-serving: asked about the seller's deal"),
        (labels.assumption, "assumption: told the customer about themselves"),
    ]
    for applies, reason in penalties:
        if applies:
            note(reason, trust - PENALTY)
    if any(applies for applies, _ in penalties):
        return state.model_copy(update={"trust": trust, "log": log})

    if labels.curious and (labels.question == "open" or labels.followup or labels.reflection):
        note("curious: " + _describe(labels), trust + CURIOUS_GAIN)

    target, ceiling, reason = _choose(state, persona, labels)
    levels = dict(state.levels)
    focus = state.focus
    held = False
    before = Level.hidden
    if target is not None:
        focus = target
        before = levels[target]
        wanted = LEVELS[min(before.rank + 1, ceiling.rank)]
        if trust < GUARDED_BELOW:
            wanted = min(wanted, Level.hint, key=lambda level: level.rank)
            reason = "guarded: trust too low to say more than a hint"
        needed = NEEDS_TRUST.get(wanted, 0.0)
        if trust < needed and wanted.rank > before.rank:
            held = True
            reason = f"held back: {wanted.value} needs trust {needed:.2f}"
        elif wanted.rank > before.rank:
            levels[target] = wanted
    if target is not None and (held or levels[target] is not before):
        log.append(
            Transition(
                turn=turn,
                priority=target,
                before=before,
                after=levels[target],
                trust_before=trust,
                trust_after=trust,
                reason=reason,
            )
        )
    return EngineState(trust=trust, levels=levels, focus=focus, log=log)


def changes(state: EngineState, turn: int) -> list[Transition]:
    """What the rep's turn `turn` changed or was refused."""
    return [entry for entry in state.log if entry.turn == turn]


def raised(state: EngineState, turn: int) -> list[Transition]:
    """The priorities whose level went up on turn `turn`."""
    return [
        entry
        for entry in changes(state, turn)
        if entry.priority is not None
        and entry.before is not None
        and entry.after is not None
        and entry.after.rank > entry.before.rank
    ]


def _choose(
    state: EngineState, persona: Persona, labels: TurnLabels
) -> tuple[str | None, Level, str]:
    """Which priority the turn can move, how far at most, and why."""
    touched = labels.priorities
    # Only open curiosity reaches the deep levels; a closed question gets a plain answer.
    ceiling = Level.stated if labels.question == "closed" and not labels.reflection else Level.fear
    if labels.followup or labels.reflection:
        thread = state.focus if state.focus in touched or not touched else touched[0]
        exhausted = thread is not None and state.levels[thread].rank >= ceiling.rank
        if thread is not None and not (exhausted and labels.world):
            kind = "reflection" if labels.reflection else "follow-up"
            return thread, ceiling, f"{kind} on the customer's own answer"
        if exhausted:
            # A broad question after a thread is told in full moves on to the next one.
            touched = []
    if labels.question == "none":
        return None, Level.hidden, ""
    if touched:
        return touched[0], Level.stated, f"{labels.question} question on the topic"
    if labels.world and labels.question == "open":
        shallow = [p.id for p in persona.priorities if state.levels[p.id].rank < Level.stated.rank]
        if shallow:
            lowest = min(shallow, key=lambda pid: state.levels[pid].rank)
            return lowest, Level.stated, "open question about the customer's world"
    return None, Level.hidden, ""


def _describe(labels: TurnLabels) -> str:
    if labels.reflection:
        return "reflected the customer's words"
    if labels.followup:
        return "followed up on the customer's answer"
    return "asked an open question"
