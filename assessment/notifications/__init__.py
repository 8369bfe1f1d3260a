"""Emails on a clock (issue #17): each person's weekly digest, and the reminder to a project's
managers when it is due for reassessment. The scheduler (scheduler/) enqueues the tasks."""
