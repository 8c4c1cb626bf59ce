"""Configuration from the environment; the API key never leaves this object unmasked."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import platformdirs
from pydantic import BaseModel, SecretStr

DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_TIMEOUT = 60.0
OFFLINE_NOTICE = (
    "offline: the scripted customer is answering. To talk with a model, set OPENAI_API_KEY "
    "(OpenAI) or OPENAI_BASE_URL (Ollama, vLLM, llama.cpp, LM Studio) and DEEPER_MODEL."
)


class SettingsError(ValueError):
    """A configuration value that cannot be used; the message is one line."""


class Settings(BaseModel):
    api_key: SecretStr | None = None
    base_url: str | None = None
    model: str = DEFAULT_MODEL
    judge_model: str = DEFAULT_MODEL
    timeout: float = DEFAULT_TIMEOUT
    home: Path

    @property
    def online(self) -> bool:
        # A local server needs no key; OpenAI itself needs no base URL.
        return self.api_key is not None or self.base_url is not None

    @property
    def endpoint(self) -> str:
        """The server's address for messages, without any credentials in it."""
        url = self.base_url or "https://api.openai.com/v1"
        parts = urlsplit(url)
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
        return urlunsplit((parts.scheme, host, parts.path, "", ""))


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    key = env.get("OPENAI_API_KEY", "").strip()
    base_url = env.get("OPENAI_BASE_URL", "").strip()
    model = env.get("DEEPER_MODEL", "").strip() or DEFAULT_MODEL
    raw_timeout = env.get("DEEPER_TIMEOUT", "").strip()
    try:
        timeout = float(raw_timeout) if raw_timeout else DEFAULT_TIMEOUT
    except ValueError:
        raise SettingsError(f"DEEPER_TIMEOUT: expected seconds, got {raw_timeout!r}") from None
    if timeout <= 0:
        raise SettingsError(f"DEEPER_TIMEOUT: must be more than 0 seconds, got {raw_timeout!r}")
    home = env.get("DEEPER_HOME", "").strip()
    return Settings(
        api_key=SecretStr(key) if key else None,
        base_url=base_url or None,
        model=model,
        judge_model=env.get("DEEPER_JUDGE_MODEL", "").strip() or model,
        timeout=timeout,
        home=Path(home).expanduser() if home else platformdirs.user_data_path("deeper"),
    )
