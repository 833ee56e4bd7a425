"""The student's own study: flashcards with spaced repetition, dashboard, weakest questions."""
