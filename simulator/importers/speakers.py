"""From named speakers to our two roles: which one is the rep, and everyone else the customer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from simulator.importers.errors import TranscriptImportError
from simulator.transcript import Speaker, Transcript, Turn

# Files written with roles rather than names ("Rep: …", "Customer: …").
REP_ROLES = frozenset({"rep", "sales rep", "seller", "salesperson"})
CUSTOMER_ROLES = frozenset({"customer", "prospect", "buyer", "client"})
ROLES = REP_ROLES | CUSTOMER_ROLES


@dataclass
class Utterance:
    """What one named speaker said, possibly over several lines or cues."""

    speaker: str
    text: str


def key(name: str) -> str:
    return " ".join(name.split()).casefold()


def merged(utterances: Iterable[Utterance]) -> list[Utterance]:
    """Consecutive utterances of one speaker become one turn."""
    turns: list[Utterance] = []
    for item in utterances:
        text = item.text.strip()
        if not text:
            continue
        if turns and key(turns[-1].speaker) == key(item.speaker):
            turns[-1].text = f"{turns[-1].text} {text}"
        else:
            turns.append(Utterance(item.speaker.strip(), text))
    return turns


def speakers_in(utterances: Iterable[Utterance]) -> list[str]:
    """Each speaker once, as first written, in order of first appearance."""
    seen: dict[str, str] = {}
    for item in utterances:
        seen.setdefault(key(item.speaker), item.speaker.strip())
    return list(seen.values())


def pick_rep(speakers: list[str], rep: str | None) -> tuple[str, str | None]:
    """The rep's speaker key, and the rep's name when the file names people rather than roles."""
    if rep is not None and rep.strip():
        wanted = key(rep)
        for name in speakers:
            if key(name) == wanted:
                return wanted, None if wanted in ROLES else name
    roles = [key(name) for name in speakers if key(name) in REP_ROLES]
    if len(roles) == 1:
        return roles[0], None
    found = ", ".join(speakers) if speakers else "none"
    if rep is not None and rep.strip():
        raise TranscriptImportError(f"no rep turns: no speaker is named {rep!r}; speakers: {found}")
    raise TranscriptImportError(
        f"no rep turns: say which speaker is the rep with --rep NAME; speakers: {found}"
    )


def to_transcript(utterances: list[Utterance], rep: str | None, transcript_id: str) -> Transcript:
    turns = merged(utterances)
    if not turns:
        raise TranscriptImportError("no turns: nothing anyone said was found")
    rep_key, rep_name = pick_rep(speakers_in(turns), rep)
    roles: list[Speaker] = ["rep" if key(t.speaker) == rep_key else "customer" for t in turns]
    if "customer" not in roles:
        raise TranscriptImportError(
            f"no customer turns: only {turns[0].speaker} speaks; a conversation needs two sides"
        )
    # Two customers speaking in a row (a call with several people) are one customer turn.
    joined: list[Turn] = []
    for role, item in zip(roles, turns, strict=True):
        if joined and joined[-1].speaker == role:
            joined[-1].text = f"{joined[-1].text} {item.text}"
        else:
            joined.append(Turn(speaker=role, text=item.text))
    return Transcript(id=transcript_id, rep=rep_name, turns=joined)
