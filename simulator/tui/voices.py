"""Which customer voice the practice room uses, without loading the model client early."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.settings import OFFLINE_NOTICE, Settings

if TYPE_CHECKING:
    from simulator.voice import Voice


def online(settings: Settings, offline: bool) -> bool:
    return settings.online and not offline


def make_voice(settings: Settings, offline: bool) -> Voice:
    """The model when one is configured (and not --offline), else the scripted customer."""
    # Both load after the first paint; the SDK alone takes most of a second to import.
    if not online(settings, offline):
        from simulator.scripted_voice import ScriptedVoice

        return ScriptedVoice()
    from simulator.llm_voice import LLMVoice

    voice = LLMVoice(settings)
    # Build the HTTP client now (no request is made): not on the event loop's first reply.
    _ = voice.client
    return voice


def label(settings: Settings, offline: bool) -> str:
    """What the header says about the voice, as plain mode's first line does."""
    if online(settings, offline):
        return f"model {settings.model} at {settings.endpoint}"
    return "scripted customer"


def notice(settings: Settings, offline: bool) -> str | None:
    """Offline by necessity, not because --offline asked for it: say how to connect."""
    return OFFLINE_NOTICE if not settings.online and not offline else None
