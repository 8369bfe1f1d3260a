"""The REST API under /api/v1/ (issue #14): token-authenticated, documented by OpenAPI, writing
through the same locked services and reading through the same access module as the pages."""
