"""The `deeper` command line.

Exit codes: 0 success, 1 some inputs failed (the rest still processed), 2 usage or configuration.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from simulator import __version__


class CliError(Exception):
    """A problem the user can fix; printed as one line, exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="deeper",
        description="A practice room for discovery conversations.",
    )
    parser.add_argument("--version", action="version", version=f"deeper {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    practice = commands.add_parser("practice", help="talk with a simulated customer")
    practice.add_argument("persona", nargs="?", metavar="PERSONA", help="library id or YAML file")
    practice.add_argument("--plain", action="store_true", help="line by line on stdin/stdout")
    practice.add_argument("--offline", action="store_true", help="use the scripted customer")
    practice.add_argument(
        "--reveal", action="store_true", help="show the hidden state live (for trainers)"
    )
    practice.set_defaults(run=_practice)

    history = commands.add_parser("history", help="saved practice sessions")
    history.set_defaults(run=_history)

    personas = commands.add_parser("personas", help="list, show, check and write personas")
    persona_commands = personas.add_subparsers(
        dest="persona_command", metavar="ACTION", required=True
    )
    listing = persona_commands.add_parser("list", help="the persona library")
    listing.set_defaults(run=_personas_list)
    show = persona_commands.add_parser("show", help="a persona's public card")
    show.add_argument("persona", metavar="PERSONA", help="library id or YAML file")
    show.add_argument(
        "--reveal", action="store_true", help="add the hidden priorities (for trainers)"
    )
    show.set_defaults(run=_personas_show)
    check = persona_commands.add_parser("check", help="validate persona files")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders")
    check.add_argument(
        "--selfplay", action="store_true", help="also run the scripted reps' regression gate"
    )
    check.set_defaults(run=_personas_check)
    schema = persona_commands.add_parser("schema", help="the persona file's JSON Schema")
    schema.set_defaults(run=_personas_schema)
    new = persona_commands.add_parser("new", help="write a persona template to fill in")
    new.add_argument("persona_id", metavar="ID", help="the new persona's id")
    new.add_argument(
        "--out", type=Path, metavar="PATH", help="file or folder (default: your persona folder)"
    )
    new.set_defaults(run=_personas_new)

    selfplay = commands.add_parser("selfplay", help="let a scripted rep talk with a persona")
    selfplay.add_argument("persona", metavar="PERSONA", help="library id or YAML file")
    selfplay.add_argument(
        "--rep",
        choices=("curious", "pitchy", "interrogator", "self-serving", "assumer"),
        default="curious",
    )
    selfplay.add_argument("--voice", choices=("scripted", "llm"), default="scripted")
    selfplay.add_argument("--turns", type=int, default=12, metavar="N", help="rep turns")
    selfplay.add_argument("--format", choices=("table", "json"), default="table")
    selfplay.set_defaults(run=_selfplay)

    evaluate = commands.add_parser("evaluate", help="judge saved transcripts and real calls")
    evaluate.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="transcript JSON, .txt, .vtt or folder"
    )
    evaluate.add_argument("--persona", metavar="ID|FILE", help="the hidden priorities to judge by")
    evaluate.add_argument("--rep", metavar="NAME", help="which speaker of a call is the rep")
    evaluate.add_argument("--judge", choices=("heuristic", "llm"), default="heuristic")
    evaluate.add_argument("--runs", type=int, default=1, metavar="N", help="repeat the LLM judge")
    evaluate.add_argument(
        "--format", choices=("table", "json", "jsonl", "csv", "markdown"), default="table"
    )
    evaluate.add_argument("--out", type=Path, metavar="FILE", help="write here instead of stdout")
    evaluate.add_argument(
        "--concurrency", type=int, default=4, metavar="N", help="LLM judge: files at once"
    )
    evaluate.set_defaults(run=_evaluate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.run(args)
    except CliError as exc:
        print(f"deeper: {exc}", file=sys.stderr)
        return 2
    return code


def _practice(args: argparse.Namespace) -> int:
    if args.plain:
        from simulator.practice import run_practice

        if args.reveal:
            raise CliError("--reveal shows the hidden state in the practice room; drop --plain")
        return run_practice(args.persona, offline=args.offline)
    # The practice room imports only what its first screen needs: it paints at once.
    from simulator.tui.launch import run_practice_app

    return run_practice_app(args.persona, offline=args.offline, reveal=args.reveal)


def _history(args: argparse.Namespace) -> int:
    from simulator.history import load_history, table
    from simulator.settings import SettingsError, load_settings
    from simulator.store import sessions_dir

    try:
        folder = sessions_dir(load_settings().home)
    except SettingsError as exc:
        raise CliError(str(exc)) from exc
    history = load_history(folder)
    for problem in history.problems:
        print(f"warning: skipped {problem}", file=sys.stderr)
    if not history.sessions:
        print(f"no saved sessions in {folder}", file=sys.stderr)
    else:
        for line in table(history.sessions):
            print(line)
    return 1 if history.problems else 0


def _personas_list(args: argparse.Namespace) -> int:
    from simulator.persona_commands import list_command

    return list_command()


def _personas_show(args: argparse.Namespace) -> int:
    from simulator.persona_commands import show_command

    return show_command(args.persona, reveal=args.reveal)


def _personas_check(args: argparse.Namespace) -> int:
    from simulator.persona_commands import check_command

    return check_command(args.paths, selfplay=args.selfplay)


def _personas_schema(args: argparse.Namespace) -> int:
    from simulator.persona_commands import schema_command

    return schema_command()


def _personas_new(args: argparse.Namespace) -> int:
    from simulator.persona_commands import new_command

    return new_command(args.persona_id, args.out)


def _selfplay(args: argparse.Namespace) -> int:
    from simulator.persona_commands import selfplay_command

    return selfplay_command(args.persona, args.rep, args.voice, args.turns, args.format)


def _evaluate(args: argparse.Namespace) -> int:
    from simulator.evaluate_command import EvaluateRequest, run_evaluate

    request = EvaluateRequest(
        paths=args.paths,
        persona=args.persona,
        rep=args.rep,
        judge=args.judge,
        runs=args.runs,
        format=args.format,
        out=args.out,
        concurrency=args.concurrency,
    )
    return run_evaluate(request)


if __name__ == "__main__":
    sys.exit(main())
