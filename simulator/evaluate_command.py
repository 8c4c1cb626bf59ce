"""`deeper evaluate`: judge saved and imported conversations, one or ten thousand at a time.

A bad file is reported on stderr as `path: reason` and skipped; the rest are still judged
and the exit code is 1. Usage and configuration problems are found before anything is
read or written, and exit 2. Results stream to the report as they finish; with `--out`
they go to a temporary file renamed into place at the end.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TextIO

from simulator.batch_progress import BatchProgress, progress_for
from simulator.evaluation import Evaluation
from simulator.importers import SUFFIXES, TranscriptImportError, load_conversation
from simulator.importers import conversation_files as files_in
from simulator.judge import judge
from simulator.judge_pool import judge_bug, judged
from simulator.library import PersonaClash, UnknownPersona, resolve_persona
from simulator.output_file import OutputFile
from simulator.persona import Persona
from simulator.persona_files import PersonaFileError
from simulator.report_formats import Format, Report, make_report
from simulator.settings import Settings, SettingsError, load_settings
from simulator.transcript import Transcript

JudgeKind = Literal["heuristic", "llm"]
DEFAULT_CONCURRENCY = 4
NO_MODEL = (
    "--judge llm needs a model: set OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL "
    "(Ollama, vLLM, llama.cpp, LM Studio), and DEEPER_JUDGE_MODEL or DEEPER_MODEL"
)
INTERRUPTED = 130


@dataclass(frozen=True)
class EvaluateRequest:
    paths: Sequence[Path]
    persona: str | None = None
    rep: str | None = None
    judge: JudgeKind = "heuristic"
    runs: int = 1
    format: Format = "table"
    out: Path | None = None
    concurrency: int = DEFAULT_CONCURRENCY


class UsageProblem(Exception):
    """Something to fix on the command line or in the configuration: exit 2."""


@dataclass
class Tally:
    total: int
    evaluated: int = 0
    failed: int = 0
    # Set when the model server stopped the batch (unreachable, wrong key or model).
    stopped: str | None = None


@dataclass
class Batch:
    request: EvaluateRequest
    settings: Settings
    persona: Persona | None
    report: Report
    progress: BatchProgress
    tally: Tally
    files: list[Path] = field(default_factory=list)

    def load(self, path: Path) -> tuple[Transcript, Persona | None] | None:
        try:
            transcript = load_conversation(path, self.request.rep)
        except TranscriptImportError as exc:
            self.failed(str(exc))
            return None
        return transcript, self.persona or transcript.persona

    def failed(self, line: str) -> None:
        self.progress.problem(line)
        self.tally.failed += 1
        self.progress.advance()

    def done(self, evaluation: Evaluation) -> None:
        self.report.add(evaluation)
        self.tally.evaluated += 1
        self.progress.advance()


def run_evaluate(
    request: EvaluateRequest,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    env: Mapping[str, str] | None = None,
) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        settings, persona = _check(request, env)
        if request.judge == "llm":
            _check_server(settings)
    except UsageProblem as exc:
        err.write(f"deeper: {exc}\n")
        return 2
    files, missing = expand(request.paths, exclude=request.out)
    sink = OutputFile(request.out) if request.out is not None else None
    report = make_report(request.format, sink.handle if sink else out)
    progress = progress_for(err, len(files))
    tally = Tally(total=len(files))
    batch = Batch(request, settings, persona, report, progress, tally, files)
    for line in missing:
        progress.problem(line)
        tally.failed += 1
    try:
        if request.judge == "llm":
            asyncio.run(_judge_with_model(batch))
        else:
            _judge_here(batch)
        report.finish()
    except KeyboardInterrupt:
        progress.close()
        return _interrupted(batch, sink, err)
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as other command-line tools do.
        progress.close()
        if sink is not None:
            sink.discard()
        _silence(out)
        return 1
    except BaseException:
        progress.close()
        if sink is not None:
            sink.discard()
        raise
    progress.close()
    if sink is not None:
        sink.commit()
    return _finish(batch, err)


def _check(
    request: EvaluateRequest, env: Mapping[str, str] | None
) -> tuple[Settings, Persona | None]:
    if request.runs < 1:
        raise UsageProblem(f"--runs must be at least 1, got {request.runs}")
    if request.concurrency < 1:
        raise UsageProblem(f"--concurrency must be at least 1, got {request.concurrency}")
    if request.runs > 1 and request.judge != "llm":
        raise UsageProblem("--runs repeats the LLM judge; the heuristic judge gives one answer")
    if not request.paths:
        raise UsageProblem("name at least one transcript file or folder")
    try:
        settings = load_settings(env)
    except SettingsError as exc:
        raise UsageProblem(str(exc)) from None
    if request.judge == "llm" and not settings.online:
        raise UsageProblem(NO_MODEL)
    if request.out is not None:
        _check_out(request.out)
    persona = None
    if request.persona is not None:
        try:
            persona = resolve_persona(request.persona)
        except (UnknownPersona, PersonaClash) as exc:
            raise UsageProblem(f"--persona: {exc}") from None
        except PersonaFileError as exc:
            first = exc.problems[0] if exc.problems else exc
            raise UsageProblem(f"--persona: {first}") from None
    return settings, persona


def _check_server(settings: Settings) -> None:
    # Said once before any file is read, rather than once per file after its retries.
    from simulator.preflight import server_problem

    unusable = server_problem(settings)
    if unusable is not None:
        raise UsageProblem(unusable)


def _check_out(out: Path) -> None:
    if out.is_dir():
        raise UsageProblem(f"--out {out}: is a folder; name a file")
    folder = out.parent
    if not folder.is_dir():
        raise UsageProblem(f"--out {out}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise UsageProblem(f"--out {out}: cannot write in {folder}")


def expand(paths: Sequence[Path], exclude: Path | None = None) -> tuple[list[Path], list[str]]:
    """The files to judge, and a problem line for each folder without any."""
    skip = exclude.resolve() if exclude is not None else None
    files: list[Path] = []
    problems: list[str] = []
    for path in paths:
        found = [item for item in _files(path) if skip is None or item.resolve() != skip]
        if path.is_dir() and not found:
            kinds = ", ".join(SUFFIXES)
            problems.append(f"{path}: no transcript files ({kinds}) in this folder")
        files.extend(found)
    return files, problems


def _files(path: Path) -> Iterator[Path]:
    for item in files_in([path]):
        # Hidden files and folders (.git, an editor's backups) are not transcripts.
        if path.is_dir() and any(part.startswith(".") for part in item.relative_to(path).parts):
            continue
        yield item


def _judge_here(batch: Batch) -> None:
    request = batch.request
    workers = min(request.concurrency, os.cpu_count() or 1)
    for outcome in judged(batch.files, request.rep, batch.persona, workers):
        if isinstance(outcome, str):
            batch.failed(outcome)
        else:
            batch.done(outcome)


async def _judge_with_model(batch: Batch) -> None:
    from simulator.llm_judge import JudgeError, LLMJudge

    request = batch.request
    model = LLMJudge(batch.settings, judge)
    pending = iter(batch.files)

    async def worker() -> None:
        # Workers share one iterator: at most `concurrency` files are open at any time.
        for path in pending:
            if batch.tally.stopped:
                return
            loaded = batch.load(path)
            if loaded is None:
                continue
            transcript, persona = loaded
            try:
                evaluation = await model.evaluate(transcript, persona, str(path), request.runs)
            except JudgeError as exc:
                if exc.fatal:
                    batch.tally.stopped = batch.tally.stopped or str(exc)
                    return
                batch.failed(f"{path}: {exc}")
                continue
            except Exception as exc:  # a judge bug must not cost the rest of the batch
                batch.failed(judge_bug(path, exc))
                continue
            batch.done(evaluation)

    try:
        await asyncio.gather(*(worker() for _ in range(request.concurrency)))
    finally:
        await model.aclose()


def _finish(batch: Batch, err: TextIO) -> int:
    tally = batch.tally
    out = batch.request.out
    if tally.stopped:
        err.write(f"deeper: stopped after {tally.evaluated} of {tally.total}: {tally.stopped}\n")
        return 2
    if tally.failed or out is not None:
        written = f"; results in {out}" if out is not None else ""
        skipped = f", {tally.failed} skipped" if tally.failed else ""
        err.write(f"{tally.evaluated} evaluated{skipped}{written}\n")
    return 1 if tally.failed else 0


def _silence(stream: TextIO) -> None:
    """Point a closed stdout at /dev/null so the interpreter's last flush does not fail."""
    try:
        fileno = stream.fileno()
    except (OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fileno)
    os.close(devnull)


def _interrupted(batch: Batch, sink: OutputFile | None, err: TextIO) -> int:
    tally = batch.tally
    kept = ""
    if sink is not None:
        if batch.report.line_oriented:
            lines = sink.commit_complete_lines()
            # A CSV starts with its header; a JSON line is one result.
            results = lines if batch.request.format == "jsonl" else tally.evaluated
            kept = f"; {sink.path} holds the {results} complete results"
        else:
            sink.discard()
            kept = f"; {sink.path} was not written"
    err.write(f"interrupted after {tally.evaluated} of {tally.total} transcripts{kept}\n")
    return INTERRUPTED
