"""How quickly the practice room paints, and how quickly it answers keys while a reply streams.

Runs `deeper practice` as a user would, in a pseudo-terminal, and reads what it draws:

- first paint of the picker: from starting the process to the picker's title on screen;
- first paint of the chat: from starting `deeper practice PERSONA` to the customer's
  opening line on screen, and from Enter in the picker to the same;
- key-press latency while the customer's reply streams at 200 tokens/s from the local
  scripted server: from writing a key to the terminal to the key's echo in the input.

    python bench/tui_latency.py [--size 120x40] [--keys 25]
"""

from __future__ import annotations

import argparse
import os
import pty
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from fcntl import ioctl
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.openai_server import OpenAIServer, Reply  # noqa: E402

PERSONA = "maria-freight-cfo"
PICKER_TEXT = b"Who would you like to practise with?"
OPENING_TEXT = b"twenty minutes"
STREAM_WORDS = 1200  # six seconds at 200 tokens/s
# Typed while the reply streams. A key's echo is the input's text ending in that key: the
# last few characters typed, together, appear nowhere else on screen.
TYPED = "q7z3x9k5j2v8w4f6" * 8
ECHO = 5
# Control sequences carry digits of their own (cursor moves, colours): read only the text.
ESCAPES = re.compile(
    rb"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78])"
)
TOKENS_PER_SECOND = 200


class Terminal:
    """`deeper` in a pseudo-terminal of a given size; `screen` is everything it wrote."""

    def __init__(self, args: list[str], env: dict[str, str], size: tuple[int, int]) -> None:
        self.master, slave = pty.openpty()
        columns, rows = size
        ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "simulator", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self.screen = b""

    def read(self, timeout: float) -> bytes:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return b""
        try:
            data = os.read(self.master, 65536)
        except OSError:
            return b""
        self.screen += data
        return data

    def wait_for(self, found: Callable[[bytes], bool], timeout: float = 20.0) -> float:
        """Read until `found(text of the new output)` holds; return the moment it did."""
        seen = b""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            seen += self.read(0.05)
            if found(ESCAPES.sub(b"", seen)):
                return time.perf_counter()
        tail = self.screen[-400:].decode(errors="replace")
        raise SystemExit(f"timed out waiting for the screen; last output: {tail!r}")

    def wait_text(self, text: bytes, timeout: float = 20.0) -> float:
        return self.wait_for(lambda seen: text in seen, timeout)

    def write(self, data: bytes) -> float:
        now = time.perf_counter()
        os.write(self.master, data)
        return now

    def drain(self, seconds: float) -> None:
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            self.read(0.02)

    def close(self) -> None:
        with_quit = self.process.poll() is None
        if with_quit:
            self.write(b"\x11")  # Ctrl+Q
            deadline = time.perf_counter() + 5
            while self.process.poll() is None and time.perf_counter() < deadline:
                self.read(0.05)
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(5)
        os.close(self.master)


def environment(home: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "DEEPER_MODEL", "DEEPER_TIMEOUT")
    }
    env.update(
        TERM="xterm-256color",
        COLORTERM="truecolor",
        DEEPER_HOME=str(home),
        DEEPER_PERSONAS_DIR=str(home / "personas"),
        **extra,
    )
    return env


def first_paint(home: Path, size: tuple[int, int]) -> tuple[float, float, float]:
    """Seconds to the picker, to the chat from Enter in the picker, to the chat from start."""
    env = environment(home)
    terminal = Terminal(["practice", "--offline"], env, size)
    try:
        picker = terminal.wait_text(PICKER_TEXT) - terminal.started
        terminal.write(b"maria")
        # The filter has taken: only Maria's card is left (the first card's name goes).
        terminal.wait_text(b"Maria Okafor")
        terminal.drain(1.0)
        pressed = terminal.write(b"\r")
        from_picker = terminal.wait_text(OPENING_TEXT) - pressed
    finally:
        terminal.close()
    terminal = Terminal(["practice", PERSONA, "--offline"], env, size)
    try:
        chat = terminal.wait_text(OPENING_TEXT) - terminal.started
    finally:
        terminal.close()
    return picker, from_picker, chat


def stream_text() -> str:
    """A long reply as a model writes one: paragraphs of some fifty words."""
    vocabulary = "month end is always a scramble here and the team has had a long year".split()
    words = [vocabulary[i % len(vocabulary)] for i in range(STREAM_WORDS)]
    paragraphs = [" ".join(words[i : i + 50]) for i in range(0, len(words), 50)]
    return "\n\n".join(paragraphs)


def key_latency(home: Path, size: tuple[int, int], keys: int) -> list[float]:
    """Seconds from each key written to its echo, while a reply streams at 200 tokens/s."""
    words = stream_text()
    with OpenAIServer() as server:
        server.default = Reply(words, chunk_delay=1 / TOKENS_PER_SECOND)
        env = environment(home, OPENAI_BASE_URL=server.base_url, DEEPER_MODEL="bench-model")
        terminal = Terminal(["practice", PERSONA], env, size)
        try:
            terminal.wait_text(OPENING_TEXT)
            terminal.drain(0.5)
            terminal.write(b"What keeps you busy?\r")
            terminal.wait_text(b"scramble")
            terminal.drain(0.3)
            latencies: list[float] = []
            for index in range(keys):
                echo = TYPED[max(0, index + 1 - ECHO) : index + 1].encode()
                sent = terminal.write(TYPED[index].encode())
                echoed = terminal.wait_for(lambda seen, e=echo: e in seen, timeout=5)
                latencies.append(echoed - sent)
                terminal.drain(0.08)
            streaming = b"scramble" in terminal.read(0.2) or terminal.process.poll() is None
        finally:
            terminal.close()
    if not streaming:
        print("warning: the reply may have finished before the last key", file=sys.stderr)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="120x40", help="terminal COLUMNSxROWS")
    parser.add_argument("--keys", type=int, default=40, help="keys typed during the stream")
    parser.add_argument("--runs", type=int, default=3, help="first-paint runs (median shown)")
    args = parser.parse_args()
    columns, rows = (int(part) for part in args.size.split("x"))
    size = (columns, rows)
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        paints = [first_paint(home, size) for _ in range(args.runs)]
        columns_of = zip(*paints, strict=True)
        picker, from_picker, chat = (statistics.median(column) for column in columns_of)
        latencies = key_latency(home, size, args.keys)
    ms = sorted(value * 1000 for value in latencies)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    print(f"terminal {columns}x{rows}, median of {args.runs} runs")
    print(f"first paint, picker (process start):        {picker * 1000:6.0f} ms  (target < 1000)")
    print(f"first paint, chat (process start):          {chat * 1000:6.0f} ms  (target < 1000)")
    print(f"first paint, chat (Enter in the picker):    {from_picker * 1000:6.0f} ms")
    print(
        f"key latency while streaming {TOKENS_PER_SECOND} tokens/s ({len(ms)} keys): "
        f"median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, max {ms[-1]:.1f} ms "
        "(target < 50)"
    )


if __name__ == "__main__":
    main()
