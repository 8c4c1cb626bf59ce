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


async def bare_turn(client: AsyncOpenAI, messages: list[dict[str, str]]) -> float:
    started = time.perf_counter()
    stream = await client.chat.completions.create(
        model="bench", messages=messages, stream=True, temperature=0.7, max_tokens=300
    )  # type: ignore[call-overload]
    async for _chunk in stream:
        pass
    return time.perf_counter() - started


async def deeper_turn(session: Session, text: str) -> float:
    started = time.perf_counter()
    session.send(text)
    async for _event in session.reply():
        pass
    return time.perf_counter() - started


async def measure(server: OpenAIServer, home: Path) -> tuple[list[float], list[float]]:
    persona = resolve_persona("maria-freight-cfo")
    settings = load_settings({"OPENAI_BASE_URL": server.base_url, "DEEPER_HOME": str(home)})
    client = AsyncOpenAI(base_url=server.base_url, api_key="bench", max_retries=0)
    voice = LLMVoice(settings)
    bare: list[float] = []
    ours: list[float] = []
    for _ in range(SESSIONS):
        session = Session(persona, voice, None if "--nosave" in sys.argv else home / "sessions")
        for index in range(TURNS):
            text = REP_LINES[index % len(REP_LINES)]
            # The bare call sends the very messages deeper is about to send.
            ours.append(await deeper_turn(session, text))
            view = customer_view.view(persona, session.state, len(session.turns) - 2)
            messages = customer_prompt.messages(view, session.turns[:-1])
            bare.append(await bare_turn(client, messages))  # type: ignore[arg-type]
    await client.close()
    await voice.aclose()
    return bare, ours


def analyser_rate() -> float:
    persona = resolve_persona("maria-freight-cfo")
    customer = "Month end is always a scramble here, and the team has had a long year of it."
    count = 0
    started = time.perf_counter()
    while time.perf_counter() - started < 2.0:
        for line in REP_LINES:
            analyse_turn(line, customer, persona, [customer])
            count += 1
    return count / (time.perf_counter() - started)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, OpenAIServer() as server:
        server.default = Reply(REPLY)
        asyncio.run(measure(server, Path(folder)))  # warm-up: imports, connections, caches
        bare, ours = asyncio.run(measure(server, Path(folder)))
    bare_ms = statistics.median(bare) * 1000
    ours_ms = statistics.median(ours) * 1000
    print(f"turns measured            {len(ours)} ({SESSIONS} sessions x {TURNS} turns)")
    print(f"bare openai stream        {bare_ms:7.2f} ms per turn (median)")
    print(f"deeper turn               {ours_ms:7.2f} ms per turn (median)")
    print(f"overhead added by deeper  {ours_ms - bare_ms:7.2f} ms per turn (target < 5 ms)")
    print(f"turn analyser             {analyser_rate():9,.0f} turns/s")


if __name__ == "__main__":
    main()
