"""Small pieces of styled text the screens share, coloured by theme variables only."""

from __future__ import annotations

from textual.content import Content

from simulator.persona import REVEALED_LEVELS, Level

LEVEL_STYLE = {
    Level.hidden: "$foreground-muted",
    Level.hint: "$text-secondary",
    Level.stated: "$text-accent",
    Level.why: "$text-success",
    Level.fear: "$text-success",
}
VERDICT_STYLE = {"deeper": "$success", "mixed": "$warning", "pitch": "$error"}


def level_bar(level: Level) -> Content:
    """Four cells, one per level past hidden, filled up to `level`: ■■□□ stated."""
    filled = level.rank
    return Content.assemble(
        ("■" * filled, LEVEL_STYLE[level]),
        ("□" * (len(REVEALED_LEVELS) - filled), "$foreground-muted"),
        " ",
        (level.value, LEVEL_STYLE[level]),
    )


def meter(value: float, width: int = 10) -> Content:
    """A 0..1 value as a bar of `width` cells."""
    filled = round(max(0.0, min(1.0, value)) * width)
    return Content.assemble(
        ("▰" * filled, "$text-accent"), ("▱" * (width - filled), "$foreground-muted")
    )


def percent(share: float) -> str:
    return f"{round(share * 100)}%"


def clock(seconds: float) -> str:
    whole = max(0, int(seconds + 0.999))
    return f"{whole // 60}:{whole % 60:02d}"
