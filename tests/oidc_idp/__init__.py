"""A throwaway OpenID Connect provider (django-oidc-provider) for the company sign-in tests.

It runs in a process of its own with its own settings and SQLite file; `server.start_provider`
sets it up and starts it. Nothing here is imported by the Paydown app.
"""
