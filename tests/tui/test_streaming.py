"""The reply in progress: StreamedText wraps as the finished message does, and stays light."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from simulator.tui.widgets.messages import CustomerMessage, StreamedText

REPLY = (
    "Month end is always a scramble for us, and the close keeps slipping.\n\n"
    "Because last year we nearly breached a covenant: we saw the cash position far too "
    "late, and the board noticed. Supercalifragilisticexpialidociousnessitudes aside, "
    "I would rather not live through that again, honestly."
)


class Host(App[None]):
    """A log with one streaming reply in it, as the chat screen has."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="log"):
            yield CustomerMessage("Dana", streaming=True)


def rows(widget: StreamedText | Static, count: int) -> list[str]:
    return [widget.render_line(y).text.rstrip() for y in range(count)]


async def test_streamed_rows_are_the_rows_of_the_finished_message() -> None:
    app = Host()
    async with app.run_test(size=(40, 20)) as pilot:
        message = app.query_one(CustomerMessage)
        body = message.query_one(StreamedText)
        # Chunks as a model sends them, cut anywhere, newlines included.
        for start in range(0, len(REPLY), 7):
            body.append(REPLY[start : start + 7])
            await pilot.pause()
        assert body.text == REPLY
        streamed = rows(body, body.row_count)
        assert body.size.height > body.row_count  # blank room kept below the text

        await message.finish(REPLY)
        await pilot.pause()
        final = message.query_one(Static)
        assert rows(final, final.size.height)[1:] == streamed  # below the speaker's name
        assert not message.query(StreamedText)


async def test_a_chunk_within_the_room_repaints_without_a_layout() -> None:
    app = Host()
    async with app.run_test(size=(40, 20)) as pilot:
        body = app.query_one(StreamedText)
        body.append("Month end is always a scramble.")
        await pilot.pause()
        height = body.size.height
        layouts = body._layout_updates
        body.append(" The close keeps slipping.")
        await pilot.pause()
        assert body.size.height == height and body._layout_updates == layouts
        assert "slipping" in " ".join(rows(body, body.row_count))

        # Past the room the widget grows, by a stretch rather than a row.
        body.append(" More and more words." * 40)
        await pilot.pause()
        assert body.size.height > body.row_count + 1 and body.size.height > height


async def test_write_shows_with_the_flush_and_clear_starts_over() -> None:
    app = Host()
    async with app.run_test(size=(40, 20)) as pilot:
        message = app.query_one(CustomerMessage)
        body = message.query_one(StreamedText)
        message.write("Cash, ")
        message.write("mostly.")
        assert body.text == ""  # gathered until the flush
        await pilot.pause(CustomerMessage.FLUSH_SECONDS + 0.1)
        assert body.text == "Cash, mostly." == message.text

        await message.clear()
        await pilot.pause()
        assert body.text == "" == message.text and body.row_count == 1
        assert rows(body, 1) == [""]
