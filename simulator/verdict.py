"""The verdict and the score: did the rep go deeper into the customer's world, or sell?

The idea the rules hold: curiosity is building on the customer's own answer, one or two
steps deeper, before anything else. A count of questions is not curiosity: closed
checklists, questions about the seller's deal and claims about the customer do not go
deeper, and selling before the customer has said what matters is a pitch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from simulator.disclosed import RANK, Progress
from simulator.evaluation import Metrics, ScorePart, Verdict
from simulator.metrics import RepTurn, longest_run
from simulator.persona import Level

# Going deeper: at least this many turns that build on the customer's own answer.
DEPTH_NEEDED = 2
# With no reason drawn out, selling this often, or in the rep's first turns, is a pitch.
SELLER_SHARE_FOR_PITCH = 1 / 3
EARLY_TURNS = 2
# Rep talk share: at or below the first the customer does most of the talking; at or above
# the second the rep does.
TALK_SHARE_GOOD, TALK_SHARE_BAD = 0.4, 0.7
# A monologue longer than this leaves the customer no room.
MONOLOGUE_WORDS = 80


@dataclass(frozen=True, slots=True)
class Facts:
    """What the verdict and the score are read from."""

    reps: Sequence[RepTurn]
    metrics: Metrics
    progress: dict[str, Progress] | None
    deepening: list[RepTurn]
    sellers: list[RepTurn]

    @property
    def first_seller(self) -> RepTurn | None:
        return self.sellers[0] if self.sellers else None

    def deepening_before(self, turn: int | None) -> list[RepTurn]:
        return [rep for rep in self.deepening if turn is None or rep.index < turn]

    def reached(self, level: Level) -> list[str]:
        if self.progress is None:
            return []
        return [pid for pid, item in self.progress.items() if RANK[item.level] >= RANK[level]]


def facts(reps: Sequence[RepTurn], metrics: Metrics, progress: dict[str, Progress] | None) -> Facts:
    return Facts(
        reps=reps,
        metrics=metrics,
        progress=progress,
        deepening=[rep for rep in reps if rep.deepening],
        sellers=[rep for rep in reps if rep.seller],
    )


def _turns(reps: Sequence[RepTurn]) -> list[int]:
    return [rep.index for rep in reps]


def _scaled(points: float, limit: int) -> int:
    return max(0, min(limit, round(points)))


def curiosity_part(facts: Facts) -> ScorePart:
    reps = facts.reps
    curious = [
        rep
        for rep in reps
        if rep.labels.curious and (rep.labels.question == "open" or rep.labels.reflection)
    ]
    share = len(curious) / len(reps) if reps else 0.0
    # Two open, curious turns in three earn it all: small talk and a close are allowed.
    return ScorePart(
        name="curiosity",
        points=_scaled(20 * share / 0.67, 20),
        max=20,
        why=f"{len(curious)} of {len(reps)} rep turns asked openly about the customer",
        turns=_turns(curious),
    )


def depth_part(facts: Facts) -> ScorePart:
    deepening = facts.deepening
    chain = longest_run([rep.deepening for rep in facts.reps])
    points = 15 * min(len(deepening), 3) / 3 + 15 * min(chain, DEPTH_NEEDED) / DEPTH_NEEDED
    return ScorePart(
        name="depth",
        points=_scaled(points, 30),
        max=30,
        why=(
            f"{len(deepening)} turns built on the customer's own answer; "
            f"longest run {chain} in a row"
        ),
        turns=_turns(deepening),
    )


def priorities_part(facts: Facts) -> ScorePart | None:
    progress = facts.progress
    if progress is None:
        return None
    uncovered = facts.reached(Level.stated)
    why = facts.reached(Level.why)
    # Two priorities told down to their why earn it all: a twenty-minute call goes no further.
    target = 3 * min(2, len(progress))
    points = 20 * min(1.0, (len(uncovered) + 2 * len(why)) / target)
    earned = sorted(
        {
            turn
            for item in progress.values()
            for level, turn in item.reached_at.items()
            if turn is not None and RANK[level] >= RANK[Level.stated]
        }
    )
    return ScorePart(
        name="priorities",
        points=_scaled(points, 20),
        max=20,
        why=(
            f"{len(uncovered)} of {len(progress)} hidden priorities uncovered, "
            f"{len(why)} down to why they matter"
        ),
        turns=earned,
    )


def restraint_part(facts: Facts) -> ScorePart:
    sellers = facts.sellers
    assumptions = [rep for rep in facts.reps if rep.labels.assumption and not rep.seller]
    first = facts.first_seller
    early = first is not None and len(facts.deepening_before(first.index)) < DEPTH_NEEDED
    points = 20 - 6 * len(sellers) - 5 * len(assumptions) - (4 if early else 0)
    if not sellers and not assumptions:
        why = "no pitch, no question about the deal, no claims about the customer"
    else:
        parts = []
        if facts.metrics.pitches:
            parts.append(f"{facts.metrics.pitches} pitch turns")
        if facts.metrics.self_serving:
            parts.append(f"{facts.metrics.self_serving} questions about the deal")
        if facts.metrics.assumptions:
            parts.append(f"{facts.metrics.assumptions} claims about the customer")
        why = ", ".join(parts) + (" before going deeper" if early else "")
    return ScorePart(
        name="restraint",
        points=_scaled(points, 20),
        max=20,
        why=why,
        turns=_turns([*sellers, *assumptions]),
    )


def balance_part(facts: Facts) -> ScorePart:
    share = facts.metrics.rep_talk_share
    span = TALK_SHARE_BAD - TALK_SHARE_GOOD
    points = 10 * min(1.0, max(0.0, (TALK_SHARE_BAD - share) / span))
    monologue = facts.metrics.longest_rep_monologue
    if monologue > MONOLOGUE_WORDS:
        points -= 3
    longest = max(facts.reps, key=lambda rep: rep.words, default=None)
    return ScorePart(
        name="balance",
        points=_scaled(points, 10),
        max=10,
        why=f"the rep spoke {share:.0%} of the words; longest stretch {monologue} words",
        turns=[longest.index] if longest is not None else [],
    )


def score_parts(facts: Facts) -> list[ScorePart]:
    parts = [curiosity_part(facts), depth_part(facts)]
    priorities = priorities_part(facts)
    if priorities is not None:
        parts.append(priorities)
    parts += [restraint_part(facts), balance_part(facts)]
    return parts


def total(parts: Sequence[ScorePart]) -> int:
    """The share of the available points, out of 100 (no persona, no priorities part)."""
    available = sum(part.max for part in parts)
    return round(100 * sum(part.points for part in parts) / available) if available else 0


def why_reached(facts: Facts) -> list[str]:
    """Priorities whose reason the rep's own turns drew out.

    Without a persona, two turns in a row that built on the customer's answer stand in
    for it: one or two questions deeper is where the reason usually comes out.
    """
    if facts.progress is None:
        chain = longest_run([rep.deepening for rep in facts.reps])
        return ["(a reason)"] if chain >= DEPTH_NEEDED else []
    curious = {rep.index for rep in facts.reps if rep.labels.curious}
    # A reason given in answer to a pitch or a question about the deal was not drawn out.
    return [
        pid for pid, item in facts.progress.items() if item.reached_at.get(Level.why) in curious
    ]


def decide(facts: Facts) -> tuple[Verdict, str]:
    """The verdict and one line saying why."""
    reps = facts.reps
    if not reps:
        return "mixed", "the rep said nothing to judge"
    sellers = facts.sellers
    assumptions = [rep for rep in reps if rep.labels.assumption and not rep.seller]
    reasons = why_reached(facts)
    deepening = facts.deepening
    closed = facts.metrics.closed_questions
    if not reasons:
        early = [rep for rep in sellers if rep in reps[:EARLY_TURNS]]
        if early or (reps and len(sellers) >= SELLER_SHARE_FOR_PITCH * len(reps)):
            first = sellers[0]
            what = "pitched" if first.labels.pitch else "asked about the deal"
            return "pitch", f"{what} at turn {first.index} and never reached why anything matters"
    if reasons and not sellers and not assumptions and len(deepening) >= DEPTH_NEEDED:
        if closed <= len(deepening) + facts.metrics.open_questions:
            return "deeper", (
                f"{len(deepening)} turns built on the customer's own answers "
                f"and drew out why it matters"
            )
    if reasons and sellers:
        return "mixed", f"went deeper, but sold at turn {sellers[0].index}"
    if reasons and assumptions:
        return (
            "mixed",
            f"went deeper, but told the customer about themselves at turn {assumptions[0].index}",
        )
    if sellers:
        return "mixed", f"some curiosity, and a seller's move at turn {sellers[0].index}"
    if closed > facts.metrics.open_questions:
        return "mixed", "mostly closed questions: a checklist, not a conversation"
    return "mixed", "curious, but never reached why anything matters"
