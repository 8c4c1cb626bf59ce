"""Before a conversation or a batch starts: is the model server there at all?

One quick `GET /models`, so that a server that is down or a key that is refused is
said once, in one line naming the URL, before the rep has typed a word or a batch
has opened a file. Any other answer, or none in time, means a server is there.
"""

from __future__ import annotations

import asyncio

import openai

from simulator.llm_client import make_client
from simulator.settings import Settings

# How long to wait before taking a silent server for a busy one and going ahead.
PREFLIGHT_TIMEOUT = 10.0


class ServerUnavailable(Exception):
    """The model server cannot be used; the message is one line naming its URL."""


async def check_server(settings: Settings) -> None:
    """Raise ServerUnavailable when the server cannot be reached or refuses the key."""
    timeout = min(settings.timeout, PREFLIGHT_TIMEOUT)
    where = settings.endpoint
    # A client of its own: its connections must not outlive this event loop.
    client = make_client(settings)
    try:
        await client.models.list(timeout=timeout)
    except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
        # The server's own words are left out: some echo the key they refused.
        raise ServerUnavailable(
            f"the model server at {where} refused the API key (HTTP {exc.status_code}); "
            "check OPENAI_API_KEY"
        ) from None
    except openai.APITimeoutError:
        # Slow is not gone: a local server answers nothing, /models included, while it
        # generates for someone else. The requests themselves wait as DEEPER_TIMEOUT says.
        return
    except openai.APIConnectionError:
        raise ServerUnavailable(f"could not reach the model server at {where}") from None
    except openai.APIStatusError:
        # 404 (no /models route) or any other answer: a server is there; the chat
        # requests themselves will say more if something is wrong.
        return
    finally:
        await client.close()


def server_problem(settings: Settings) -> str | None:
    """The one-line reason the server cannot be used, or None when it answered."""
    try:
        asyncio.run(check_server(settings))
    except ServerUnavailable as exc:
        return str(exc)
    return None
