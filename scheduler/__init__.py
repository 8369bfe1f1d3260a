"""Periodic jobs for the worker (issue #17): django-tasks runs what is queued but queues nothing on
a clock, so the worker also runs this small scheduler, which enqueues each due occurrence of a job
exactly once however many workers run."""
