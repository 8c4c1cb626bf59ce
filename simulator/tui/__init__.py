"""The practice room: the Textual front end. The only package that imports Textual."""

import os

# Textual paints at most TEXTUAL_FPS times a second, read when it is first imported. After
# a paint its update timer waits one to two frame periods before the next one, so while a
# reply streams a key could wait 33 ms at the default 60 before it shows; 120 halves that.
# Streaming paints no more often for it: chunks are batched (widgets/messages.py).
os.environ.setdefault("TEXTUAL_FPS", "120")
