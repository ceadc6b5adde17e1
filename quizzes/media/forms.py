"""The upload form every media upload shares: a file and its alt text (or sound label)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from quizzes.domain.media import ALT_TEXT, clean_text_label


class MediaUploadForm(FlaskForm):
    file = FileField("Image file", validators=[FileRequired("Choose a file to upload.")])
    label = StringField(
        "Alt text: what the image shows, for those who cannot see it",
        filters=[clean_text_label],
        validators=[
            DataRequired("Write the alt text: what the image shows."),
            Length(max=ALT_TEXT, message=f"At most {ALT_TEXT} characters."),
        ],
    )
    submit = SubmitField("Upload")

    def upload(self) -> tuple[str, bytes]:
        """The uploaded file's name and bytes (at most the request limit, 2 MiB)."""
        stored = self.file.data
        return stored.filename or "", stored.read()


class CardMediaForm(MediaUploadForm):
    """An image or a sound for one side of a card."""

    side = SelectField(
        "Side", choices=[("front", "Front (the question)"), ("back", "Back (the answer)")]
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.file.label.text = "Image or sound file"
        self.label.label.text = "Alt text (image) or label (sound): what it shows or says"
