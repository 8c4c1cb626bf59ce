"""deeper: a terminal practice room for discovery conversations."""

__version__ = "0.1.0"
