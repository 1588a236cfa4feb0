"""How much one request may ask of a server, and the ASGI middleware that enforces the upload size."""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

#: Largest request body (an uploaded photo and its multipart wrapping).
MAX_UPLOAD_BYTES = 20 * 2**20
#: Largest image, in pixels, that an upload may declare; a larger one is refused before it is decoded.
MAX_PIXELS = 50_000_000
#: Most videos in one sample grid.
MAX_SAMPLES = 16
#: Seeds are what torch.Generator.manual_seed takes without wrapping around.
MAX_SEED = 2**63 - 1


class BodyLimit:
    """Refuse a request body over ``max_bytes`` by its Content-Length, before it reaches the app.

    uvicorn hands the app no more bytes than Content-Length announces, so the header is the
    bound; a body without one (chunked) is refused too. The refused body is read and dropped
    first: a server that answers and hangs up while the client is still sending resets the
    connection, and the client would never see the answer.
    """

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_UPLOAD_BYTES):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        problem = self._problem(dict(scope["headers"])) if scope["type"] == "http" else None
        if problem is None:
            return await self.app(scope, receive, send)
        await _drain(receive, self.max_bytes if problem[0] == 411 else None)
        await JSONResponse({"detail": problem[1]}, problem[0], headers={"Connection": "close"})(scope, receive, send)

    def _problem(self, headers: dict[bytes, bytes]) -> tuple[int, str] | None:
        length = headers.get(b"content-length")
        if length is None:
            if b"transfer-encoding" in headers:
                return 411, "send the request body with a Content-Length header"
            return None
        if int(length) > self.max_bytes:
            return 413, f"request body of {int(length):,} bytes is over the limit of {self.max_bytes:,} bytes"
        return None


async def _drain(receive: Receive, max_bytes: int | None) -> None:
    """Read the request body and drop it; stop after ``max_bytes`` when a body has no announced length."""
    seen = 0
    while True:
        message = await receive()
        seen += len(message.get("body", b""))
        if (
            message["type"] == "http.disconnect"
            or not message.get("more_body")
            or (max_bytes is not None and seen > max_bytes)
        ):
            return
