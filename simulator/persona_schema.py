"""The persona file's JSON Schema, generated from the pydantic model, for editors to use."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from simulator.persona import Persona

# Shipped beside the package; a test checks it matches the model.
SCHEMA_FILE = Path(__file__).with_name("persona.schema.json")
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def persona_schema() -> dict[str, Any]:
    schema = Persona.model_json_schema()
    return {
        "$schema": DIALECT,
        **schema,
        "title": "deeper persona",
        "description": "A simulated customer for deeper: a public self and hidden priorities.",
    }


def schema_text() -> str:
    return json.dumps(persona_schema(), indent=2, ensure_ascii=False) + "\n"


def modeline(target: str) -> str:
    """The comment that points YAML editors (yaml-language-server) at the schema."""
    return f"# yaml-language-server: $schema={target}"
