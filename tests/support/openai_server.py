"""A small scripted OpenAI-compatible HTTP server for tests and benchmarks.

Standard library only. Each chat request consumes one scripted step from a queue
(``server.enqueue(...)``); when the queue is empty ``server.default`` answers.

    with OpenAIServer() as server:
        server.enqueue(Reply("Hello there."), Fail(429, retry_after=1))
        client = openai.AsyncOpenAI(base_url=server.base_url, api_key="test")

Streams use HTTP/1.1 chunked transfer encoding, one SSE event per chunk, written
straight to the socket with Nagle disabled. The first content chunk carries
``role: "assistant"``, so a reply of N pieces is exactly N content chunks,
followed by a ``finish_reason: "stop"`` chunk and ``data: [DONE]``.

Run by hand: ``python -m tests.support.openai_server --port 8765 --text "Hi."``
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import socket
import socketserver
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeAlias


@dataclass(frozen=True)
class Reply:
    """Answer with ``text``: ``chunks`` pieces when streaming (default: one per word)."""

    text: str
    chunks: int | None = None
    delay: float = 0.0  # seconds before the status line and headers are sent
    chunk_delay: float = 0.0  # seconds between content chunks


@dataclass(frozen=True)
class Fail:
    """Answer with HTTP ``status`` and an OpenAI-shaped JSON error body."""

    status: int
    message: str = "Scripted failure."
    retry_after: float | str | None = None


@dataclass(frozen=True)
class Drop:
    """Stream ``after_chunks`` content chunks of ``text``, then cut the connection."""

    after_chunks: int = 1
    text: str = "I was just about to tell you the most important part of"


@dataclass(frozen=True)
class Empty:
    """A successful reply with no content at all."""


@dataclass(frozen=True)
class Json:
    """Reply with ``json.dumps(obj)`` as the content."""

    obj: Any
    chunks: int | None = None
    chunk_delay: float = 0.0

    def as_reply(self) -> Reply:
        return Reply(json.dumps(self.obj), chunks=self.chunks, chunk_delay=self.chunk_delay)


@dataclass(frozen=True)
class Dynamic:
    """Decide the step from the parsed request body, e.g. to echo the last message."""

    fn: Callable[[dict[str, Any]], Step]


Step: TypeAlias = Reply | Fail | Drop | Empty | Json | Dynamic


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str] = field(repr=False)  # lowercase keys
    body: dict[str, Any] | None


def split_text(text: str, chunks: int | None = None) -> list[str]:
    """Split ``text`` into stream pieces whose concatenation is exactly ``text``."""
    if chunks is None:
        return re.findall(r"\s*\S+(?:\s+\Z)?|\s+\Z", text)  # "Hi there " -> "Hi", " there "
    n = max(1, min(chunks, len(text)))
    bounds = [i * len(text) // n for i in range(n + 1)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


_ERROR_KINDS = {
    401: ("invalid_request_error", "invalid_api_key"),
    429: ("requests", "rate_limit_exceeded"),
}


def _error_body(status: int, message: str, code: str | None = None) -> dict[str, Any]:
    fallback = ("server_error" if status >= 500 else "invalid_request_error", None)
    kind, default_code = _ERROR_KINDS.get(status, fallback)
    return {
        "error": {"message": message, "type": kind, "param": None, "code": code or default_code}
    }


def _usage(body: dict[str, Any], text: str) -> dict[str, int]:
    """Rough token counts: whitespace-separated words."""
    messages = body.get("messages")
    prompt = sum(
        len(m["content"].split())
        for m in (messages if isinstance(messages, list) else [])
        if isinstance(m, dict) and isinstance(m.get("content"), str)
    )
    words = len(text.split())
    return {"prompt_tokens": prompt, "completion_tokens": words, "total_tokens": prompt + words}


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, owner: OpenAIServer, address: tuple[str, int]) -> None:
        self.owner = owner
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # Skip HTTPServer.server_bind's socket.getfqdn(), which may wait on DNS.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]

    def process_request(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any
    ) -> None:
        thread = threading.Thread(
            target=self.process_request_thread, args=(request, client_address), daemon=True
        )
        if isinstance(request, socket.socket) and self.owner._track(request, thread):
            thread.start()
        else:
            self.shutdown_request(request)

    def process_request_thread(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any
    ) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            if isinstance(request, socket.socket):
                self.owner._untrack(request)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _HTTPServer

    def handle(self) -> None:
        with contextlib.suppress(OSError):  # the client went away, or we are closing
            super().handle()

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.owner.verbose:
            super().log_message(format, *args)

    def do_GET(self) -> None:
        self._route()

    def do_POST(self) -> None:
        self._route()

    def _route(self) -> None:
        owner = self.server.owner
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        body = parsed if isinstance(parsed, dict) else None
        path = self.path.split("?", 1)[0]
        headers = {key.lower(): value for key, value in self.headers.items()}
        owner._record(RecordedRequest(self.command, path, headers, body))
        if (self.command, path) == ("POST", "/v1/chat/completions"):
            self._chat(body)
        elif (self.command, path) == ("GET", "/v1/models") and owner.models_failure:
            failure = owner.models_failure
            self._send_json(failure.status, _error_body(failure.status, failure.message))
        elif (self.command, path) == ("GET", "/v1/models"):
            model = {"id": owner.model, "object": "model", "created": 0, "owned_by": "deeper"}
            self._send_json(200, {"object": "list", "data": [model]})
        else:
            message = f"Unknown request URL: {self.command} {path}."
            self._send_json(404, _error_body(404, message, "unknown_url"))

    def _chat(self, body: dict[str, Any] | None) -> None:
        if body is None:
            message = "We could not parse the JSON body of your request."
            return self._send_json(400, _error_body(400, message))
        step = self.server.owner._next_step()
        try:
            while isinstance(step, Dynamic | Json | Empty):
                step = step.fn(body) if isinstance(step, Dynamic) else _plain(step)
        except Exception as exc:  # surface the test's own bug as a 500 the test can see
            return self._send_json(500, _error_body(500, f"Dynamic step raised {exc!r}"))
        stream = body.get("stream") is True
        head = {
            "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
            "object": "chat.completion.chunk" if stream else "chat.completion",
            "created": int(time.time()),
            "model": str(body.get("model") or self.server.owner.model),
        }
        if isinstance(step, Fail):
            extra = {}
            if step.retry_after is not None:
                value = step.retry_after
                if not isinstance(value, str):
                    value = str(int(value)) if float(value).is_integer() else str(value)
                extra["Retry-After"] = value
            self._send_json(step.status, _error_body(step.status, step.message), extra)
        elif isinstance(step, Drop):
            if stream:
                self._start_stream()
                for i, piece in enumerate(split_text(step.text)[: step.after_chunks]):
                    self._event(_chunk(head, _delta(i, piece), None))
            self._drop()
        elif step.delay and self.server.owner._closing.wait(step.delay):
            self._drop()
        elif stream:
            self._stream(step, body, head)
        else:
            answer = {"role": "assistant", "content": step.text, "refusal": None}
            choice = {"index": 0, "message": answer, "logprobs": None, "finish_reason": "stop"}
            usage = _usage(body, step.text)
            self._send_json(200, {**head, "choices": [choice], "usage": usage})

    def _stream(self, reply: Reply, body: dict[str, Any], head: dict[str, Any]) -> None:
        self._start_stream()
        pieces = split_text(reply.text, reply.chunks)
        if not pieces:  # nothing to say: a bare role delta, then stop
            self._event(_chunk(head, {"role": "assistant"}, None))
        for i, piece in enumerate(pieces):
            if i and reply.chunk_delay and self.server.owner._closing.wait(reply.chunk_delay):
                return self._drop()
            self._event(_chunk(head, _delta(i, piece), None))
        self._event(_chunk(head, {}, "stop"))
        options = body.get("stream_options")
        if isinstance(options, dict) and options.get("include_usage"):
            self._event({**head, "choices": [], "usage": _usage(body, reply.text)})
        self._write_chunk(b"data: [DONE]\n\n")
        self._write_chunk(b"")  # the zero-length chunk that ends the body

    def _send_json(self, status: int, obj: Any, extra: dict[str, str] | None = None) -> None:
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-request-id", f"req_{uuid.uuid4().hex[:16]}")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _start_stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("x-request-id", f"req_{uuid.uuid4().hex[:16]}")
        self.end_headers()

    def _event(self, obj: Any) -> None:
        self._write_chunk(b"data: " + json.dumps(obj).encode() + b"\n\n")

    def _write_chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))  # one write, one segment
        self.wfile.flush()

    def _drop(self) -> None:
        """Cut the connection: FIN with no response, or mid-body with no terminator."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


def _plain(step: Json | Empty) -> Reply:
    return step.as_reply() if isinstance(step, Json) else Reply("")


def _chunk(head: dict[str, Any], delta: dict[str, str], finish: str | None) -> dict[str, Any]:
    choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
    return {**head, "choices": [choice]}


def _delta(index: int, piece: str) -> dict[str, str]:
    return {"role": "assistant", "content": piece} if index == 0 else {"content": piece}


class OpenAIServer:
    """Scripted OpenAI-compatible server on 127.0.0.1, served from a daemon thread."""

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, *, model: str = "scripted-model"
    ) -> None:
        self.host, self.model, self.verbose = host, model, False
        self.default: Step = Reply("Fine.")
        # Set to make ``GET /v1/models`` fail, as a server that refuses the key does.
        self.models_failure: Fail | None = None
        self._port = port
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._queue: deque[Step] = deque()
        self._requests: list[RecordedRequest] = []
        self._connections: dict[socket.socket, threading.Thread] = {}
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("OpenAIServer is not running")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    @property
    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        """The chat completion requests alone, without checks such as ``GET /v1/models``."""
        return [r for r in self.requests if r.path == "/v1/chat/completions"]

    @property
    def pending(self) -> int:
        """How many enqueued steps have not been consumed yet."""
        with self._lock:
            return len(self._queue)

    def enqueue(self, *steps: Step) -> None:
        with self._lock:
            self._queue.extend(steps)

    def start(self) -> OpenAIServer:
        if self._httpd is not None or self._closing.is_set():
            raise RuntimeError("OpenAIServer can only be started once")
        self._httpd = _HTTPServer(self, (self.host, self._port))
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop accepting, cut held connections, interrupt delays, join the threads."""
        with self._lock:
            if self._httpd is None or self._closing.is_set():
                return
            self._closing.set()
            held = dict(self._connections)
        self._httpd.shutdown()
        self._httpd.server_close()
        for conn in held:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for thread in [*held.values(), self._thread]:
            if thread is not None and thread.is_alive():
                thread.join(timeout=5)

    def __enter__(self) -> OpenAIServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _next_step(self) -> Step:
        with self._lock:
            return self._queue.popleft() if self._queue else self.default

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def _track(self, conn: socket.socket, thread: threading.Thread) -> bool:
        with self._lock:
            if self._closing.is_set():
                return False
            self._connections[conn] = thread
            return True

    def _untrack(self, conn: socket.socket) -> None:
        with self._lock:
            self._connections.pop(conn, None)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tests.support.openai_server",
        description="Serve a scripted OpenAI-compatible API until interrupted.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--text", default="Fine.", help="the reply to every chat request")
    parser.add_argument("--chunk-delay", type=float, default=0.0, help="seconds between chunks")
    parser.add_argument("--model", default="scripted-model")
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    args = parser.parse_args(argv)
    server = OpenAIServer(args.host, args.port, model=args.model)
    server.verbose = not args.quiet
    server.default = Reply(args.text, chunk_delay=args.chunk_delay)
    with server:
        print(f"Serving a scripted OpenAI API at {server.base_url} (Ctrl-C to stop)", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print("Stopped.", file=sys.stderr)


if __name__ == "__main__":
    main()
