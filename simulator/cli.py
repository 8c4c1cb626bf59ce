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
    practice.set_defaults(run=_practice)

    personas = commands.add_parser("personas", help="list and check personas")
    persona_commands = personas.add_subparsers(
        dest="persona_command", metavar="ACTION", required=True
    )
    listing = persona_commands.add_parser("list", help="the persona library")
    listing.set_defaults(run=_personas_list)
    check = persona_commands.add_parser("check", help="validate persona files")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders")
    check.set_defaults(run=_personas_check)
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
    from simulator.practice import run_practice

    return run_practice(args.persona, offline=args.offline)


def _personas_list(args: argparse.Namespace) -> int:
    from simulator.library import PersonaClash, library_files, list_personas

    try:
        personas = list_personas()
        files = library_files()
    except PersonaClash as exc:
        raise CliError(str(exc)) from exc
    width = max((len(p.id) for p in personas), default=2)
    for persona in personas:
        print(
            f"{persona.id:<{width}}  {persona.kind:<13}  {persona.headline}  ({files[persona.id]})"
        )
    return 0


def _personas_check(args: argparse.Namespace) -> int:
    from simulator.library import library_files
    from simulator.persona_files import check_paths

    paths = args.paths or sorted(set(library_files().values()))
    problems = check_paths(paths)
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(f"{len(paths)} persona path(s) checked, no problems", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
