"""What the TUI tests share: a clock that moves only when told, a fixed voice, app builders."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Input

from simulator.customer_view import CustomerView
from simulator.evaluation import Coaching, Evaluation, Evidence, Metrics, PriorityResult, ScorePart
from simulator.persona import Level, Persona
from simulator.quiz import PriorityQuizResult, QuizAnswer, QuizScore
from simulator.settings import load_settings
from simulator.transcript import Transcript, Turn
from simulator.tui.app import DeeperApp
from simulator.tui.report import QuizRecord, Report
from tests.support.sample import sample_persona

FIXED_NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)


class FakeClock:
    """Monotonic seconds that stand still until `advance`: no countdown drift."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FixedVoice:
    """Answers every turn with the next line of a script, word by word."""

    kind: Literal["llm", "scripted"] = "scripted"
    model: str | None = None
    where = "scripted"

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = list(lines)
        self.closed = False

    async def reply(self, view: CustomerView, history: Sequence[Turn]) -> AsyncIterator[str]:
        text = self.lines.pop(0) if self.lines else "Mm-hm."
        for piece in re.findall(r"\S+\s*", text):
            yield piece

    async def aclose(self) -> None:
        self.closed = True


def coaching_persona() -> Persona:
    """A second card for the picker: a direct report, for coaching practice."""
    return sample_persona().model_copy(
        update={
            "id": "sample-engineer",
            "kind": "direct_report",
            "name": "Sam Okoro",
            "role": "Senior engineer",
            "company": "your own platform team",
            "situation": "Asked for a one-to-one after a rough release week.",
        }
    )


def make_app(clock: FakeClock | None = None, **kwargs: Any) -> DeeperApp:
    kwargs.setdefault("personas", [sample_persona(), coaching_persona()])
    return DeeperApp(load_settings(), clock=clock or FakeClock(), **kwargs)


class Recorder:
    """The messages the app posts, by type, for run_test's message_hook."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self._seen: set[int] = set()

    def __call__(self, message: Message) -> None:
        # A bubbling message arrives at each pump on its way up: keep it once.
        if id(message) not in self._seen:
            self._seen.add(id(message))
            self.messages.append(message)

    def of(self, *kinds: type[Message]) -> list[Message]:
        return [m for m in self.messages if isinstance(m, kinds)]

    def names(self, *kinds: type[Message]) -> list[str]:
        return [type(m).__name__ for m in self.of(*kinds)]


async def wait_until(pilot: Pilot[Any], done: Callable[[], bool], seconds: float = 10.0) -> None:
    """Let the app run until `done()` holds.

    A plain sleep, not `pilot.pause`: the pilot waits for the screen's queue to drain,
    which a streaming reply keeps full until it ends.
    """
    for _ in range(int(seconds / 0.01)):
        if done():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("timed out waiting for the app")


async def type_and_send(pilot: Pilot[Any], text: str) -> None:
    """Fill the input and submit it, without waiting for the reply (as `pilot.press` would)."""
    say = pilot.app.screen.query_one("#say", Input)
    say.value = text
    await say.action_submit()
    await asyncio.sleep(0)


async def exchange(pilot: Pilot[Any], posted: Recorder, text: str) -> None:
    """Send `text` and wait until the reply has finished or failed."""
    from simulator.tui.messages import ReplyFailed, ReplyFinished

    before = len(posted.of(ReplyFinished, ReplyFailed))
    await type_and_send(pilot, text)
    await wait_until(pilot, lambda: len(posted.of(ReplyFinished, ReplyFailed)) > before)
    await pilot.pause()


def no_blink(pilot: Pilot[Any]) -> None:
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False


def fixed_report() -> Report:
    """A scorecard's data written out by hand: the snapshot does not move with the judge."""
    persona = sample_persona()
    turns = [
        Turn(speaker="customer", text=persona.opening),
        Turn(speaker="rep", text="What's on your plate this quarter?"),
        Turn(speaker="customer", text="Month end is always a scramble for us."),
        Turn(speaker="rep", text="Why does that matter to you right now?"),
        Turn(speaker="customer", text="We nearly breached a covenant last year."),
        Turn(speaker="rep", text="Would a demo of our invoice automation help?"),
        Turn(speaker="customer", text="I'm not really looking at anything new right now."),
    ]
    transcript = Transcript(id="fixed", persona=persona, started_at=FIXED_NOW, turns=turns)
    evaluation = Evaluation(
        source="fixed",
        persona=persona.id,
        verdict="mixed",
        summary="two follow-ups, then a pitch before the customer said what matters",
        score=58,
        score_parts=[
            ScorePart(name="curiosity", points=14, max=20, why="2 of 3 rep turns asked openly"),
            ScorePart(name="depth", points=15, max=30, why="1 turn built on her own answer"),
            ScorePart(name="priorities", points=9, max=20, why="1 of 3 uncovered, 1 to why"),
            ScorePart(name="restraint", points=10, max=20, why="a pitch at turn 5"),
            ScorePart(name="balance", points=10, max=10, why="the rep spoke 31% of the words"),
        ],
        turns=[],
        priorities={
            "cash": PriorityResult(
                label="Seeing the cash position every day",
                level=Level.why,
                turn=3,
                uncovered=True,
                why_reached=True,
                fear_reached=False,
            ),
            "team": PriorityResult(
                label="Keeping a small finance team from burning out",
                level=Level.hidden,
                uncovered=False,
                why_reached=False,
                fear_reached=False,
            ),
            "audit": PriorityResult(
                label="A clean audit this year",
                level=Level.hint,
                turn=1,
                uncovered=False,
                why_reached=False,
                fear_reached=False,
            ),
        },
        metrics=Metrics(
            rep_turns=3,
            rep_questions=3,
            open_questions=2,
            open_share=0.667,
            longest_followup_chain=1,
            first_pitch_turn=5,
            pitches=1,
            self_serving=0,
            assumptions=0,
            reflections=0,
            reflections_per_question=0.0,
            rep_talk_share=0.31,
            longest_rep_monologue=9,
        ),
        evidence=[
            Evidence(
                turn=3,
                quote="Why does that matter to you right now?",
                claim="followed up on the customer's own answer",
                kind="good",
            ),
            Evidence(
                turn=5,
                quote="Would a demo of our invoice automation help?",
                claim="pitched the offering",
                kind="bad",
            ),
        ],
        coaching=[
            Coaching(
                turn=5,
                text="At turn 5 you went to your offering before she had said what matters; "
                'you could have asked: "What worries you most about that?"',
            )
        ],
    )
    answers = [("daily cash", "covenant scare"), ("the audit", ""), ("pricing", "")]
    score = QuizScore(
        priorities=[
            PriorityQuizResult(
                id="cash",
                label="Seeing the cash position every day",
                named=True,
                why_right=True,
                answer=0,
                matched=QuizAnswer(care="daily cash", why="covenant scare"),
                points=2,
            ),
            PriorityQuizResult(
                id="team",
                label="Keeping a small finance team from burning out",
                named=False,
                why_right=False,
                points=0,
            ),
            PriorityQuizResult(
                id="audit",
                label="A clean audit this year",
                named=True,
                why_right=False,
                answer=1,
                matched=QuizAnswer(care="the audit", why=""),
                points=1,
            ),
        ],
        points=3,
        max_points=6,
        unmatched=[2],
    )
    quiz = QuizRecord(answers, score, timed_out=False, seconds_left=41.0)
    return Report(transcript, evaluation, quiz, None)
