"""Forms of the Topics page: add, rename and merge topics. CSRF comes from FlaskForm."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length

from quizapp.domain.questions import TOPIC_NAME_MAX_LENGTH
from quizapp.teach.class_forms import WordedForm

_NAME_VALIDATORS = [
    InputRequired(message=_l("Give the topic a name.")),
    Length(max=TOPIC_NAME_MAX_LENGTH, message=_l("At most %(max)d characters.")),
]


class TopicForm(WordedForm):
    """A new topic, or a new name for one."""

    name = StringField(_l("Name"), validators=_NAME_VALIDATORS)


class MergeTopicForm(WordedForm):
    """Move a topic's questions into another; the view offers the other topics (:meth:`offer`)."""

    into = SelectField(_l("Merge into"), choices=[], validate_choice=True, invalid_choice_message=_l("Choose a topic."))

    def offer(self, topics: Sequence[tuple[str, str]], leaving: str) -> None:
        self.into.choices = [SelectChoice(slug, name) for slug, name in topics if slug != leaving]
