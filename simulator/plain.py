"""Plain mode: the practice conversation line by line on stdin and stdout.

For scripts, screen readers and terminals without a full-screen app. Input is read
on the main thread so Ctrl-C always ends the session cleanly.
"""

from __future__ import annotations

import asyncio
from typing import TextIO

from simulator.persona import Persona
from simulator.scripted_voice import ScriptedVoice
from simulator.session import ReplyChunk, ReplyRestarted, Session
from simulator.voice import VoiceError

HELP = "Type your message and press Enter. /end ends the conversation."
RESEND = (
    "Your message was not answered: press Enter to send it again, type /offline to go on "
    "with the scripted customer, or type another."
)
OFFLINE = "[the scripted customer answers from now on]"


async def _stream(session: Session, out: TextIO, speaker: str) -> None:
    out.write(f"{speaker}: ")
    out.flush()
    async for event in session.reply():
        if isinstance(event, ReplyChunk):
            out.write(event.text)
        elif isinstance(event, ReplyRestarted):
            out.write(f"\n[{event.reason}]\n{speaker}: ")
        out.flush()
    out.write("\n\n")
    out.flush()


def converse(session: Session, stdin: TextIO, out: TextIO, err: TextIO, *, prompt: bool) -> None:
    """Run the conversation until /end, end of input or Ctrl-C."""
    persona: Persona = session.persona
    out.write(f"{persona.name}: {persona.opening}\n\n")
    out.flush()
    pending: str | None = None
    warned_save = session.save_error is not None
    with asyncio.Runner() as runner:
        try:
            while True:
                if prompt:
                    out.write("you> ")
                    out.flush()
                line = stdin.readline()
                if not line:
                    break
                text = line.strip()
                if text == "/end":
                    break
                if text == "/offline":
                    if session.voice.kind != "scripted":
                        runner.run(session.switch_voice(ScriptedVoice()).aclose())
                    out.write(f"{OFFLINE}\n\n")
                    out.flush()
                    continue
                if not text:
                    if pending is None:
                        continue
                    text = pending
                pending = None
                session.send(text)
                try:
                    runner.run(_stream(session, out, persona.name))
                except VoiceError as exc:
                    out.write("\n")
                    out.flush()
                    err.write(f"error: {exc}\n{RESEND}\n")
                    err.flush()
                    pending = session.retract()
                if session.save_error and not warned_save:
                    err.write(f"warning: {session.save_error}; the conversation goes on\n")
                    err.flush()
                    warned_save = True
        except KeyboardInterrupt:
            out.write("\n")
        finally:
            runner.run(session.voice.aclose())
