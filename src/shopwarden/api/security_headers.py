"""Security headers on every answer of the app, set in one place (outermost of its middleware):

- every response: `X-Content-Type-Options: nosniff` and `Referrer-Policy: same-origin`;
- HTML pages: a Content-Security-Policy that loads scripts, styles and images from this origin
  only, runs no inline script, lets no one frame the page and posts forms only here (style
  attributes stay allowed: the gauges draw their widths with them); and `X-Frame-Options: DENY`
  for browsers that predate frame-ancestors;
- over https: `Strict-Transport-Security`. The scheme is the one uvicorn put in the scope, which
  with its proxy headers setting (on by default, trusting FORWARDED_ALLOW_IPS) is the
  `X-Forwarded-Proto` of a trusted proxy that terminates TLS.
A header the route set itself is left as it is.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self'; "
               "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
HSTS = "max-age=31536000"

_ALWAYS = ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"))
_PAGES = ((b"content-security-policy", PAGE_POLICY.encode()), (b"x-frame-options", b"DENY"))
_HTTPS = ((b"strict-transport-security", HSTS.encode()),)


class SecurityHeaders:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        https = scope.get("scheme") == "https"

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": _added(list(message.get("headers") or ()), https)}
            await send(message)

        await self.app(scope, receive, with_headers)


def _added(headers: list, https: bool) -> list:
    present = {name.lower() for name, _ in headers}
    html = any(name.lower() == b"content-type" and value.startswith(b"text/html") for name, value in headers)
    extra = _ALWAYS + (_PAGES if html else ()) + (_HTTPS if https else ())
    return headers + [(name, value) for name, value in extra if name not in present]
