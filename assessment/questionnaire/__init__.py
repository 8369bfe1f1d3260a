"""Answering: start an assessment, the questionnaire with its autosave, discussion, submit, and
the bank preview that shows the questionnaire before a version is published."""
