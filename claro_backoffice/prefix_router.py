"""The composition root's dispatch: each request to the app mounted at its path's first segments, as Starlette's
`Mount` list did, in one dictionary lookup per segment instead of a regular expression per mount and Starlette's
two exception middlewares around them (issue 18: ~6% of a mock request under load).

What a client sees is Starlette's: a mounted app gets `root_path` extended by its prefix (and `path` unchanged); a
prefix without its slash (`/mocks/rr`) is redirected (307) to the one with it; `/` answers the index; anything else
is Starlette's plain-text 404. An exception a mounted app lets through reaches the server, which logs it and answers
500 if nothing was sent yet, as Starlette's error middleware did.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from starlette.datastructures import URL, State
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send


class PrefixRouter:
    def __init__(
        self, mounts: Mapping[str, ASGIApp], index: ASGIApp, outer: Callable[[ASGIApp], ASGIApp] | None = None
    ) -> None:
        """mounts: prefix (`/api/v1`, `/mocks/rr`: a leading slash, none trailing) -> its app; index: the app for
        `/` alone; outer: a middleware every request passes before the dispatch."""
        self.mounts = dict(mounts)
        self.index = index
        self.depth = max((prefix.count("/") for prefix in self.mounts), default=0)
        self.state = State()  # what the composition root keeps for its caller (the apps it built)
        self._app = outer(self._dispatch) if outer is not None else self._dispatch

    def _mounted(self, path: str) -> tuple[str, ASGIApp] | None:
        """The prefix and app serving `path`: a prefix followed by a slash, as Mount's `^{prefix}/(.*)$`."""
        end = 0
        for _ in range(self.depth):
            end = path.find("/", end + 1)
            if end < 0:
                return None
            app = self.mounts.get(path[:end])
            if app is not None:
                return path[:end], app
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._app(scope, receive, send)

    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return await _lifespan(receive, send)
        root_path = scope.get("root_path", "")
        path = scope["path"]
        route_path = path[len(root_path) :] if root_path and path.startswith(root_path) else path
        found = self._mounted(route_path)
        if found is not None:
            prefix, app = found
            child = dict(
                scope,
                path_params=dict(scope.get("path_params", {})),
                app_root_path=scope.get("app_root_path", root_path),
                root_path=root_path + prefix,
                endpoint=app,
            )
            return await app(child, receive, send)
        if route_path == "/":
            return await self.index(scope, receive, send)
        if scope["type"] == "websocket":
            return await send({"type": "websocket.close", "code": 1000, "reason": ""})
        if scope["type"] == "http" and route_path in self.mounts:
            # Starlette's redirect_slashes: only a bare prefix gains a match by its trailing slash.
            return await RedirectResponse(url=str(URL(scope=dict(scope, path=path + "/"))))(scope, receive, send)
        await PlainTextResponse("Not Found", status_code=404)(scope, receive, send)


async def _lifespan(receive: Receive, send: Send) -> None:
    """Nothing to start or stop here (each mounted app's own lifespan is its own business, as under Mount)."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
