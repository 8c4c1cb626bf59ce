"""Tests for the scripted OpenAI-compatible server, driven by the real openai SDK over HTTP."""

from __future__ import annotations

import asyncio
import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx2
import openai
import pytest

from tests.support.openai_server import (
    Drop,
    Dynamic,
    Empty,
    Fail,
    Json,
    OpenAIServer,
    Reply,
    Step,
    split_text,
)

MESSAGES: list[Any] = [
    {"role": "system", "content": "You are a busy customer."},
    {"role": "user", "content": "Hi, do you have a minute?"},
]


@pytest.fixture
def server() -> Iterator[OpenAIServer]:
    with OpenAIServer() as running:
        yield running


@pytest.fixture
async def client(server: OpenAIServer) -> AsyncIterator[openai.AsyncOpenAI]:
    async with openai.AsyncOpenAI(
        base_url=server.base_url, api_key="test", max_retries=0, timeout=5.0
    ) as sdk:
        yield sdk


async def stream_deltas(client: openai.AsyncOpenAI, **kwargs: Any) -> list[str | None]:
    stream = await client.chat.completions.create(
        model="test-model", messages=MESSAGES, stream=True, **kwargs
    )
    return [chunk.choices[0].delta.content async for chunk in stream if chunk.choices]


async def complete(client: openai.AsyncOpenAI) -> str | None:
    response = await client.chat.completions.create(model="test-model", messages=MESSAGES)
    return response.choices[0].message.content


def content(deltas: list[str | None]) -> list[str]:
    return [d for d in deltas if d]


async def test_streamed_reply_joins_to_exact_text_in_several_chunks(
    server: OpenAIServer, client: openai.AsyncOpenAI
) -> None:
    text = "Honestly?  We tried a tool like yours last year,\nand it flopped. "
    server.enqueue(Reply(text))
    deltas = await stream_deltas(client)
    assert "".join(content(deltas)) == text
    assert len(content(deltas)) == len(text.split())


async def test_stream_finishes_with_stop(server: OpenAIServer, client: openai.AsyncOpenAI) -> None:
    stream = await client.chat.completions.create(model="m", messages=MESSAGES, stream=True)
    chunks = [chunk async for chunk in stream]
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[0].object == "chat.completion.chunk"
    assert chunks[0].model == "m"
    assert len({chunk.id for chunk in chunks}) == 1


async def test_explicit_chunk_count(server: OpenAIServer, client: openai.AsyncOpenAI) -> None:
    server.enqueue(Reply("abcdefghij", chunks=3), Reply("ab", chunks=5))
    first = content(await stream_deltas(client))
    assert first == ["abc", "def", "ghij"]
    assert content(await stream_deltas(client)) == ["a", "b"]


async def test_non_streamed_reply(server: OpenAIServer, client: openai.AsyncOpenAI) -> None:
    server.enqueue(Reply("We already have a vendor."))
    response = await client.chat.completions.create(model="test-model", messages=MESSAGES)
    assert response.object == "chat.completion"
    assert response.model == "test-model"
    assert response.choices[0].message.role == "assistant"
    assert response.choices[0].message.content == "We already have a vendor."
    assert response.choices[0].finish_reason == "stop"
    assert response.usage is not None
    assert response.usage.completion_tokens == 5
    assert response.usage.total_tokens == response.usage.prompt_tokens + 5


async def test_requests_are_recorded(server: OpenAIServer, client: openai.AsyncOpenAI) -> None:
    await stream_deltas(client, temperature=0.7)
    await complete(client)
    first, second = server.requests
    assert first.method == "POST"
    assert first.path == "/v1/chat/completions"
    assert first.headers["authorization"] == "Bearer test"
    assert first.headers["content-type"] == "application/json"
    assert first.body is not None and second.body is not None
    assert first.body["messages"] == MESSAGES
    assert first.body["model"] == "test-model"
    assert first.body["stream"] is True
    assert first.body["temperature"] == 0.7
    assert second.body.get("stream") in (None, False)


async def test_rate_limit_carries_retry_after(
    server: OpenAIServer, client: openai.AsyncOpenAI
) -> None:
    server.enqueue(Fail(429, "Slow down.", retry_after=1))
    with pytest.raises(openai.RateLimitError) as caught:
        await stream_deltas(client)
    assert caught.value.status_code == 429
    assert caught.value.response.headers["retry-after"] == "1"
    assert caught.value.code == "rate_limit_exceeded"
    assert "Slow down." in caught.value.message


@pytest.mark.parametrize(("value", "header"), [(1.5, "1.5"), (2.0, "2"), ("0", "0")])
async def test_retry_after_formatting(
    server: OpenAIServer, client: openai.AsyncOpenAI, value: float | str, header: str
) -> None:
    server.enqueue(Fail(503, retry_after=value))
    with pytest.raises(openai.InternalServerError) as caught:
        await complete(client)
    assert caught.value.response.headers["retry-after"] == header


async def test_server_error(server: OpenAIServer, client: openai.AsyncOpenAI) -> None:
    server.enqueue(Fail(500), Fail(500))
    with pytest.raises(openai.InternalServerError) as caught:
        await stream_deltas(client)
    assert caught.value.type == "server_error"
    assert "retry-after" not in caught.value.response.headers
    with pytest.raises(openai.InternalServerError):
        await complete(client)


async def test_delay_beyond_client_timeout_times_out() -> None:
    with OpenAIServer() as server:
        server.enqueue(Reply("Too late.", delay=2), Reply("Too late.", delay=2))
        async with openai.AsyncOpenAI(
            base_url=server.base_url, api_key="test", max_retries=0, timeout=0.5
        ) as slow:
            with pytest.raises(openai.APITimeoutError) as caught:
                await stream_deltas(slow)
            assert isinstance(caught.value.__cause__, httpx2.ReadTimeout)
            with pytest.raises(openai.APITimeoutError):
                await complete(slow)
        started = time.monotonic()
    assert time.monotonic() - started < 0.5, "closing must interrupt the pending delays"


async def test_drop_mid_stream(server: OpenAIServer, client: openai.AsyncOpenAI) -> None:
    server.enqueue(Drop(after_chunks=2, text="one two three four"))
    stream = await client.chat.completions.create(model="m", messages=MESSAGES, stream=True)
    received: list[str | None] = []
    with pytest.raises(openai.APIConnectionError) as caught:
        async for chunk in stream:
            received.append(chunk.choices[0].delta.content)
    assert received == ["one", " two"]
    assert type(caught.value) is openai.APIConnectionError
    assert isinstance(caught.value.__cause__, httpx2.RemoteProtocolError)
    assert "incomplete chunked read" in str(caught.value.__cause__)


async def test_drop_without_streaming(server: OpenAIServer, client: openai.AsyncOpenAI) -> None:
    server.enqueue(Drop())
    with pytest.raises(openai.APIConnectionError) as caught:
        await complete(client)
    assert type(caught.value) is openai.APIConnectionError
    assert isinstance(caught.value.__cause__, httpx2.RemoteProtocolError)
    assert await complete(client) == "Fine.", "the server keeps serving after a drop"


async def test_empty(server: OpenAIServer, client: openai.AsyncOpenAI) -> None:
    server.enqueue(Empty(), Empty())
    stream = await client.chat.completions.create(model="m", messages=MESSAGES, stream=True)
    chunks = [chunk async for chunk in stream]
    assert [c.choices[0].delta.content for c in chunks] == [None, None]
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert await complete(client) == ""


async def test_queue_order_then_default(server: OpenAIServer, client: openai.AsyncOpenAI) -> None:
    server.enqueue(Reply("first"))
    server.enqueue(Reply("second"), Reply("third"))
    assert server.pending == 3
    assert await complete(client) == "first"
    assert "".join(content(await stream_deltas(client))) == "second"
    assert await complete(client) == "third"
    assert await complete(client) == "Fine."
    server.default = Reply("Not interested.")
    assert "".join(content(await stream_deltas(client))) == "Not interested."
    assert server.pending == 0


async def test_json_and_dynamic_steps(server: OpenAIServer, client: openai.AsyncOpenAI) -> None:
    def echo(body: dict[str, Any]) -> Step:
        return Reply("You said: " + body["messages"][-1]["content"])

    def explode(body: dict[str, Any]) -> Step:
        raise KeyError("missing")

    server.enqueue(Json({"score": 3, "tags": ["pain"]}), Dynamic(echo), Dynamic(explode))
    assert json.loads(await complete(client) or "") == {"score": 3, "tags": ["pain"]}
    assert "".join(content(await stream_deltas(client))) == "You said: Hi, do you have a minute?"
    with pytest.raises(openai.InternalServerError, match="Dynamic step raised KeyError"):
        await complete(client)


async def test_chunks_arrive_incrementally(
    server: OpenAIServer, client: openai.AsyncOpenAI
) -> None:
    server.enqueue(Reply("a b c d", chunk_delay=0.1))
    stream = await client.chat.completions.create(model="m", messages=MESSAGES, stream=True)
    arrivals = [time.monotonic() async for chunk in stream if chunk.choices[0].delta.content]
    assert len(arrivals) == 4
    assert arrivals[-1] - arrivals[0] >= 0.25, "the first chunk must arrive before the last is sent"


async def test_concurrent_streams(server: OpenAIServer, client: openai.AsyncOpenAI) -> None:
    server.default = Reply("one two three", chunk_delay=0.1)
    started = time.monotonic()
    results = await asyncio.gather(*(stream_deltas(client) for _ in range(8)))
    assert all("".join(content(r)) == "one two three" for r in results)
    assert time.monotonic() - started < 0.6, "requests must be served in parallel"


async def test_stream_usage_when_asked(server: OpenAIServer, client: openai.AsyncOpenAI) -> None:
    server.enqueue(Reply("Three words here."))
    stream = await client.chat.completions.create(
        model="m", messages=MESSAGES, stream=True, stream_options={"include_usage": True}
    )
    chunks = [chunk async for chunk in stream]
    assert chunks[-1].choices == []
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == 3


async def test_models_and_unknown_paths(server: OpenAIServer, client: openai.AsyncOpenAI) -> None:
    models = await client.models.list()
    assert [model.id for model in models.data] == ["scripted-model"]
    with pytest.raises(openai.NotFoundError) as caught:
        await client.embeddings.create(model="m", input="hello")
    assert caught.value.code == "unknown_url"
    assert caught.value.type == "invalid_request_error"
    assert "/v1/embeddings" in caught.value.message
    assert [request.path for request in server.requests] == ["/v1/models", "/v1/embeddings"]


def test_wire_format_is_chunked_server_sent_events(server: OpenAIServer) -> None:
    server.enqueue(Reply("Hi there"))
    request = urllib.request.Request(
        server.base_url + "/chat/completions",
        data=json.dumps({"model": "m", "messages": MESSAGES, "stream": True}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.headers["Content-Type"].startswith("text/event-stream")
        assert response.headers["Transfer-Encoding"] == "chunked"
        events = response.read().decode().split("\n\n")
    assert events[-2:] == ["data: [DONE]", ""]
    payloads = [json.loads(event.removeprefix("data: ")) for event in events[:-2]]
    assert [p["choices"][0]["delta"] for p in payloads] == [
        {"role": "assistant", "content": "Hi"},
        {"content": " there"},
        {},
    ]


def test_bad_json_body_is_a_400(server: OpenAIServer) -> None:
    request = urllib.request.Request(server.base_url + "/chat/completions", data=b"{nope")
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=5)
    assert caught.value.code == 400
    assert json.loads(caught.value.read())["error"]["type"] == "invalid_request_error"
    assert server.requests[0].body is None
    assert server.pending == 0


async def test_server_stops_on_exit() -> None:
    with OpenAIServer() as server:
        port = server.port
        async with openai.AsyncOpenAI(
            base_url=server.base_url, api_key="test", max_retries=0, timeout=5
        ) as sdk:
            assert await complete(sdk) == "Fine."
            held = socket.create_connection(("127.0.0.1", port), timeout=2)
            held.sendall(b"GET /v1/models HTTP/1.1\r\nHost: test\r\n\r\n")
            reply = b""
            while not reply.endswith(b"]}"):
                reply += held.recv(4096)
            assert reply.startswith(b"HTTP/1.1 200"), "now an idle keep-alive connection"
            assert server.is_running
            started = time.monotonic()
    assert time.monotonic() - started < 0.5
    assert not server.is_running
    assert held.recv(1) == b"", "held connections are closed on exit"
    held.close()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=1)
    with pytest.raises(openai.APIConnectionError) as caught:
        async with openai.AsyncOpenAI(base_url=server.base_url, api_key="t", max_retries=0) as sdk:
            await complete(sdk)
    assert isinstance(caught.value.__cause__, httpx2.ConnectError)


@pytest.mark.parametrize(
    "text", ["", "one", "  leading and trailing  ", "tabs\tand\nnewlines\n\n", "a  b"]
)
def test_split_text_round_trips(text: str) -> None:
    assert "".join(split_text(text)) == text
    for chunks in (1, 2, 3, 50):
        pieces = split_text(text, chunks)
        assert "".join(pieces) == text
        assert all(pieces) and len(pieces) <= chunks
