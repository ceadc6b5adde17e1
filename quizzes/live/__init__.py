"""Live class sessions: a teacher's round on the projector, students answering on phones."""
