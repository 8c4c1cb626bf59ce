"""What a judge says about one conversation: the stable result schema of `deeper evaluate`.

Both judges, heuristic and LLM, return an Evaluation; the JSON shape is documented in
the README and only grows.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from simulator.labels import QuestionKind
from simulator.persona import Level

Verdict = Literal["deeper", "mixed", "pitch"]


class TurnResult(BaseModel):
    """The labels of one rep turn; `turn` counts all turns of both speakers from 0."""

    turn: int
    question: QuestionKind
    followup: bool
    pitch: bool
    self_serving: bool
    assumption: bool
    reflection: bool
    priorities: list[str] = Field(default_factory=list)


class PriorityResult(BaseModel):
    """How far the rep got on one hidden priority, and the turn that earned it."""

    label: str
    level: Level
    turn: int | None = None
    uncovered: bool
    why_reached: bool
    fear_reached: bool
    # The rep turn that first reached each level (None: said before the rep asked anything).
    reached_at: dict[Level, int | None] = Field(default_factory=dict)
    # How the level was established: the engine's own log, or read from the customer's words.
    source: Literal["engine", "words"] = "words"


class Metrics(BaseModel):
    rep_turns: int
    rep_questions: int
    open_questions: int
    open_share: float
    closed_questions: int = 0
    followups: int = 0
    longest_followup_chain: int
    first_pitch_turn: int | None
    pitches: int
    self_serving: int
    assumptions: int
    reflections: int
    reflections_per_question: float
    rep_talk_share: float
    longest_rep_monologue: int


class ScorePart(BaseModel):
    name: str
    points: int
    max: int
    why: str
    # The turns that show it.
    turns: list[int] = Field(default_factory=list)


class Evidence(BaseModel):
    """A claim about the conversation and the turn that shows it."""

    turn: int
    quote: str
    claim: str
    kind: Literal["good", "bad"]


class Coaching(BaseModel):
    turn: int
    text: str


class Disagreement(BaseModel):
    field: str
    llm: str
    heuristic: str


class CrossCheck(BaseModel):
    """The heuristic judge's view beside an LLM judgement."""

    verdict: Verdict
    score: int
    disagreements: list[Disagreement] = Field(default_factory=list)


class Agreement(BaseModel):
    """`--runs N`: how often repeated LLM judgements of one conversation agree.

    The evaluation reported is the first run with the modal verdict.
    """

    runs: int
    verdicts: list[Verdict]
    scores: list[int]
    # The share of runs whose verdict is the modal verdict.
    agreement: float


class Evaluation(BaseModel):
    source: str
    judge: Literal["heuristic", "llm"] = "heuristic"
    persona: str | None = None
    rep: str | None = None
    verdict: Verdict
    # One line saying why the verdict.
    summary: str | None = None
    score: int = Field(ge=0, le=100)
    score_parts: list[ScorePart] = Field(default_factory=list)
    turns: list[TurnResult]
    priorities: dict[str, PriorityResult] = Field(default_factory=dict)
    metrics: Metrics
    evidence: list[Evidence] = Field(default_factory=list)
    coaching: list[Coaching] = Field(default_factory=list)
    # LLM judge only: how the server was asked for structured output, and the cross-check.
    structured_output: str | None = None
    cross_check: CrossCheck | None = None
    agreement: Agreement | None = None
