"""How requests reach the apps: a buffered WSGI bridge for connexion's Flask apps, and an in-process transport
that calls an ASGI app in the calling thread. Imports neither the gateway nor a mock: both use it, and the
composition root (serve.py) and the test fixture wire it."""
