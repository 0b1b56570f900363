"""The identification key: the questions the intake form asks, walked from the answers to a category.

The key is data in the rule set (DOMAIN.md §7). ``identify`` takes the answers given so far (question id ->
answer id) and returns either the category they lead to or the next question to ask, with the path taken,
so the form can show the questions answered and offer the next one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from inspector.errors import UserError
from inspector.standard.ruleset import RuleSet
from inspector.standard.schema import Question
from inspector.standard.wording import Labelled


@dataclass(frozen=True, slots=True)
class Step:
    """One answered question on the way through the key."""

    question: str
    answer: str


@dataclass(frozen=True, slots=True)
class Identification:
    """Where the answers lead: a ``category`` when the key is done, else the ``question`` to ask next."""

    path: tuple[Step, ...]
    category: str | None
    question: Question | None
    # Questions answered but not on the path (left over after an earlier answer changed): ignored.
    unused: tuple[str, ...] = ()

    @property
    def done(self) -> bool:
        return self.category is not None


def first_question(ruleset: RuleSet) -> Question:
    return _questions(ruleset)[ruleset.definition.identification.start]


def identify(ruleset: RuleSet, answers: Mapping[str, str]) -> Identification:
    """Walk the key from its start with ``answers``; answers to questions off the path are ignored."""
    questions = _questions(ruleset)
    current = questions[ruleset.definition.identification.start]
    path: list[Step] = []
    while True:
        chosen = answers.get(current.id)
        if chosen is None:
            return Identification(tuple(path), None, current, _unused(answers, path))
        answer = next((a for a in current.answers if a.id == chosen), None)
        if answer is None:
            raise UserError("standard.answer_unknown", field=f"identification.{current.id}",
                            value=str(chosen), question=current.text,
                            answers=[Labelled(a.id, a.text) for a in current.answers])
        path.append(Step(current.id, answer.id))
        if answer.category is not None:
            return Identification(tuple(path), answer.category, None, _unused(answers, path))
        assert answer.next is not None
        current = questions[answer.next]


def identify_sequence(ruleset: RuleSet, answers: list[str]) -> Identification:
    """Walk the key with answers given in order (as a scanner or a keyboard-driven form gives them)."""
    questions = _questions(ruleset)
    given: dict[str, str] = {}
    current: Question | None = questions[ruleset.definition.identification.start]
    for answer_id in answers:
        if current is None:
            raise UserError("standard.too_many_answers", field="identification", count=len(answers))
        given[current.id] = answer_id
        result = identify(ruleset, given)
        current = result.question
    return identify(ruleset, given)


def _unused(answers: Mapping[str, str], path: list[Step]) -> tuple[str, ...]:
    on_path = {s.question for s in path}
    return tuple(sorted(q for q in answers if q not in on_path))


def _questions(ruleset: RuleSet) -> dict[str, Question]:
    return {q.id: q for q in ruleset.definition.identification.questions}
