"""Question banks and assessments."""
