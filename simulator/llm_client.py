"""The one place that talks HTTP to an OpenAI-compatible server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

import openai
from openai import AsyncOpenAI
from openai.types.chat import ChatCompletionMessageParam

from simulator.retry import EmptyReply, StreamBroken, asked_wait
from simulator.settings import Settings

# Local servers need no key, but the SDK insists on one being set.
NO_KEY = "no-key"
# "A short paragraph at most" (the longest a persona may talk) is well under this; small
# local models ramble on to whatever limit they are given, and every token costs time.
MAX_REPLY_TOKENS = 150


def make_client(settings: Settings) -> AsyncOpenAI:
    key = settings.api_key.get_secret_value() if settings.api_key else NO_KEY
    # Retries are ours (simulator.retry), so the SDK's own are off.
    return AsyncOpenAI(
        api_key=key, base_url=settings.base_url, timeout=settings.timeout, max_retries=0
    )


async def stream_chat(
    client: AsyncOpenAI,
    model: str,
    messages: Sequence[ChatCompletionMessageParam],
    *,
    temperature: float = 0.7,
    max_tokens: int = MAX_REPLY_TOKENS,
) -> AsyncIterator[str]:
    """Yield the reply's text as it arrives; raise on a broken or empty stream."""
    stream = await client.chat.completions.create(
        model=model,
        messages=list(messages),
        stream=True,
        temperature=temperature,
        max_tokens=max_tokens,
    )
    got_text = False
    try:
        async for chunk in stream:
            for choice in chunk.choices:
                text = choice.delta.content if choice.delta else None
                if text:
                    # Only whitespace so far is still an empty reply.
                    got_text = got_text or not text.isspace()
                    yield text
    except openai.APIError:
        raise
    except Exception as exc:  # the transport's own errors differ between SDK versions
        raise StreamBroken(f"the connection broke mid-reply ({type(exc).__name__})") from exc
    finally:
        await stream.close()
    if not got_text:
        raise EmptyReply("the server sent an empty reply")


def describe_failure(exc: BaseException, endpoint: str, attempts: int) -> str:
    """One line for the rep: what went wrong and where, never a header or a key."""
    tries = f" (after {attempts} attempts)" if attempts > 1 else ""
    if isinstance(exc, openai.APITimeoutError):
        return f"the model server at {endpoint} did not answer in time{tries}"
    if isinstance(exc, openai.APIConnectionError):
        return f"could not reach the model server at {endpoint}{tries}"
    if isinstance(exc, openai.RateLimitError):
        asked = asked_wait(exc)
        wait = f"; it asks to wait {asked:.0f} s" if asked is not None and asked >= 1 else ""
        return f"the model server at {endpoint} is rate-limiting requests (HTTP 429){tries}{wait}"
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        # The server's own words are left out: some echo the key they refused.
        return (
            f"the model server at {endpoint} refused the API key (HTTP {exc.status_code})"
            f"{tries}; check OPENAI_API_KEY"
        )
    if isinstance(exc, openai.APIStatusError):
        detail = _first_line(exc.message)
        return f"the model server at {endpoint} answered HTTP {exc.status_code}{tries}: {detail}"
    return f"{_first_line(str(exc)) or type(exc).__name__} at {endpoint}{tries}"


def _first_line(text: str, limit: int = 160) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
