"""The editor form of essay items (templates/items/essay/edit.html shows it).

A rubric is a list of criteria; each criterion's levels are typed on one line,
"Missing = 0; Some = 1; Well chosen = 2", so the whole rubric is edited with the list
buttons every form has, without JavaScript. No criterion: the answer is marked out of
"Max points" instead.
"""

from __future__ import annotations

import math
import re
from typing import Any

from wtforms import FieldList, Form, FormField, IntegerField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from quizzes.domain.itemtypes import essay
from quizzes.teach.item_forms.base import (
    MAX_SHORT,
    MAX_TEXT,
    InRange,
    ItemForm,
    ListSpec,
    NumberField,
    strip_text,
)

_LEVEL = re.compile(r"^(?P<text>.+?)\s*=\s*(?P<points>[0-9]+(?:[.,][0-9]+)?)$")
LEVELS_HINT = "Levels on one line, each with its points: Missing = 0; Some = 1; Well chosen = 2"


def read_levels(line: str) -> list[dict[str, Any]]:
    """ "Missing = 0; Clear = 1" -> [{"text": "Missing", "points": 0}, ...]; ValueError
    naming the part that is not "description = points"."""
    levels = []
    for part in (p.strip() for p in line.split(";")):
        if not part:
            continue
        match = _LEVEL.match(part)
        if match is None:
            raise ValueError(f"Write each level as description = points: '{part[:40]}' is not.")
        points = float(match["points"].replace(",", "."))
        if not math.isfinite(points) or points > essay.MAX_POINTS:
            raise ValueError(f"A level is worth at most {essay.MAX_POINTS} points.")
        shown = int(points) if points.is_integer() else points
        levels.append({"text": match["text"], "points": shown})
    return levels


def write_levels(levels: list[dict[str, Any]]) -> str:
    def shown(points: float) -> str:
        return str(int(points)) if float(points).is_integer() else str(points)

    return "; ".join(f"{level['text']} = {shown(level['points'])}" for level in levels)


class CriterionEntry(Form):
    criterion = StringField("Criterion", filters=[strip_text], validators=[Length(max=MAX_SHORT)])
    levels = StringField("Levels", filters=[strip_text], validators=[Length(max=MAX_SHORT)])


class EssayItemForm(ItemForm):
    item_type = "essay"
    LISTS = {
        "criteria": ListSpec(
            "criterion",
            "Rubric (optional)",
            {"criterion": "", "levels": ""},
            0,
            "criterion",
            movable=True,
        )
    }
    MESSAGE_FIELDS = (
        ("template", "template"),
        ("word limit", "word_limit"),
        ("max points", "max_points"),
        ("markers", "grader_info"),
        ("rubric", "criteria"),
        ("criteri", "criteria"),
    )
    word_limit = IntegerField(
        "Word limit (optional)",
        validators=[
            Optional(),
            InRange(
                1,
                essay.MAX_WORD_LIMIT,
                f"The word limit is a whole number from 1 to {essay.MAX_WORD_LIMIT}.",
            ),
        ],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    template = TextAreaField(
        "Response template: text the answer box starts with (optional)",
        filters=[strip_text],
        validators=[Length(max=MAX_TEXT)],
    )
    max_points = NumberField(
        "Max points, when there is no rubric",
        default=1,
        validators=[
            InRange(
                0.01,
                essay.MAX_POINTS,
                f"Max points is a number above 0, at most {essay.MAX_POINTS}.",
            )
        ],
    )
    grader_info = TextAreaField(
        "Notes for markers (optional; students never see them)",
        filters=[strip_text],
        validators=[Length(max=MAX_TEXT)],
    )
    criteria = FieldList(FormField(CriterionEntry), min_entries=0)

    def filled(self) -> list[Any]:
        return [
            entry.form
            for entry in self.criteria.entries
            if entry.form.criterion.data or entry.form.levels.data
        ]

    def rubric(self) -> list[dict[str, Any]]:
        rubric = []
        for form in self.filled():
            try:
                levels = read_levels(form.levels.data or "")
            except ValueError:
                levels = []
            rubric.append({"criterion": form.criterion.data or "", "levels": levels})
        return rubric

    def check(self) -> None:
        for form in self.filled():
            if not form.criterion.data:
                form.criterion.errors.append("Name this criterion, or remove it.")
            try:
                levels = read_levels(form.levels.data or "")
            except ValueError as error:
                form.levels.errors.append(str(error))
                continue
            if len(levels) < 2:
                form.levels.errors.append(f"Give at least two levels. {LEVELS_HINT}.")
        if not self.filled() and self.max_points.data is None and not self.max_points.errors:
            self.max_points.errors.append("Give the max points, or write a rubric.")

    @classmethod
    def new_defaults(cls) -> dict[str, Any]:
        return {"max_points": 1}

    @classmethod
    def load(cls, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "word_limit": data.get("word_limit"),
            "template": data.get("template", ""),
            "grader_info": data.get("grader_info", ""),
            "max_points": data.get("max_points", 1),
            "criteria": [
                {"criterion": c["criterion"], "levels": write_levels(c["levels"])}
                for c in data.get("rubric", [])
            ],
        }

    def item_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.word_limit.data is not None:
            data["word_limit"] = self.word_limit.data
        if self.template.data:
            data["template"] = self.template.data
        if self.grader_info.data:
            data["grader_info"] = self.grader_info.data
        if self.filled():
            data["rubric"] = self.rubric()
        else:
            data["max_points"] = self.max_points.data if self.max_points.data is not None else 1
        return data


FORM = EssayItemForm
