from datetime import timedelta

import pytest

from quizzes.domain.srs import StudySettings


def test_defaults_follow_the_brief_and_anki():
    settings = StudySettings()
    assert settings.desired_retention == 0.90
    assert settings.new_per_day == 20
    assert settings.reviews_per_day == 200
    assert settings.learning_steps == (timedelta(minutes=1), timedelta(minutes=10))
    assert settings.relearning_steps == (timedelta(minutes=10),)
    assert settings.timezone == "UTC"
    assert settings.day_start_hour == 4
    assert settings.enable_fuzzing is True
    scheduler = settings.scheduler
    assert scheduler.desired_retention == 0.90
    assert scheduler.learning_steps == settings.learning_steps
    assert scheduler.enable_fuzzing is False  # review() fuzzes with its own generator


@pytest.mark.parametrize("retention", [0.70, 0.85, 0.97])
def test_desired_retention_range_is_inclusive(retention):
    assert StudySettings(desired_retention=retention).scheduler.desired_retention == retention


@pytest.mark.parametrize("retention", [0.69, 0.975, 1.0, 90, "0.9", None])
def test_desired_retention_outside_range_is_refused_with_a_clear_message(retention):
    with pytest.raises(ValueError, match=r"desired_retention must be between 0\.70 and 0\.97"):
        StudySettings(desired_retention=retention)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"new_per_day": -1}, "new_per_day must be a whole number"),
        ({"reviews_per_day": 2.5}, "reviews_per_day must be a whole number"),
        ({"new_per_day": True}, "new_per_day must be a whole number"),
        ({"learning_steps": (timedelta(0),)}, "learning_steps must be positive"),
        ({"relearning_steps": (timedelta(days=1),)}, "shorter than one day"),
        ({"timezone": "Mars/Olympus_Mons"}, "unknown timezone 'Mars/Olympus_Mons'"),
        ({"timezone": "../etc/passwd"}, "unknown timezone"),
        ({"day_start_hour": 24}, "day_start_hour must be 0..23"),
        ({"maximum_interval_days": 0}, "maximum_interval_days must be >= 1"),
        ({"learn_ahead": timedelta(minutes=-1)}, "learn_ahead"),
        ({"parameters": (1.0,) * 3}, "Expected 21 parameters"),
    ],
)
def test_invalid_settings_are_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        StudySettings(**changes)


def test_dict_round_trip_and_lists_become_tuples():
    settings = StudySettings(
        desired_retention=0.85,
        learning_steps=[timedelta(minutes=5)],
        timezone="Asia/Seoul",
        enable_fuzzing=False,
    )
    assert settings.learning_steps == (timedelta(minutes=5),)
    data = settings.to_dict()
    assert data["learning_steps"] == [300.0]
    assert data["relearning_steps"] == [600.0]
    assert StudySettings.from_dict(data) == settings
    assert hash(StudySettings.from_dict(data)) == hash(settings)


def test_from_dict_fills_defaults_and_refuses_unknown_keys():
    assert StudySettings.from_dict({"new_per_day": 5}) == StudySettings(new_per_day=5)
    with pytest.raises(ValueError, match="unknown study settings: colour"):
        StudySettings.from_dict({"colour": "blue"})
