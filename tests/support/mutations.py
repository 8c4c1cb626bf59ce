"""Hypothesis strategies for hostile input: random and mutated files of every kind we read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent.parent
SEEDS = {
    "persona": ROOT / "personas" / "maria-freight-cfo.yaml",
    "json": ROOT / "transcripts" / "maria-curious-session.json",
    "txt": ROOT / "transcripts" / "priya-discovery-call.txt",
    "vtt": ROOT / "transcripts" / "maria-recorded-call.vtt",
}
# Characters that mean something to YAML, JSON, WebVTT or our speaker lines.
SYNTAX = "-:[]{}&*!|>'\"#%@`,?<>\\/\n\t\r 0123456789.->WEBVTT"
# Text people really type: right-to-left scripts, emoji with joiners, combining marks.
WORLD = "مرحبا שלום 😀👩‍💻🇳🇬 é ñ ü ß 中文 русский ‏‎\u200b\ufeff"

# Times with and without a zone, and ones that are no time at all.
TIMES = ["2024-01-01T10:00:00", "2024-01-01T10:00:00Z", "2024-03-01T09:30:00+05:30", "2024-02-30"]
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40)
    | st.sampled_from(["", " ", "rep", "customer", "hidden", "fear", "deeper-transcript"])
    | st.sampled_from(TIMES)
)
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
    | st.sampled_from(["", " ", "rep", "customer", "hidden", "fear", "deeper-transcript"])
    | st.sampled_from(TIMES)
)
any_data: st.SearchStrategy[Any] = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=25,
)
json_data: st.SearchStrategy[Any] = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=25,
)
hostile_text = st.text(
    alphabet=st.sampled_from(SYNTAX + WORLD) | st.characters(codec="utf-8"), max_size=3000
)


def seed(kind: str) -> bytes:
    return SEEDS[kind].read_bytes()


@st.composite
def mutated_bytes(draw: st.DrawFn, original: bytes) -> bytes:
    """`original` after a few byte-level edits: deletions, insertions, flips, cuts, repeats."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        span = draw(st.integers(1, 64))
        edit = draw(st.sampled_from(["delete", "insert", "flip", "cut", "repeat", "swap"]))
        if edit == "delete":
            del data[at : at + span]
        elif edit == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16) | st.just(b"\n- : {[&a *a"))
        elif edit == "flip":
            data[at] = draw(st.integers(0, 255))
        elif edit == "cut":
            del data[at:]
        elif edit == "repeat":
            data[at:at] = data[at : at + span] * draw(st.integers(2, 4))
        else:
            lines = bytes(data).split(b"\n")
            a, b = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[a], lines[b] = lines[b], lines[a]
            data = bytearray(b"\n".join(lines))
    return bytes(data)


@st.composite
def mutated_data(draw: st.DrawFn, original: Any, values: st.SearchStrategy[Any]) -> Any:
    """`original` (parsed JSON or YAML) with one node replaced, removed, or a key added."""
    if not isinstance(original, dict | list) or not original:
        return draw(values)
    keys = list(original) if isinstance(original, dict) else list(range(len(original)))
    key = draw(st.sampled_from(keys))
    copy: Any = dict(original) if isinstance(original, dict) else list(original)
    action = draw(st.sampled_from(["descend", "descend", "descend", "replace", "remove", "add"]))
    if action == "descend":
        copy[key] = draw(mutated_data(copy[key], values))
    elif action == "replace":
        copy[key] = draw(values)
    elif action == "remove":
        del copy[key]
    elif isinstance(copy, dict):
        copy[draw(st.text(max_size=12))] = draw(values)
    else:
        copy.append(draw(values))
    return copy


def persona_texts() -> st.SearchStrategy[str]:
    valid = yaml.safe_load(SEEDS["persona"].read_text(encoding="utf-8"))
    as_yaml = mutated_data(valid, any_data).map(
        lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    )
    return as_yaml | hostile_text


def persona_files() -> st.SearchStrategy[bytes]:
    return (
        persona_texts().map(lambda text: text.encode("utf-8"))
        | mutated_bytes(seed("persona"))
        | st.binary(max_size=2000)
    )


def transcript_json_texts() -> st.SearchStrategy[str]:
    valid = json.loads(SEEDS["json"].read_text(encoding="utf-8"))
    return mutated_data(valid, json_data).map(lambda data: json.dumps(data, ensure_ascii=False))


def call_texts() -> st.SearchStrategy[str]:
    """Plain-text calls: `Name: text` lines, some with timestamps, in any script."""
    name = st.sampled_from(["Rep", "Customer", "Sam Patel", "مريم", "דנה", "😀 Bob", "Speaker 2"])
    stamp = st.sampled_from(["", "[00:01:02] ", "(01:02) ", "0:05 ", "12:34:56.789 "])
    line = st.builds(lambda s, n, t: f"{s}{n}: {t}", stamp, name, hostile_text)
    return st.lists(line | hostile_text, max_size=20).map("\n".join)


def vtt_texts() -> st.SearchStrategy[str]:
    timing = st.sampled_from(
        ["00:00:01.000 --> 00:00:02.000", "00:01.000 --> 00:02.000", "99:99 --> x", ""]
    )
    voice = st.sampled_from(["<v Maria Okafor>", "<v.loud Sam>", "Rep: ", "<v>", "", "<b>"])
    cue = st.builds(lambda t, v, x: f"{t}\n{v}{x}\n", timing, voice, hostile_text)
    header = st.sampled_from(["WEBVTT\n\n", "WEBVTT - title\n\n", "", "WEBVTT"])
    return st.builds(lambda h, cues: h + "\n".join(cues), header, st.lists(cue, max_size=12))


def conversation_files() -> st.SearchStrategy[tuple[str, bytes]]:
    """A file name's suffix and the bytes in it."""
    texts = st.one_of(
        st.tuples(st.just(".json"), transcript_json_texts()),
        st.tuples(st.sampled_from([".json", ".txt"]), json_data.map(json.dumps)),
        st.tuples(st.sampled_from([".txt", ".md"]), call_texts()),
        st.tuples(st.just(".vtt"), vtt_texts()),
        st.tuples(st.sampled_from([".json", ".txt", ".vtt"]), hostile_text),
    )
    encoded = texts.map(lambda pair: (pair[0], pair[1].encode("utf-8")))
    mutated = st.sampled_from(["json", "txt", "vtt"]).flatmap(
        lambda kind: st.tuples(st.just(f".{kind}"), mutated_bytes(seed(kind)))
    )
    raw = st.tuples(st.sampled_from([".json", ".txt", ".vtt"]), st.binary(max_size=2000))
    return encoded | mutated | raw
