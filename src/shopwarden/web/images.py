"""`/images/{id}`: an image from the image store for a page, if the caller may see it (a seller:
only its own shop's images; anyone else's answers 404)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from starlette.responses import Response

from shopwarden.service import pages
from shopwarden.web.pages import PageRoute, SignedIn

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/images/{image_id}")
def image(image_id: Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")], page: SignedIn) -> Response:
    data, media_type = pages.image(page.request.app.state.ctx, page.caller, image_id)
    # Private: a shared cache must not hand one seller's image to another.
    return Response(data, media_type=media_type, headers={"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"})
