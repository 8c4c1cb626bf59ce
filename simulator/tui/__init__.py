"""The practice room: the Textual front end. The only package that imports Textual."""
