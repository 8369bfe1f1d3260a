"""Assessments: the domain and the pages built on it.

The domain sits in this package's modules: models, `services` (writes), `queries` (reads shared by
services and pages), `access` (the one door for object lookups) and the pure modules `consensus`,
`scoring`, `planning`, `charts` and `exports`. Each page family is a sub-package with its own
views, queries and forms: `questionnaire`, `results`, `dashboard`, `reports` and `project_pages`.
"""
