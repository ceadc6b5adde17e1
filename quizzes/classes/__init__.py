"""Classes: teachers create them (quizzes.teach), students join them with a code (here)."""
