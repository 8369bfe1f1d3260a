"""The portfolio dashboard for managers (and the members' summary), its filters and its exports."""
