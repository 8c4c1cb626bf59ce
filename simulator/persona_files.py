"""Reading persona YAML files, with every problem reported at its file and line."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args, get_origin

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError

from simulator.persona import DuplicatePriority, Persona, Slug

PERSONA_SUFFIXES = (".yaml", ".yml")
NO_FIELD = "-"
# Far beyond any real persona; keeps a hostile or mistaken input from stalling a check.
MAX_BYTES = 1_000_000
# Aliases can nest into exponentially large data (the "billion laughs"); real personas are tiny.
MAX_NODES = 100_000
_SLUG: TypeAdapter[str] = TypeAdapter(Slug)
# Nesting deeper than this (a bound, see `_loader_for`) is parsed by the pure-Python loader.
C_LOADER_DEPTH = 1000


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


class PersonaFileError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class PersonaFile:
    """One file read as far as it goes: the persona if valid, else its problems."""

    path: Path
    persona: Persona | None
    problems: list[Problem] = field(default_factory=list)
    # The file's own `id` when it is a valid id, even if the rest of the file is broken.
    declared_id: str | None = None


def load_persona(path: Path) -> Persona:
    result = read_persona_file(path)
    if result.persona is None:
        raise PersonaFileError(result.problems)
    return result.persona


def check_paths(paths: list[Path]) -> list[Problem]:
    problems: list[Problem] = []
    for path in expand_paths(paths):
        problems.extend(read_persona_file(path).problems)
    return problems


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders become every persona file inside them, recursively, sorted."""
    files: list[Path] = []
    for path in paths:
        files.extend(persona_files_in(path) if path.is_dir() else [path])
    return files


def persona_files_in(folder: Path) -> list[Path]:
    return sorted(
        path
        for path in folder.rglob("*")
        if path.suffix.lower() in PERSONA_SUFFIXES and path.is_file()
    )


def read_persona_file(path: Path) -> PersonaFile:
    """Never raises for bad input: everything wrong ends up in `problems`."""
    text = _read_text(path)
    if isinstance(text, Problem):
        return PersonaFile(path, None, [text])
    try:
        return _read_persona_text(path, text)
    except RecursionError:
        return PersonaFile(path, None, [Problem(path, 1, NO_FIELD, "YAML nesting too deep")])


Locate = Callable[[tuple[int | str, ...]], tuple[int, str]]


def locator(path: Path) -> Locate:
    """For a file that reads without problems: the line and dotted name of a field by its loc."""
    text = _read_text(path)
    root = None if isinstance(text, Problem) else _parse_yaml(text)[0]

    def locate(loc: tuple[int | str, ...]) -> tuple[int, str]:
        return _locate(root, loc) if root is not None else (1, _dotted(loc))

    return locate


def _read_text(path: Path) -> str | Problem:
    def fail(message: str, line: int = 1) -> Problem:
        return Problem(path, line, NO_FIELD, message)

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return fail("file not found")
    except IsADirectoryError:
        return fail("is a folder, not a persona file")
    except PermissionError:
        return fail("permission denied")
    except OSError as exc:
        return fail(f"cannot read file: {exc.strerror or exc}")
    except ValueError:  # a NUL byte in the path itself
        return fail("not a valid file name")
    if len(raw) > MAX_BYTES:
        return fail(f"file too large for a persona ({len(raw)} bytes)")
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        # Windows editors save "Unicode" text as UTF-16, which YAML allows; its BOM says so.
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            return fail("not valid UTF-16 text")
    if b"\0" in raw:
        return fail("binary file, not YAML text", raw[: raw.index(b"\0")].count(b"\n") + 1)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return fail("not UTF-8 text", raw[: exc.start].count(b"\n") + 1)


def _read_persona_text(path: Path, text: str) -> PersonaFile:
    def fail(message: str, line: int = 1) -> PersonaFile:
        return PersonaFile(path, None, [Problem(path, line, NO_FIELD, message)])

    try:
        root, data = _parse_yaml(text)
    except yaml.MarkedYAMLError as exc:
        return fail(_yaml_message(exc), _yaml_line(exc, text))
    except ReaderError as exc:
        # libyaml counts `position` in bytes, the Python reader in characters: find it ourselves.
        line = text[: max(0, text.find(chr(exc.character)))].count("\n") + 1
        return fail(
            f"YAML syntax error: control character U+{exc.character:04X} is not allowed", line
        )
    except yaml.YAMLError as exc:
        return fail(f"YAML syntax error: {exc}")

    if root is None:
        return fail("file is empty")
    if not isinstance(root, MappingNode) or not isinstance(data, dict):
        line = root.start_mark.line + 1
        return fail(
            f"expected persona fields (key: value) at the top level, found {_kind(data)}", line
        )
    if _expanded_size(root) > MAX_NODES:
        return fail("aliases expand to too much data or refer to themselves")

    declared_id = _declared_id(data.get("id"))
    problems = list(_yaml_problems(path, root)) + _duplicate_priorities(path, root, data)
    try:
        persona = Persona.model_validate(data)
    except ValidationError as exc:
        problems += [_problem(path, root, error) for error in exc.errors(include_url=False)]
    else:
        if not problems:
            return PersonaFile(path, persona, [], persona.id)
    return PersonaFile(path, None, _unique_sorted(problems), declared_id)


def _declared_id(value: object) -> str | None:
    try:
        return _SLUG.validate_python(value)
    except ValidationError:
        return None


def _parse_yaml(text: str) -> tuple[Node | None, object]:
    # One parse gives both the node tree (for line numbers) and the data (for validation).
    loader = _loader_for(text)(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    finally:
        loader.dispose()
    return root, data


def _loader_for(text: str) -> type[yaml.SafeLoader] | type[yaml.CSafeLoader]:
    # libyaml is about fifteen times faster, but it recurses in C, so a deep enough nesting
    # crashes the process instead of raising. Every level of nesting needs one of these
    # characters, so their count bounds the depth; the Python loader raises RecursionError.
    depth_bound = sum(text.count(char) for char in "[{-?:")
    if yaml.__with_libyaml__ and depth_bound <= C_LOADER_DEPTH:
        return yaml.CSafeLoader
    return yaml.SafeLoader


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    label = "YAML error" if isinstance(exc, ConstructorError) else "YAML syntax error"
    problem = exc.problem or exc.context or "cannot parse"
    # "while parsing a block mapping" adds nothing; "expected a single document" does.
    if exc.context and exc.problem and not exc.context.startswith("while"):
        problem = f"{exc.context}, {exc.problem}"
    return f"{label}: {problem}"


def _yaml_line(exc: yaml.MarkedYAMLError, text: str) -> int:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    # An error at the end of the stream is marked one past the last line.
    return max(1, min(line, len(text.splitlines())))


def _expanded_size(root: Node) -> int:
    sizes: dict[int, int] = {}

    def size(node: Node, active: frozenset[int]) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:  # a node that contains itself through an alias
            return MAX_NODES + 1
        total = 1
        for child in _children(node):
            total += size(child, active | {key})
            if total > MAX_NODES:
                break
        sizes[key] = total
        return total

    return size(root, frozenset())


def _children(node: Node) -> Iterator[Node]:
    if isinstance(node, MappingNode):
        for key, value in node.value:
            yield key
            yield value
    elif isinstance(node, SequenceNode):
        yield from node.value


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _yaml_problems(path: Path, node: Node, trail: tuple[str, ...] = ()) -> Iterator[Problem]:
    """Duplicate keys: YAML keeps the last silently, which hides an author's mistake."""
    if isinstance(node, MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value) if isinstance(key, ScalarNode) else "?"
            if isinstance(key, ScalarNode) and name in seen:
                yield Problem(path, _line(key), _dotted(trail + (name,)), f"duplicate key {name!r}")
            seen.add(name)
            yield from _yaml_problems(path, value, trail + (name,))
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            yield from _yaml_problems(path, item, trail + (str(index),))


def _duplicate_priorities(path: Path, root: Node, data: dict[Any, Any]) -> list[Problem]:
    # The model finds these too, but only once everything else is valid; we want them all at once.
    priorities = data.get("priorities")
    if not isinstance(priorities, list):
        return []
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, priority in enumerate(priorities):
        priority_id = priority.get("id") if isinstance(priority, dict) else None
        if not isinstance(priority_id, str):
            continue
        if priority_id in seen:
            problems.append(_duplicate_problem(path, root, index, priority_id))
        seen.add(priority_id)
    return problems


def _duplicate_problem(path: Path, root: Node, index: int, priority_id: str) -> Problem:
    line, field_path = _locate(root, ("priorities", index, "id"))
    return Problem(path, line, field_path, f"duplicate priority id {priority_id!r}")


def _unique_sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(dict.fromkeys(problems), key=lambda problem: problem.line)


def _problem(path: Path, root: Node, error: ErrorDetails) -> Problem:
    loc = tuple(error["loc"])
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, DuplicatePriority):
        return _duplicate_problem(path, root, cause.index, cause.priority_id)
    line, field_path = _locate(root, loc)
    return Problem(path, line, field_path, _message(error, loc))


def _locate(root: Node, loc: tuple[int | str, ...]) -> tuple[int, str]:
    """The line of the key (or list item) that `loc` points at, and the field to name.

    A missing key is reported at the mapping that lacks it. A plain string standing in
    for a one-line list (see `Reveals`) stops the walk, so the list index is not named.
    """
    node = root
    line = _line(root)
    for depth, step in enumerate(loc):
        if isinstance(node, MappingNode):
            entry = _entry(node, str(step))
            if entry is None:
                return _line(node), _dotted(loc)
            key, node = entry
            line = _line(key)
        elif isinstance(node, SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            line = _line(node)
        else:
            return line, _dotted(loc[:depth])
    return line, _dotted(loc)


def _entry(node: MappingNode, name: str) -> tuple[Node, Node] | None:
    # The last of duplicate keys wins, as it does when the data is built.
    for key, value in reversed(node.value):
        if isinstance(key, ScalarNode) and str(key.value) == name:
            return key, value
    return None


def _dotted(loc: Iterable[int | str]) -> str:
    # A key may hold a line break or other control characters: quoted, the problem stays one line.
    steps = (str(step) if str(step).isprintable() else repr(str(step)) for step in loc)
    return ".".join(steps) or NO_FIELD


def _message(error: ErrorDetails, loc: tuple[int | str, ...]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    names = [step for step in loc if isinstance(step, str)]
    name = names[-1] if names else ""
    in_reveals = "reveals" in names[:-1]
    got = f", got {_kind(value)}"

    if kind == "missing":
        return "field required"
    if kind == "extra_forbidden":
        return _unknown_key(str(loc[-1]), _model_at(loc[:-1]))
    if kind in ("string_too_short", "too_short"):
        return "line must not be empty" if in_reveals else "must not be empty"
    if kind == "string_type":
        return "expected a text line" + got if in_reveals else "expected text" + got
    if kind == "list_type":
        if in_reveals:
            return "expected a text line or a list of text lines" + got
        if name == "priorities":
            return "expected a list of priorities" + got
        return "expected a list of text lines" + got
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        model = _model_at(loc)
        keys = f" with {', '.join(model.model_fields)}" if model else ""
        return f"expected a mapping{keys}" + got
    if kind in ("float_type", "float_parsing", "int_type", "int_parsing"):
        bounds = _bounds(loc)
        return (f"must be a number between {bounds}" if bounds else "expected a number") + got
    if kind in ("less_than_equal", "greater_than_equal", "less_than", "greater_than"):
        bounds = _bounds(loc)
        return f"must be between {bounds}" if bounds else _plain(error["msg"])
    if kind == "literal_error":
        return f"must be {ctx.get('expected', 'one of the allowed values')}, not {value!r}"
    if kind == "string_pattern_mismatch":
        return "must use only lowercase letters, digits and hyphens, like 'maria-freight-cfo'"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters"
    return _plain(error["msg"])


def _plain(message: str) -> str:
    message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return message[:1].lower() + message[1:]


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _unknown_key(name: str, model: type[BaseModel] | None) -> str:
    message = f"unknown key {name!r}"
    if model is None:
        return message
    allowed = list(model.model_fields)
    close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
    if close:
        return f"{message} (did you mean {close[0]!r}?)"
    return f"{message} (allowed: {', '.join(allowed)})"


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The schema model whose mapping sits at `loc`, following list items through."""
    current: Any = Persona
    for step in loc:
        if isinstance(step, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(step)
        if info is None:
            return None
        current = info.annotation
        while get_origin(current) is list:
            current = get_args(current)[0]
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _bounds(loc: tuple[int | str, ...]) -> str | None:
    model = _model_at(loc[:-1])
    info = model.model_fields.get(str(loc[-1])) if model and loc else None
    if info is None:
        return None
    low = high = None
    for constraint in info.metadata:
        low = getattr(constraint, "ge", low)
        high = getattr(constraint, "le", high)
    if low is None or high is None:
        return None
    return f"{low:g} and {high:g}"
