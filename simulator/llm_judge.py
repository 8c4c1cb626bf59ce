"""The LLM judge: the same Evaluation as the heuristic judge, from any OpenAI-compatible model.

One LLMJudge serves a whole batch: one AsyncOpenAI client and one memory of which
structured-output mode the server accepts. Every request goes through the shared retry
policy; an answer that does not fit the schema gets one repair request listing what was
wrong. The heuristic judge's result rides along as a cross-check.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from typing import Any

import openai
from openai import AsyncOpenAI
from openai.types.chat import ChatCompletion, ChatCompletionMessageParam

from simulator import judge_prompt, llm_judgement
from simulator.evaluation import Agreement, CrossCheck, Disagreement, Evaluation
from simulator.llm_client import describe_failure, make_client
from simulator.llm_judgement import InvalidJudgement
from simulator.persona import Persona
from simulator.retry import ATTEMPTS, EmptyReply, policy
from simulator.settings import Settings
from simulator.structured_output import (
    MODES,
    FormatRejected,
    Mode,
    OutputModes,
    is_format_rejection,
    response_format,
)
from simulator.transcript import Transcript

Heuristic = Callable[[Transcript, Persona | None, str], Evaluation]
SchemaFor = Callable[[Mode], dict[str, Any]]
# A score gap smaller than this is noise, not a disagreement.
SCORE_GAP = 20
LABELS = ("question", "followup", "pitch", "self_serving", "assumption", "reflection")


class JudgeError(Exception):
    """One conversation could not be judged; `fatal` when no later one can be either."""

    def __init__(self, message: str, *, fatal: bool = False) -> None:
        super().__init__(message)
        self.fatal = fatal


def is_fatal(exc: BaseException) -> bool:
    """Failures that will not change from one file to the next: stop the batch."""
    if isinstance(exc, openai.APITimeoutError):
        return False
    return isinstance(
        exc,
        openai.APIConnectionError
        | openai.AuthenticationError
        | openai.PermissionDeniedError
        | openai.NotFoundError,
    )


class LLMJudge:
    def __init__(
        self,
        settings: Settings,
        heuristic: Heuristic,
        *,
        attempts: int = ATTEMPTS,
    ) -> None:
        self.settings = settings
        self.heuristic = heuristic
        self.attempts = attempts
        self.model = settings.judge_model
        self.modes = OutputModes()
        self._client: AsyncOpenAI | None = None

    @property
    def client(self) -> AsyncOpenAI:
        if self._client is None:
            self._client = make_client(self.settings)
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None

    async def evaluate(
        self, transcript: Transcript, persona: Persona | None, source: str, runs: int = 1
    ) -> Evaluation:
        """Judge `runs` times; report the first run with the modal verdict and the agreement."""
        judging = asyncio.ensure_future(self._runs(transcript, persona, source, runs))
        # Let the first request go out, then do the cross-check while the model thinks.
        await asyncio.sleep(0)
        try:
            baseline = self.heuristic(transcript, persona, source)
        except BaseException:
            judging.cancel()
            raise
        chosen = modal(await judging)
        return chosen.model_copy(update={"cross_check": cross_check(chosen, baseline)})

    async def _runs(
        self, transcript: Transcript, persona: Persona | None, source: str, runs: int
    ) -> list[Evaluation]:
        return [await self.judge_once(transcript, persona, source) for _ in range(runs)]

    async def judge_once(
        self, transcript: Transcript, persona: Persona | None, source: str
    ) -> Evaluation:
        schema = llm_judgement.schema(persona)
        grammar: dict[str, Any] = {}

        def schema_for(mode: Mode) -> dict[str, Any]:
            # A server that enforces the schema as a grammar gets it fitted to this conversation.
            if mode != "json_object+schema":
                return schema
            if not grammar:
                grammar.update(llm_judgement.fitted(schema, transcript))
            return grammar

        reply, mode, messages = await self._ask(transcript, persona, schema_for)
        used: str = mode
        try:
            judgement = llm_judgement.parse(reply, transcript, persona)
        except InvalidJudgement as problem:
            repair: list[ChatCompletionMessageParam] = [
                *messages,
                {"role": "assistant", "content": reply},
                {"role": "user", "content": problem.repair_request()},
            ]
            reply = await self._request(repair, mode, schema_for)
            try:
                judgement = llm_judgement.parse(reply, transcript, persona)
            except InvalidJudgement as again:
                raise JudgeError(
                    f"the model's judgement did not fit the schema, even after one repair: {again}"
                ) from None
            used = f"{mode}+repair"
        return llm_judgement.to_evaluation(judgement, transcript, persona, source, used)

    async def _ask(
        self, transcript: Transcript, persona: Persona | None, schema_for: SchemaFor
    ) -> tuple[str, Mode, list[ChatCompletionMessageParam]]:
        """The first answer, in the mode the server accepts; finds that mode once per batch."""
        while True:
            if self.modes.settled:
                mode = self.modes.mode
                messages = judge_prompt.messages(transcript, persona, mode)
                try:
                    return await self._request(messages, mode, schema_for), mode, messages
                except FormatRejected as exc:
                    self._move_past(mode, exc)
                continue
            async with self.modes.lock:
                if self.modes.settled:
                    continue
                mode = self.modes.mode
                messages = judge_prompt.messages(transcript, persona, mode)
                try:
                    reply = await self._request(messages, mode, schema_for)
                except FormatRejected as exc:
                    self._move_past(mode, exc)
                    continue
                self.modes.settled = True
                return reply, mode, messages

    def _move_past(self, mode: Mode, exc: FormatRejected) -> None:
        if not self.modes.reject(mode):
            raise JudgeError(
                f"the model server at {self.settings.endpoint} accepts none of "
                f"{', '.join(MODES)} as response_format: {exc}",
                fatal=True,
            )

    async def _request(
        self, messages: list[ChatCompletionMessageParam], mode: Mode, schema_for: SchemaFor
    ) -> str:
        attempts = 0
        content: str | None = None
        try:
            async for attempt in policy(self.attempts):
                with attempt:
                    attempts += 1
                    try:
                        # The typed `chat.completions.create` walks every parameter through
                        # the SDK's TypedDict transform, a quarter of the CPU a judged file
                        # costs; the body here is plain JSON already.
                        response = await self.client.post(
                            "/chat/completions",
                            body={
                                "model": self.model,
                                "messages": messages,
                                "temperature": 0,
                                "response_format": response_format(mode, schema_for(mode)),
                            },
                            cast_to=ChatCompletion,
                        )
                    except openai.APIStatusError as exc:
                        if is_format_rejection(exc):
                            raise FormatRejected(_first_line(exc.message)) from exc
                        raise
                    choice = response.choices[0] if response.choices else None
                    content = choice.message.content if choice else None
                    if not content or not content.strip():
                        raise EmptyReply("the server sent an empty reply")
        except FormatRejected:
            raise
        except Exception as exc:
            where = self.settings.endpoint
            raise JudgeError(describe_failure(exc, where, attempts), fatal=is_fatal(exc)) from exc
        assert content is not None  # the policy re-raises unless an attempt returned text
        return content


def _first_line(text: str) -> str:
    return " ".join(text.split())[:200]


def modal(results: list[Evaluation]) -> Evaluation:
    """The first result with the most common verdict, with the agreement when runs > 1."""
    verdicts = [result.verdict for result in results]
    verdict, count = Counter(verdicts).most_common(1)[0]
    chosen = next(result for result in results if result.verdict == verdict)
    if len(results) == 1:
        return chosen
    agreement = Agreement(
        runs=len(results),
        verdicts=verdicts,
        scores=[result.score for result in results],
        agreement=round(count / len(results), 3),
    )
    return chosen.model_copy(update={"agreement": agreement})


def cross_check(llm: Evaluation, heuristic: Evaluation) -> CrossCheck:
    """Where the two judges differ, field by field."""
    found: list[Disagreement] = []

    def compare(field: str, ours: object, theirs: object) -> None:
        if ours != theirs:
            found.append(Disagreement(field=field, llm=_shown(ours), heuristic=_shown(theirs)))

    compare("verdict", llm.verdict, heuristic.verdict)
    if abs(llm.score - heuristic.score) >= SCORE_GAP:
        compare("score", llm.score, heuristic.score)
    compare(
        "metrics.first_pitch_turn", llm.metrics.first_pitch_turn, heuristic.metrics.first_pitch_turn
    )
    for priority_id in dict.fromkeys([*llm.priorities, *heuristic.priorities]):
        ours = llm.priorities.get(priority_id)
        theirs = heuristic.priorities.get(priority_id)
        compare(
            f"priorities.{priority_id}.level",
            ours.level.value if ours else None,
            theirs.level.value if theirs else None,
        )
    theirs_by_turn = {item.turn: item for item in heuristic.turns}
    for item in llm.turns:
        other = theirs_by_turn.get(item.turn)
        if other is None:
            continue
        for label in LABELS:
            compare(f"turns.{item.turn}.{label}", getattr(item, label), getattr(other, label))
    return CrossCheck(verdict=heuristic.verdict, score=heuristic.score, disagreements=found)


def _shown(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
