"""The quiz blueprint: randomized quizzes with feedback after every answer."""
