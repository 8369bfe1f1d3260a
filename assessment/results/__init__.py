"""After submit: the results page, the remediation plan with its what-if, the backlog of tracked
actions, the project's history and comparisons, and the results' CSV/JSON exports."""
