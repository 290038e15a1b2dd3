"""The advisor's console: server-rendered screens (Flask + Jinja2) that act only through the gateway's /api/v1."""
