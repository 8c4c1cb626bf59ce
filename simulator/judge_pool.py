"""The heuristic judge over many files: in worker processes, one per core, results in order.

The judge is pure Python and CPU-bound, so threads would share one core; processes do not.
Workers are forked with the judge loaded (from a fork server when a progress bar's thread
runs), ignore Ctrl-C (the parent stops them), and send back each file's evaluation or the
line saying why it has none.
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from simulator.evaluation import Evaluation
from simulator.importers import TranscriptImportError, load_conversation
from simulator.judge import judge
from simulator.persona import Persona

# Files per task: enough to make the round trip cheap, few enough to keep results in order
# without holding many back.
CHUNK = 32
# Below this many files, starting the workers costs more than they save.
MIN_FILES = 1000
# A batch makes many short-lived objects and few cycles: collect the young ones less often.
YOUNG_THRESHOLD = 20_000

Outcome = Evaluation | str


def judge_file(path: Path, rep: str | None, persona: Persona | None) -> Outcome:
    """One file's evaluation, or the `path: reason` line saying why it has none."""
    try:
        transcript = load_conversation(path, rep)
    except TranscriptImportError as exc:
        return str(exc)
    try:
        return judge(transcript, persona or transcript.persona, str(path))
    except Exception as exc:  # a judge bug must not cost the rest of the batch
        return judge_bug(path, exc)


def judge_bug(path: Path, exc: Exception) -> str:
    detail = " ".join(str(exc).split())[:200]
    return f"{path}: the judge failed ({type(exc).__name__}: {detail}); please report it"


def settle_collector() -> None:
    """Keep the collector off what is already loaded (modules, schemas, personas)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])


def judged_here(
    paths: Sequence[Path], rep: str | None, persona: Persona | None
) -> Iterator[Outcome]:
    settle_collector()
    for path in paths:
        yield judge_file(path, rep, persona)


def _start_method() -> str:
    # A fork starts with the judge already loaded, but is only safe while no other thread
    # runs: a progress bar's refresh thread may hold a lock the child would wait on forever.
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return "fork"
    return "forkserver"


_job: tuple[str | None, Persona | None] = (None, None)


def _start_worker(rep: str | None, persona: Persona | None) -> None:
    global _job
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _job = (rep, persona)
    settle_collector()


def _judge_in_worker(path: Path) -> str | tuple[str]:
    # JSON crosses between processes several times faster than a pickled Evaluation.
    outcome = judge_file(path, *_job)
    return outcome if isinstance(outcome, str) else (outcome.model_dump_json(),)


def _received(sent: str | tuple[str]) -> Outcome:
    return sent if isinstance(sent, str) else Evaluation.model_validate_json(sent[0])


def judged(
    paths: Sequence[Path], rep: str | None, persona: Persona | None, workers: int
) -> Iterator[Outcome]:
    """Each file's outcome, in the order of `paths`, from up to `workers` processes."""
    if workers < 2 or len(paths) < MIN_FILES:
        yield from judged_here(paths, rep, persona)
        return
    context = multiprocessing.get_context(_start_method())
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload([__name__])
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(rep, persona)
    )
    try:
        for sent in pool.map(_judge_in_worker, paths, chunksize=CHUNK):
            yield _received(sent)
    finally:
        # Interrupted or done: drop the chunks not started; the running ones end in ms.
        pool.shutdown(wait=True, cancel_futures=True)
