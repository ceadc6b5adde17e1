"""Live class sessions without Flask or a database: the round's state machine, nickname
moderation, question choice, answer distributions and the leaderboard."""
