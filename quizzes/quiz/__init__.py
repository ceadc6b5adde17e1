"""Taking quizzes: assemble an attempt, save every answer as it is given, grade, review."""
