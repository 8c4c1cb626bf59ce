"""How fast `deeper evaluate` is, and what it costs in memory.

Prints four figures:
- transcripts per second of the heuristic judge on the full path (read the file, import
  it, judge it) over generated 20-turn transcripts, next to a bare `json.load` plus one
  regex pass over the same files (targets: at least 2,000/s, at most 3x the bare pass);
- the peak RSS of `deeper evaluate --format jsonl` over 1,000 and 10,000 files, each run
  as a child process (read with getrusage(RUSAGE_CHILDREN));
- the LLM judge's batch time against the local scripted server answering every request
  after 200 ms, at a given concurrency, against the ideal files / concurrency x latency
  (target: at least 90% of ideal).

    python bench/evaluate_throughput.py [--files 2000] [--concurrency 4 8 16] [--profile]

`--profile` adds where the time goes, for the heuristic path and for the LLM batch.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.evaluate_command import EvaluateRequest, run_evaluate  # noqa: E402
from simulator.judge_pool import judged_here  # noqa: E402
from simulator.library import resolve_persona  # noqa: E402
from simulator.llm_judge import LLMJudge  # noqa: E402, F401 (imported before timing starts)
from simulator.persona import Persona  # noqa: E402
from simulator.store import dumps  # noqa: E402
from simulator.transcript import Speaker, Transcript, Turn  # noqa: E402

TURNS = 20
LATENCY = 0.2
REP_LINES = [
    "What's on your plate this quarter with the {n} people on your team?",
    "You mentioned the close takes {n} days. What makes it so hard?",
    "Why does that matter so much to you?",
    "What worries you most about the next {n} weeks?",
    "How is the team holding up after {n} weekends of overtime?",
    "Sounds like the audit is what weighs on you.",
    "Did the auditors find anything last year?",
    "Is that something you report to the board every {n} weeks?",
    "Our invoice automation platform cuts the close by {n} days with OCR.",
    "Do you have budget set aside for this, maybe {n} thousand?",
    "Who else signs off on a purchase over {n} thousand?",
    "I see you're in logistics, so invoices must be a nightmare.",
    "Can I book a demo for you next week, say {n} minutes?",
    "What would a good month end look like for you?",
    "What happens if nothing changes over the next {n} months?",
    "Tell me more about the covenant.",
]
CUSTOMER_LINES = [
    "Month end is always a scramble here, {n} days of it.",
    "I want a daily cash picture I can trust, not a monthly one I have to rebuild.",
    "Last year we nearly breached a covenant because we saw it too late.",
    "My team's been stretched for a while; {n} of them work weekends.",
    "The audit is coming round again in the spring.",
    "Okay. I'm not sure that's where my head is at.",
    "Honestly, I couldn't say at this point.",
    "We lost {n} good people last year. Hiring accountants out here takes months.",
    "If that happens again, I doubt the board gives me another chance.",
    "It's a bit early to talk about that.",
]
BARE_PATTERN = re.compile(r"[^.?!]*\?")


def generate(folder: Path, count: int, persona: Persona, seed: int = 7) -> list[Path]:
    """`count` transcripts of TURNS turns, each with the persona snapshot, all texts varied."""
    folder.mkdir(parents=True, exist_ok=True)
    chooser = random.Random(seed)
    paths = []
    for index in range(count):
        turns = []
        for number in range(TURNS):
            speaker: Speaker = "customer" if number % 2 == 0 else "rep"
            pool = CUSTOMER_LINES if speaker == "customer" else REP_LINES
            text = chooser.choice(pool).format(n=chooser.randint(2, 400))
            turns.append(Turn(speaker=speaker, text=text))
        transcript = Transcript(id=f"bench-{index:05}", persona=persona, turns=turns)
        path = folder / f"{index:05}.json"
        path.write_text(dumps(transcript))
        paths.append(path)
    return paths


def full_path(paths: list[Path]) -> None:
    """What `deeper evaluate --concurrency 1` does per file, collector settings included."""
    for outcome in judged_here(paths, None, None):
        assert not isinstance(outcome, str), outcome


def bare_pass(paths: list[Path]) -> None:
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
        BARE_PATTERN.findall("\n".join(turn["text"] for turn in data["turns"]))


def rate(work: Callable[[list[Path]], None], paths: list[Path]) -> tuple[float, float]:
    """Transcripts per second of wall time, and per second of this process's CPU time."""
    started = time.perf_counter()
    cpu = time.process_time()
    work(paths)
    return len(paths) / (time.perf_counter() - started), len(paths) / (time.process_time() - cpu)


def profile(work: Callable[[], object], lines: int = 18, sort: str = "cumulative") -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    work()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(lines)
    return out.getvalue()


def peak_rss(folder: Path, out_file: Path, concurrency: int = 4) -> tuple[float, int]:
    """Seconds and the largest max RSS (KB) of any child so far, after one CLI run."""
    command = [sys.executable, "-m", "simulator", "evaluate", str(folder), "--format", "jsonl"]
    command += ["--out", str(out_file), "--concurrency", str(concurrency)]
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    return elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def judgement_for(persona: Persona) -> dict[str, Any]:
    rep_turns = range(1, TURNS, 2)
    return {
        "verdict": "mixed",
        "summary": "Curious at first, then a pitch.",
        "score": 55,
        "turns": [
            {
                "turn": turn,
                "question": "open",
                "followup": turn > 1,
                "pitch": False,
                "self_serving": False,
                "assumption": False,
                "reflection": False,
            }
            for turn in rep_turns
        ],
        "priorities": [
            {"id": priority.id, "level": "hidden", "turn": None} for priority in persona.priorities
        ],
        "evidence": [],
        "coaching": [{"turn": 3, "text": "Ask why it matters before moving on."}],
    }


SERVE = """
import sys
from tests.support.openai_server import OpenAIServer, Reply
server = OpenAIServer()
server.default = Reply(sys.stdin.readline(), delay=float(sys.argv[1]))
with server:
    print(server.base_url, flush=True)
    sys.stdin.read()  # until the bench closes our stdin
"""


def scripted_server(reply: str) -> tuple[subprocess.Popen[str], str]:
    """The scripted server in a process of its own, as a real model server would be."""
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(LATENCY)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(reply + "\n")
    process.stdin.flush()
    return process, process.stdout.readline().strip()


def llm_batch(folder: Path, base_url: str, concurrency: int, profile_it: bool) -> tuple[float, str]:
    request = EvaluateRequest(paths=[folder], judge="llm", format="jsonl", concurrency=concurrency)
    env = {"OPENAI_BASE_URL": base_url, "DEEPER_HOME": str(folder.parent / "home")}
    sink = io.StringIO()
    report = ""

    def run() -> int:
        return run_evaluate(request, stdout=sink, stderr=sys.stderr, env=env)

    started = time.perf_counter()
    cpu = time.process_time()
    if profile_it:
        report = profile(run, sort="tottime", lines=25)
    else:
        code = run()
        assert code == 0, f"the LLM batch failed with exit {code}"
    elapsed = time.perf_counter() - started
    files = len(list(folder.glob("*.json")))
    assert len(sink.getvalue().splitlines()) == files
    return elapsed, (time.process_time() - cpu) / files, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--rss-files", type=int, default=10_000)
    parser.add_argument("--llm-files", type=int, default=200)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[4, 8, 16])
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    persona = resolve_persona("maria-freight-cfo")

    with tempfile.TemporaryDirectory(prefix="deeper-bench-") as temp:
        base = Path(temp)
        paths = generate(base / "heuristic", args.files, persona)
        bare_pass(paths[:50])  # warm the page cache and the interpreter for both sides
        full_path(paths[:50])
        bare, bare_cpu = rate(bare_pass, paths)
        generate(base / "fresh", args.files, persona, seed=11)  # new texts: no cache hits
        fresh = sorted((base / "fresh").glob("*.json"))
        full, full_cpu = rate(full_path, fresh)
        print(
            f"heuristic judge, full path (read + import + judge), "
            f"{args.files} files x {TURNS} turns:"
        )
        print(f"  {full:,.0f} transcripts/s, {full_cpu:,.0f} per CPU second (target >= 2,000/s)")
        print(f"  bare json.load + one regex pass: {bare:,.0f}/s, {bare_cpu:,.0f} per CPU second")
        print(f"  full path costs {bare_cpu / full_cpu:.1f}x the bare pass's CPU (target <= 3x)")
        cli = base / "cli"
        generate(cli, args.files, persona, seed=29)
        print(f"deeper evaluate --format jsonl, {args.files} files, start-up included:")
        for workers in (1, os.cpu_count() or 1):
            seconds, _ = peak_rss(cli, base / "cli.jsonl", workers)
            print(
                f"  --concurrency {workers}: {args.files / seconds:,.0f} transcripts/s "
                f"({seconds:.2f} s)"
            )
        if args.profile:
            again = generate(base / "profiled", min(args.files, 500), persona, seed=13)
            print(profile(lambda: full_path(again)))

        small = base / "rss-small"
        generate(small, args.rss_files // 10, persona, seed=17)
        big = base / "rss-big"
        generate(big, args.rss_files, persona, seed=19)
        small_time, small_rss = peak_rss(small, base / "small.jsonl")
        big_time, big_rss = peak_rss(big, base / "big.jsonl")
        print("deeper evaluate --format jsonl as a child process:")
        print(
            f"  {args.rss_files // 10:,} files: peak RSS {small_rss / 1024:.0f} MB "
            f"in {small_time:.1f} s"
        )
        print(
            f"  {args.rss_files:,} files: peak RSS {big_rss / 1024:.0f} MB in {big_time:.1f} s "
            f"({args.rss_files / big_time:,.0f} transcripts/s including start-up)"
        )

        llm_folder = base / "llm"
        generate(llm_folder, args.llm_files, persona, seed=23)
        server, base_url = scripted_server(json.dumps(judgement_for(persona)))
        try:
            print(
                f"LLM judge, {args.llm_files} files, the scripted server in its own process "
                f"answering after {LATENCY * 1000:.0f} ms:"
            )
            for concurrency in args.concurrency:
                elapsed, cpu, _ = llm_batch(llm_folder, base_url, concurrency, False)
                ideal = args.llm_files / concurrency * LATENCY
                print(
                    f"  concurrency {concurrency:>2}: {elapsed:.2f} s against an ideal "
                    f"{ideal:.2f} s: {ideal / elapsed:.0%} of ideal (target >= 90%); "
                    f"{cpu * 1000:.1f} ms CPU per file, {LATENCY / concurrency * 1000:.1f} ms "
                    "available"
                )
            if args.profile:
                print(llm_batch(llm_folder, base_url, args.concurrency[-1], True)[2])
        finally:
            assert server.stdin is not None
            server.stdin.close()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
