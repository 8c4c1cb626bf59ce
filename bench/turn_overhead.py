"""Time deeper adds per turn over a bare OpenAI-SDK stream, and the analyser's speed.

Both sides stream the same reply from the same local scripted server; the
difference is deeper's own work per turn: analysis, engine, prompt, retry
wrapper, and the atomic save of the transcript.

    python bench/turn_overhead.py
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openai import AsyncOpenAI  # noqa: E402
from openai.types.chat import ChatCompletionMessageParam  # noqa: E402

from simulator import customer_prompt, customer_view  # noqa: E402
from simulator.analysis import analyse_turn  # noqa: E402
from simulator.library import resolve_persona  # noqa: E402
from simulator.llm_voice import LLMVoice  # noqa: E402
from simulator.session import Session  # noqa: E402
from simulator.settings import load_settings  # noqa: E402
from tests.support.openai_server import OpenAIServer, Reply  # noqa: E402

REPLY = "Month end is always a scramble here, and the team has had a long year of it. " * 2
REP_LINES = [
    "What's on your plate this quarter?",
    "You said month end is a scramble. What makes it so hard?",
    "Why does that matter so much to you?",
    "What worries you most about it?",
    "How is the team holding up?",
    "Sounds like the long year is what weighs on you.",
]
SESSIONS = 12
TURNS = 10


Timing = tuple[float, float]  # (first token, whole turn) in seconds


async def bare_turn(client: AsyncOpenAI, messages: list[ChatCompletionMessageParam]) -> Timing:
    started = time.perf_counter()
    first = 0.0
    stream = await client.chat.completions.create(
        model="bench", messages=messages, stream=True, temperature=0.7, max_tokens=300
    )
    async for _chunk in stream:
        first = first or time.perf_counter() - started
    return first, time.perf_counter() - started


async def deeper_reply(session: Session, sending: float) -> Timing:
    started = time.perf_counter() - sending
    first = 0.0
    async for _event in session.reply():
        first = first or time.perf_counter() - started
    return first, time.perf_counter() - started


async def measure(
    server: OpenAIServer, home: Path, save: bool = True
) -> tuple[list[Timing], list[Timing]]:
    persona = resolve_persona("maria-freight-cfo")
    settings = load_settings({"OPENAI_BASE_URL": server.base_url, "DEEPER_HOME": str(home)})
    client = AsyncOpenAI(base_url=server.base_url, api_key="bench", max_retries=0)
    voice = LLMVoice(settings)
    bare: list[Timing] = []
    ours: list[Timing] = []
    for _ in range(SESSIONS):
        session = Session(persona, voice, home / "sessions" if save else None)
        for index in range(TURNS):
            started = time.perf_counter()
            labels = session.send(REP_LINES[index % len(REP_LINES)])
            sending = time.perf_counter() - started
            # The bare call sends the very messages deeper is about to send.
            view = customer_view.view(persona, session.state, len(session.turns) - 1, labels)
            messages = customer_prompt.messages(view, session.turns)
            # Alternate which goes first, so neither gains from a warm connection.
            if index % 2:
                bare.append(await bare_turn(client, messages))
                ours.append(await deeper_reply(session, sending))
            else:
                ours.append(await deeper_reply(session, sending))
                bare.append(await bare_turn(client, messages))
    await client.close()
    await voice.aclose()
    return bare, ours


OPENERS = [
    "What makes",
    "Tell me more about",
    "Why does",
    "Would our platform fix",
    "Do you track",
    "Sounds like",
    "How many people handle",
    "What would it take to win",
]
TOPICS = [
    "month end for the team",
    "the cash forecast",
    "invoice approvals",
    "the audit next spring",
    "your board meetings",
    "weekend overtime",
]


def analyser_rate() -> float:
    """Turns per second on distinct turns, so no cache can answer for the analyser."""
    persona = resolve_persona("maria-freight-cfo")
    customer = "Month end is always a scramble here, and the team has had a long year of it."
    turns = [
        f"{opener} {topic} in week {week}?"
        for week in range(300)
        for opener in OPENERS
        for topic in TOPICS
    ]
    started = time.perf_counter()
    for index, line in enumerate(turns):
        analyse_turn(line, f"{customer} ({index})", persona, [customer])
    return len(turns) / (time.perf_counter() - started)


def median_ms(timings: list[Timing], part: int) -> float:
    return statistics.median(t[part] for t in timings) * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, OpenAIServer() as server:
        server.default = Reply(REPLY)
        asyncio.run(measure(server, Path(folder)))  # warm-up: imports, connections, caches
        bare, ours = asyncio.run(measure(server, Path(folder)))
        bare_nosave, ours_nosave = asyncio.run(measure(server, Path(folder), save=False))
    print(f"turns measured            {len(ours)} ({SESSIONS} sessions x {TURNS} turns)")
    print("                          first token   whole turn   (medians, ms)")
    for name, timings in (("bare openai stream", bare), ("deeper turn", ours)):
        print(f"{name:<26}{median_ms(timings, 0):11.2f}  {median_ms(timings, 1):11.2f}")
    added_first = median_ms(ours, 0) - median_ms(bare, 0)
    added = median_ms(ours, 1) - median_ms(bare, 1)
    added_nosave = median_ms(ours_nosave, 1) - median_ms(bare_nosave, 1)
    print(f"added by deeper           {added_first:11.2f}  {added:11.2f}   (target < 5 ms)")
    print(f"  without saving to disk  {'':11}  {added_nosave:11.2f}")
    print(f"turn analyser             {analyser_rate():9,.0f} turns/s")


if __name__ == "__main__":
    main()
