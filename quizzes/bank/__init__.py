"""The question bank: loading generated items into the database, browsing and previewing."""
