"""A student's progress: score trend, mastery per topic, the items most often missed."""
