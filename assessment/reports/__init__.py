"""PDF reports: data to HTML to PDF for the audit report and the portfolio report; large ones
are rendered by the background worker (django-tasks)."""
