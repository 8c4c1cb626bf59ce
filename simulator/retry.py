"""One retry policy for every model call: bounded, backed off with jitter, honouring Retry-After."""

from __future__ import annotations

import logging
import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import openai
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt
from tenacity.stop import stop_base

log = logging.getLogger("simulator.retry")

ATTEMPTS = 4
BASE_WAIT = 0.25
MAX_WAIT = 8.0
# A server asking for more than this is treated as down for this turn.
MAX_RETRY_AFTER = 30.0


class EmptyReply(Exception):
    """The server answered 200 with no content: a failure, never an empty turn."""


class StreamBroken(Exception):
    """The connection broke after the reply had started."""


def is_retryable(exc: BaseException) -> bool:
    if isinstance(exc, EmptyReply | StreamBroken | openai.APIConnectionError):
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in (408, 409, 429) or exc.status_code >= 500
    return False


def retry_after(exc: BaseException | None) -> float | None:
    """Seconds to wait as the server asked (Retry-After), at most MAX_RETRY_AFTER."""
    asked = asked_wait(exc)
    return None if asked is None else min(asked, MAX_RETRY_AFTER)


def asked_wait(exc: BaseException | None) -> float | None:
    """Seconds the server asked us to wait, from Retry-After (seconds or an HTTP date)."""
    if not isinstance(exc, openai.APIStatusError):
        return None
    value = exc.response.headers.get("retry-after")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    return max(seconds, 0.0)


def wait_time(state: RetryCallState) -> float:
    exc = state.outcome.exception() if state.outcome else None
    asked = retry_after(exc)
    if asked is not None:
        return asked
    backoff = min(MAX_WAIT, BASE_WAIT * 2.0 ** (state.attempt_number - 1))
    jitter: float = random.uniform(0, backoff / 2)
    return backoff + jitter


def _log_retry(state: RetryCallState) -> None:
    exc = state.outcome.exception() if state.outcome else None
    log.warning("attempt %d failed (%s); retrying", state.attempt_number, type(exc).__name__)


class stop_when_asked_too_long(stop_base):  # noqa: N801 (named like tenacity's own stops)
    """A server asking for a longer wait than MAX_RETRY_AFTER is down for this request."""

    def __call__(self, retry_state: RetryCallState) -> bool:
        outcome = retry_state.outcome
        asked = asked_wait(outcome.exception() if outcome else None)
        return asked is not None and asked > MAX_RETRY_AFTER


def policy(attempts: int = ATTEMPTS) -> AsyncRetrying:
    return AsyncRetrying(
        stop=stop_after_attempt(attempts) | stop_when_asked_too_long(),
        wait=wait_time,
        retry=retry_if_exception(is_retryable),
        before_sleep=_log_retry,
        reraise=True,
    )
