"""The user's own account pages: API tokens, made and revoked by their owner."""
