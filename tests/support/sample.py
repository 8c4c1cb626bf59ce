"""A small persona built in code, for tests that must not depend on the library's wording."""

from __future__ import annotations

from simulator.persona import Persona


def sample_persona() -> Persona:
    return Persona.model_validate(
        {
            "id": "sample-cfo",
            "name": "Dana Reyes",
            "role": "CFO",
            "company": "Northwind Haulage, a regional trucking firm",
            "situation": "Agreed to a call after a conference talk on finance operations.",
            "offering": {
                "summary": "Accounts-payable automation software",
                "terms": ["invoice automation", "OCR", "approval workflow", "demo", "pricing"],
            },
            "voice": {"tone": "direct", "verbosity": "short"},
            "opening": "I have fifteen minutes. What's this about?",
            "trust": {"start": 0.3},
            "priorities": [
                {
                    "id": "cash",
                    "label": "Seeing the cash position every day",
                    "why": "SECRET-WHY-CASH the firm nearly breached a loan covenant.",
                    "fear": "SECRET-FEAR-CASH losing the board's confidence.",
                    "signals": ["cash", "forecast", "covenant", "liquidity"],
                    "reveals": {
                        "hint": ["Month end is always a scramble for us."],
                        "stated": ["I need to see where our cash stands every day."],
                        "why": ["REVEAL-WHY-CASH We nearly breached a covenant last year."],
                        "fear": ["REVEAL-FEAR-CASH The board would not forgive a second time."],
                    },
                },
                {
                    "id": "team",
                    "label": "Keeping a small finance team from burning out",
                    "why": "SECRET-WHY-TEAM two people quit after the last audit season.",
                    "fear": "SECRET-FEAR-TEAM the team falls apart before year end.",
                    "signals": ["team", "overtime", "staff", "people", "workload"],
                    "reveals": {
                        "hint": ["My people have had a long year."],
                        "stated": ["I worry about how much overtime my team is doing."],
                        "why": ["REVEAL-WHY-TEAM Two of them quit after the last audit season."],
                        "fear": [
                            "REVEAL-FEAR-TEAM If one more leaves, we will not close the year."
                        ],
                    },
                },
                {
                    "id": "audit",
                    "label": "A clean audit this year",
                    "why": "SECRET-WHY-AUDIT last year's audit found a control weakness.",
                    "fear": "SECRET-FEAR-AUDIT a qualified opinion in front of the lenders.",
                    "signals": ["audit", "auditor", "controls", "compliance"],
                    "reveals": {
                        "hint": ["The auditors are back in March."],
                        "stated": ["A clean audit this year matters a lot to me."],
                        "why": ["REVEAL-WHY-AUDIT Last year they found a weakness in controls."],
                        "fear": ["REVEAL-FEAR-AUDIT A qualified opinion would scare the lenders."],
                    },
                },
            ],
        }
    )


SECRET_MARKERS = ("SECRET-", "REVEAL-WHY", "REVEAL-FEAR")
