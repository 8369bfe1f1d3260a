"""A throwaway SAML 2.0 identity provider (pysaml2) for the company sign-in tests.

It is a small WSGI application (`app.py`) run by gunicorn in a process of its own;
`server.start_idp` generates its signing key and certificate and starts it. No Django, and
nothing here is imported by the Paydown app.
"""
