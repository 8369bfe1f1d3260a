"""Question banks: versions (immutable once published), the YAML file format, validation,
coverage of the research, the shipped bank files, the admin for curating them and their commands."""
