"""The home page and the project pages: a team's projects, a project's assessments, its form."""
