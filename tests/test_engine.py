"""The disclosure engine's rules, fed labels directly (the analyser is tested on its own)."""

from __future__ import annotations

from simulator import engine
from simulator.labels import TurnLabels
from simulator.persona import Level
from simulator.transcript import EngineState
from tests.support.sample import sample_persona

PERSONA = sample_persona()


def play(*turns: TurnLabels) -> EngineState:
    state = engine.start(PERSONA)
    for index, labels in enumerate(turns):
        state = engine.step(state, PERSONA, labels, 2 * index + 1)
    return state


WORLD = TurnLabels(question="open", world=True)
FOLLOW = TurnLabels(question="open", followup=True)
PITCH = TurnLabels(question="closed", pitch=True, priorities=["cash"])
SELF_SERVING = TurnLabels(question="open", self_serving=True)


def test_world_question_then_follow_ups_reach_why() -> None:
    state = play(WORLD, FOLLOW, FOLLOW)
    assert state.levels["cash"] is Level.why
    assert state.focus == "cash"


def test_fear_needs_more_trust_than_why() -> None:
    state = play(WORLD, FOLLOW, FOLLOW, FOLLOW)
    assert state.levels["cash"] is Level.why
    held = state.log[-1]
    assert held.priority == "cash" and held.before is held.after is Level.why
    assert "needs trust" in held.reason
    # Two more curious turns earn the trust; the next follow-up reaches the fear.
    state = play(WORLD, FOLLOW, FOLLOW, FOLLOW, FOLLOW, FOLLOW)
    assert state.levels["cash"] is Level.fear


def test_pitch_costs_trust_and_raises_nothing() -> None:
    state = play(PITCH)
    assert state.trust < PERSONA.trust.start
    assert set(state.levels.values()) == {Level.hidden}
    assert state.log[0].reason.startswith("pitch")


def test_closed_question_on_a_topic_stops_at_stated() -> None:
    closed = TurnLabels(question="closed", priorities=["audit"])
    state = play(closed, closed, closed, closed)
    assert state.levels["audit"] is Level.stated


def test_closed_follow_up_earns_trust_but_stops_at_stated() -> None:
    closed_follow = TurnLabels(question="closed", followup=True)
    state = play(WORLD, *[closed_follow] * 6)
    assert state.levels["cash"] is Level.stated
    assert state.trust > PERSONA.trust.start


def test_reflection_without_question_goes_deeper() -> None:
    reflection = TurnLabels(question="none", reflection=True)
    state = play(WORLD, reflection, reflection)
    assert state.levels["cash"] is Level.why


def test_low_trust_keeps_everything_at_hint() -> None:
    state = play(SELF_SERVING, SELF_SERVING, WORLD)
    assert state.trust < 0.2
    assert state.levels["cash"] is Level.hint
    assert "guarded" in state.log[-1].reason


def test_self_serving_questions_slow_everything_after() -> None:
    curious = (WORLD, FOLLOW, FOLLOW, WORLD, FOLLOW, FOLLOW)
    clean = play(*curious)
    burned = play(SELF_SERVING, SELF_SERVING, *curious)
    assert clean.levels["cash"] is Level.why
    assert burned.levels["cash"].rank < Level.why.rank
    assert burned.trust < clean.trust


def test_every_transition_names_its_turn_and_reason() -> None:
    state = play(WORLD, PITCH, FOLLOW)
    assert [entry.turn for entry in state.log] == [1, 1, 3, 5, 5]
    assert all(entry.reason for entry in state.log)
    raised = engine.raised(state, 5)
    assert [(r.priority, r.before, r.after) for r in raised] == [("cash", Level.hint, Level.stated)]


def test_engine_is_deterministic() -> None:
    turns = (WORLD, FOLLOW, SELF_SERVING, FOLLOW, WORLD, FOLLOW)
    assert play(*turns) == play(*turns)
