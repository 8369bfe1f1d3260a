"""Configuration: settings from the environment, the URL map, WSGI/ASGI, middleware, /healthz."""
