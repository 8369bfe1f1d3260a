"""Who did what, when (issue #17): an append-only log of the actions that change what a score means
or who may see it, and of the downloads of reports and exports."""
