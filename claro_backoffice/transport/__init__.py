"""How requests reach the apps without a socket: an in-process transport that calls an ASGI app from the calling
thread. Imports neither the gateway nor a mock: both use it, and the composition root (serve.py) and the test
fixture wire it."""
