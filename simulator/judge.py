"""The heuristic judge: a verdict on one conversation, with the evidence and the coaching.

Pure, deterministic and offline. Every rep turn is labelled once by the turn analyser;
metrics, the priorities' progress, the score, the verdict, the evidence and the coaching
are all read from those labels and the customer's words.
"""

from __future__ import annotations

from collections.abc import Sequence

from simulator.coaching import coach
from simulator.disclosed import RANK, Progress, disclosed, priority_words
from simulator.evaluation import Evaluation, Evidence, PriorityResult, TurnResult
from simulator.metrics import RepTurn, label_turns, measure
from simulator.persona import Level, Persona
from simulator.quotes import snippet
from simulator.transcript import Transcript, Turn
from simulator.verdict import decide, facts, score_parts, total

# Enough examples of good work to show it, without listing a long call turn by turn.
MAX_GOOD_EXAMPLES = 6
CHECKLIST_RUN = 3


def judge(transcript: Transcript, persona: Persona | None, source: str) -> Evaluation:
    """Judge one conversation; `persona` (else the transcript's own) gives the priorities."""
    persona = persona or transcript.persona
    if persona is not None:
        persona = interned(persona)
    turns = transcript.turns
    reps = label_turns(turns, persona)
    metrics = measure(turns, reps)
    progress = disclosed(turns, persona) if persona is not None else None
    found = facts(reps, metrics, progress)
    parts = score_parts(found)
    verdict, summary = decide(found)
    words = priority_words(persona) if persona is not None else None
    return Evaluation(
        source=source,
        persona=persona.id if persona is not None else None,
        rep=transcript.rep,
        verdict=verdict,
        summary=summary,
        score=total(parts),
        score_parts=parts,
        turns=[turn_result(rep) for rep in reps],
        priorities=priority_results(persona, progress) if persona and progress else {},
        metrics=metrics,
        evidence=evidence(turns, reps, persona, progress),
        coaching=coach(turns, reps, words, progress),
    )


_PERSONAS: dict[str, Persona] = {}


def interned(persona: Persona) -> Persona:
    """The first-seen persona equal to this one.

    Every saved transcript carries its own copy of the persona; the analyser's and the
    judge's prepared rules are cached per persona object, so equal copies share one.
    """
    known = _PERSONAS.get(persona.id)
    if known is not None and (known is persona or known == persona):
        return known
    if len(_PERSONAS) >= 256:
        _PERSONAS.clear()
    _PERSONAS[persona.id] = persona
    return persona


def turn_result(rep: RepTurn) -> TurnResult:
    labels = rep.labels
    return TurnResult(
        turn=rep.index,
        question=labels.question,
        followup=labels.followup,
        pitch=labels.pitch,
        self_serving=labels.self_serving,
        assumption=labels.assumption,
        reflection=labels.reflection,
        priorities=list(labels.priorities),
    )


def priority_results(persona: Persona, progress: dict[str, Progress]) -> dict[str, PriorityResult]:
    results: dict[str, PriorityResult] = {}
    for priority in persona.priorities:
        item = progress[priority.id]
        results[priority.id] = PriorityResult(
            label=priority.label,
            level=item.level,
            turn=item.reached_at.get(item.level),
            uncovered=RANK[item.level] >= RANK[Level.stated],
            why_reached=RANK[item.level] >= RANK[Level.why],
            fear_reached=item.level is Level.fear,
            reached_at=dict(item.reached_at),
            source=item.source,
        )
    return results


# --- evidence ----------------------------------------------------------------------------------


def _rep_evidence(rep: RepTurn, claim: str, kind: str) -> Evidence:
    good = kind == "good"
    return Evidence(
        turn=rep.index,
        quote=snippet(rep.text, prefer_question=good),
        claim=claim,
        kind="good" if good else "bad",
    )


def _checklists(reps: Sequence[RepTurn]) -> list[Evidence]:
    """The start of each run of closed questions that never built on an answer."""
    found: list[Evidence] = []
    run: list[RepTurn] = []
    for rep in [*reps, None]:
        if rep is not None and rep.labels.question == "closed" and not rep.deepening:
            run.append(rep)
            continue
        if len(run) >= CHECKLIST_RUN:
            claim = f"{len(run)} closed questions in a row (turns {run[0].index}-{run[-1].index})"
            found.append(_rep_evidence(run[0], claim + ": a checklist", "bad"))
        run = []
    return found


_LEVEL_CLAIMS = {
    Level.stated: "said plainly that {label} matters",
    Level.why: "said why {label} matters",
    Level.fear: "said what scares them about {label}",
}


def _priority_evidence(
    turns: Sequence[Turn], persona: Persona, progress: dict[str, Progress]
) -> list[Evidence]:
    found: list[Evidence] = []
    for priority in persona.priorities:
        item = progress[priority.id]
        for level, template in _LEVEL_CLAIMS.items():
            shown = item.shown_in.get(level)
            if shown is None:
                continue
            claim = template.format(label=priority.label[:1].lower() + priority.label[1:])
            earned = item.reached_at.get(level)
            if earned is not None:
                claim += f" (earned by turn {earned})"
            found.append(
                Evidence(turn=shown, quote=snippet(turns[shown].text), claim=claim, kind="good")
            )
    return found


def evidence(
    turns: Sequence[Turn],
    reps: Sequence[RepTurn],
    persona: Persona | None,
    progress: dict[str, Progress] | None,
) -> list[Evidence]:
    """Every claim the verdict and the score make, with the turn that shows it."""
    found: list[Evidence] = []
    good = 0
    for rep in reps:
        labels = rep.labels
        if labels.pitch:
            found.append(_rep_evidence(rep, "pitched the offering", "bad"))
        if labels.self_serving:
            found.append(_rep_evidence(rep, "asked about the seller's deal", "bad"))
        if labels.assumption:
            found.append(_rep_evidence(rep, "told the customer about themselves", "bad"))
        if rep.deepening and good < MAX_GOOD_EXAMPLES:
            good += 1
            claim = (
                "reflected the customer's words and invited more"
                if labels.reflection
                else "followed up on the customer's own answer"
            )
            found.append(_rep_evidence(rep, claim, "good"))
    found += _checklists(reps)
    if persona is not None and progress is not None:
        found += _priority_evidence(turns, persona, progress)
    return sorted(found, key=lambda item: (item.turn, item.kind))
