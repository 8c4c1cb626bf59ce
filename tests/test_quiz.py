"""The quiz scorer: answers in the rep's own words, matched to the hidden priorities."""

from __future__ import annotations

from simulator.quiz import QuizAnswer, QuizScore, score_quiz
from tests.support.sample import sample_persona

PERSONA = sample_persona()


def by_id(score: QuizScore) -> dict[str, tuple[bool, bool, int | None]]:
    return {item.id: (item.named, item.why_right, item.answer) for item in score.priorities}


def test_paraphrased_answers_name_each_priority_and_its_reason() -> None:
    score = score_quiz(
        [
            QuizAnswer(
                care="Knowing her cash position daily",
                why="they came close to breaching a loan covenant",
            ),
            QuizAnswer(care="Her staff are doing too much overtime", why="two of them quit"),
            QuizAnswer(care="Getting through the audit cleanly", why="controls weakness last year"),
        ],
        PERSONA,
    )
    assert by_id(score) == {
        "cash": (True, True, 0),
        "team": (True, True, 1),
        "audit": (True, True, 2),
    }
    assert (score.points, score.max_points) == (6, 6)
    assert score.unmatched == []


def test_the_answer_order_does_not_matter() -> None:
    answers = [
        QuizAnswer(care="auditors coming back", why="a weakness in the controls"),
        QuizAnswer(care="cash visibility", why="covenant"),
    ]
    score = score_quiz(answers, PERSONA)
    assert by_id(score)["audit"] == (True, True, 0)
    assert by_id(score)["cash"] == (True, True, 1)


def test_a_partial_answer_names_the_priority_without_its_reason() -> None:
    score = score_quiz([QuizAnswer(care="her team's workload", why="she seemed tired")], PERSONA)
    assert by_id(score)["team"] == (True, False, 0)
    assert score.points == 1


def test_the_reason_alone_can_show_which_priority_is_meant() -> None:
    score = score_quiz([QuizAnswer(care="money stuff", why="nearly broke a covenant")], PERSONA)
    assert by_id(score)["cash"][1:] == (True, 0)


def test_wrong_answers_earn_nothing() -> None:
    score = score_quiz(
        [
            QuizAnswer(care="Moving to a new ERP", why="the old one is slow"),
            QuizAnswer(care="Fuel prices", why="diesel went up"),
        ],
        PERSONA,
    )
    assert score.points == 0
    assert score.unmatched == [0, 1]
    assert all(item.answer is None for item in score.priorities)


def test_empty_answers_earn_nothing_and_are_reported() -> None:
    score = score_quiz([QuizAnswer(), QuizAnswer(care="  ", why="")], PERSONA)
    assert score.points == 0
    assert score.unmatched == [0, 1]
    assert score_quiz([], PERSONA).points == 0


def test_the_same_priority_twice_is_counted_once() -> None:
    score = score_quiz(
        [
            QuizAnswer(care="cash", why=""),
            QuizAnswer(care="seeing cash every day", why="the covenant scare"),
            QuizAnswer(care="daily cash forecast", why="bank covenant"),
        ],
        PERSONA,
    )
    matched = [item for item in score.priorities if item.answer is not None]
    assert [item.id for item in matched] == ["cash"]
    assert score.points == 2
    assert len(score.unmatched) == 2


def test_a_typo_still_matches() -> None:
    score = score_quiz([QuizAnswer(care="liquidty", why="covenent breach")], PERSONA)
    assert by_id(score)["cash"] == (True, True, 0)


def test_the_score_is_plain_json() -> None:
    score = score_quiz([QuizAnswer(care="cash", why="covenant")], PERSONA)
    data = score.model_dump(mode="json")
    assert data["points"] == 2 and data["max_points"] == 6
    assert data["priorities"][0]["matched"] == {"care": "cash", "why": "covenant"}
