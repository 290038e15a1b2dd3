"""Training sessions (issue 16): a trainer's classes of trainees on scenarios, the rubric, the scorer, reports."""
