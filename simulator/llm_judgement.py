"""What the LLM judge is asked for, how its answer is checked, and how it becomes an Evaluation.

The model fills a slim schema (labels, verdict, score, priority levels, evidence, coaching);
the metrics are then counted from its labels the same way the heuristic judge counts them,
so both judges report numbers that mean the same thing.
"""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from simulator import metrics
from simulator.evaluation import (
    Coaching,
    Evaluation,
    Evidence,
    PriorityResult,
    TurnResult,
    Verdict,
)
from simulator.labels import QuestionKind, TurnLabels
from simulator.persona import Level, Persona
from simulator.transcript import Transcript

# Quotes longer than this are cut in the report; the model is asked for short ones.
QUOTE_LIMIT = 200
# The repair message lists this many problems at most.
ERRORS_SHOWN = 12


class Strict(BaseModel):
    # extra="forbid" puts additionalProperties: false in the schema, which strict mode needs.
    model_config = ConfigDict(extra="forbid")


class TurnLabel(Strict):
    turn: int
    question: QuestionKind
    followup: bool
    pitch: bool
    self_serving: bool
    assumption: bool
    reflection: bool


class PriorityLevel(Strict):
    id: str
    level: Level
    turn: int | None


class EvidenceItem(Strict):
    turn: int
    quote: str
    claim: str
    kind: Literal["good", "bad"]


class CoachingItem(Strict):
    turn: int
    text: str


class Judgement(Strict):
    verdict: Verdict
    summary: str
    score: int = Field(ge=0, le=100)
    turns: list[TurnLabel]
    evidence: list[EvidenceItem]
    coaching: list[CoachingItem]


class JudgementWithPriorities(Judgement):
    priorities: list[PriorityLevel]


class InvalidJudgement(ValueError):
    """The model's answer does not fit; `problems` go back to it in the repair request."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0] if problems else "invalid judgement")
        self.problems = problems

    def repair_request(self) -> str:
        shown = self.problems[:ERRORS_SHOWN]
        more = len(self.problems) - len(shown)
        listing = "\n".join(f"- {problem}" for problem in shown)
        tail = f"\n- and {more} more" if more else ""
        return (
            f"Your answer could not be used:\n{listing}{tail}\n"
            "Answer again with only the corrected JSON object, following the schema."
        )


def model_for(persona: Persona | None) -> type[Judgement]:
    return JudgementWithPriorities if persona is not None else Judgement


def schema(persona: Persona | None) -> dict[str, Any]:
    """The JSON Schema for this conversation: priority ids limited to the persona's.

    Built once per set of priority ids and shared: callers must not change it.
    """
    ids = tuple(priority.id for priority in persona.priorities) if persona else None
    return _schema(ids)


@cache
def _schema(ids: tuple[str, ...] | None) -> dict[str, Any]:
    model = JudgementWithPriorities if ids is not None else Judgement
    result = model.model_json_schema()
    if ids is not None:
        result["$defs"]["PriorityLevel"]["properties"]["id"]["enum"] = list(ids)
    return result


# List bounds for a grammar-enforcing server, within what the prompt asks for: a small model
# otherwise repeats a list item until its tokens run out.
GRAMMAR_ITEMS = {"evidence": 4, "coaching": 3}


def fitted(base: dict[str, Any], transcript: Transcript) -> dict[str, Any]:
    """`base` narrowed to one conversation, for servers that turn the schema into a grammar
    (llama.cpp): each rep turn labelled exactly once and in order, each priority given once,
    every turn number one of the rep's, every list bounded. Such a server then
    cannot produce an answer that `parse` refuses, however small its model.
    """
    reps = [index for index, turn in enumerate(transcript.turns) if turn.speaker == "rep"]
    if not reps:
        return base
    result = copy.deepcopy(base)
    defs = result.pop("$defs")
    properties = result["properties"]

    def inline(name: str, **fixed: Any) -> dict[str, Any]:
        item: dict[str, Any] = copy.deepcopy(defs[name])
        for field, value in fixed.items():
            item["properties"][field] = value
        return item

    def tuple_of(items: list[dict[str, Any]]) -> dict[str, Any]:
        count = len(items)
        return {"type": "array", "prefixItems": items, "minItems": count, "maxItems": count}

    properties["turns"] = tuple_of([inline("TurnLabel", turn={"const": rep}) for rep in reps])
    for name, model in (("evidence", "EvidenceItem"), ("coaching", "CoachingItem")):
        item = inline(model, turn={"enum": reps})
        properties[name] = {"type": "array", "items": item, "maxItems": GRAMMAR_ITEMS[name]}
    if "priorities" in properties:
        ids = defs["PriorityLevel"]["properties"]["id"].get("enum", [])
        levels = defs["Level"]
        turn = {"anyOf": [{"enum": reps}, {"type": "null"}]}
        properties["priorities"] = tuple_of(
            [inline("PriorityLevel", id={"const": i}, level=levels, turn=turn) for i in ids]
        )
    return result


_FENCE = re.compile(r"^\s*```[\w-]*\s*\n(.*?)\n\s*```\s*$", re.DOTALL)


def json_text(reply: str) -> str:
    """The JSON object in a reply; local models like to wrap it in a code fence or prose."""
    fenced = _FENCE.match(reply)
    text = fenced[1] if fenced else reply
    start, end = text.find("{"), text.rfind("}")
    return text[start : end + 1] if 0 <= start < end else text


def parse(reply: str, transcript: Transcript, persona: Persona | None) -> Judgement:
    """The judgement in `reply`, checked against the schema and against the conversation."""
    model = model_for(persona)
    text = json_text(reply)
    try:
        judgement = model.model_validate_json(text)
    except ValidationError as exc:
        errors = exc.errors()
        loose = _loose_json(text) if errors[0]["type"] == "json_invalid" else None
        if loose is None:
            raise InvalidJudgement([_describe(error) for error in errors]) from None
        try:
            judgement = model.model_validate(loose)
        except ValidationError as again:
            raise InvalidJudgement([_describe(error) for error in again.errors()]) from None
    problems = _check(judgement, transcript, persona)
    if problems:
        raise InvalidJudgement(problems)
    return judgement


def _loose_json(text: str) -> object | None:
    """JSON with raw line breaks and tabs inside its strings, as small local models write it
    even under a grammar; what they meant is plain, so it is read rather than refused."""
    try:
        data: object = json.loads(text, strict=False)
    except (ValueError, RecursionError):
        return None
    return data


def _describe(error: Any) -> str:
    where = ".".join(str(step) for step in error["loc"]) or "the answer"
    if error["type"] == "json_invalid":
        return f"not valid JSON: {error['msg']}"
    return f"{where}: {error['msg']}"


def _check(judgement: Judgement, transcript: Transcript, persona: Persona | None) -> list[str]:
    turns = transcript.turns
    rep_turns = [index for index, turn in enumerate(turns) if turn.speaker == "rep"]
    labelled = Counter(item.turn for item in judgement.turns)
    problems = [
        f"turns: turn {index} is labelled {count} times; label it once"
        for index, count in labelled.items()
        if count > 1
    ]
    problems += [
        f"turns: turn {index} is a customer turn or does not exist; label rep turns only"
        for index in labelled
        if index not in rep_turns
    ]
    missing = [index for index in rep_turns if index not in labelled]
    if missing:
        problems.append(f"turns: rep turns {_listing(missing)} have no labels")
    in_range = range(len(turns))
    pointers = [("evidence", item.turn) for item in judgement.evidence]
    pointers += [("coaching", item.turn) for item in judgement.coaching]
    problems += [
        f"{name}: there is no turn {turn}" for name, turn in pointers if turn not in in_range
    ]
    if isinstance(judgement, JudgementWithPriorities) and persona is not None:
        known = {priority.id for priority in persona.priorities}
        seen = Counter(item.id for item in judgement.priorities)
        problems += [
            f"priorities: unknown priority id {name!r}" for name in seen if name not in known
        ]
        problems += [
            f"priorities: {name!r} is given {n} times" for name, n in seen.items() if n > 1
        ]
        problems += [
            f"priorities.{position}.turn: there is no turn {item.turn}"
            for position, item in enumerate(judgement.priorities)
            if item.turn is not None and item.turn not in in_range
        ]
    return problems


def _listing(indices: list[int]) -> str:
    return ", ".join(str(index) for index in indices)


def to_evaluation(
    judgement: Judgement,
    transcript: Transcript,
    persona: Persona | None,
    source: str,
    structured_output: str,
) -> Evaluation:
    turns = transcript.turns
    by_turn = {item.turn: item for item in judgement.turns}
    reps: list[metrics.RepTurn] = []
    last_customer: int | None = None
    for index, turn in enumerate(turns):
        if turn.speaker == "customer":
            if turn.text.strip():
                last_customer = index
            continue
        item = by_turn[index]
        labels = TurnLabels(
            question=item.question,
            followup=item.followup,
            pitch=item.pitch,
            self_serving=item.self_serving,
            assumption=item.assumption,
            reflection=item.reflection,
        )
        reps.append(metrics.RepTurn(index, turn.text, labels, last_customer))
    return Evaluation(
        source=source,
        judge="llm",
        persona=persona.id if persona else None,
        rep=transcript.rep,
        verdict=judgement.verdict,
        summary=" ".join(judgement.summary.split()) or None,
        score=judgement.score,
        turns=[_turn_result(rep) for rep in reps],
        priorities=_priorities(judgement, persona),
        metrics=metrics.measure(turns, reps),
        evidence=[
            Evidence(turn=item.turn, quote=_quote(item.quote), claim=item.claim, kind=item.kind)
            for item in judgement.evidence
            if _quoted(item, transcript)
        ],
        coaching=[Coaching(turn=item.turn, text=item.text) for item in judgement.coaching],
        structured_output=structured_output,
    )


def _turn_result(rep: metrics.RepTurn) -> TurnResult:
    labels = rep.labels
    return TurnResult(
        turn=rep.index,
        question=labels.question,
        followup=labels.followup,
        pitch=labels.pitch,
        self_serving=labels.self_serving,
        assumption=labels.assumption,
        reflection=labels.reflection,
    )


def _priorities(judgement: Judgement, persona: Persona | None) -> dict[str, PriorityResult]:
    if persona is None or not isinstance(judgement, JudgementWithPriorities):
        return {}
    given = {item.id: item for item in judgement.priorities}
    results: dict[str, PriorityResult] = {}
    for priority in persona.priorities:
        item = given.get(priority.id)
        level = item.level if item else Level.hidden
        turn = item.turn if item and level is not Level.hidden else None
        results[priority.id] = PriorityResult(
            label=priority.label,
            level=level,
            turn=turn,
            uncovered=level.rank >= Level.stated.rank,
            why_reached=level.rank >= Level.why.rank,
            fear_reached=level is Level.fear,
        )
    return results


def _squash(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def _quoted(item: EvidenceItem, transcript: Transcript) -> bool:
    # Evidence must stand on what was said: a quote the turn does not hold is dropped.
    quote = _squash(item.quote)
    return bool(quote) and quote in _squash(transcript.turns[item.turn].text)


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1] + "…"


def dumps_schema(persona: Persona | None) -> str:
    ids = tuple(priority.id for priority in persona.priorities) if persona else None
    return _dumped_schema(ids)


@cache
def _dumped_schema(ids: tuple[str, ...] | None) -> str:
    return json.dumps(_schema(ids), separators=(",", ":"))
