"""The consoles (staff, enterprise portal, citizen page): the built front end under /console/.

`make console-build` builds services/gateway/console into its dist/ folder; the gateway serves
it when present. The map's tile layer is configuration (`CONSOLE_TILE_URL`; none: vector layers
only), answered at /console/config.json, and the page's CSP admits that one tile origin.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

PREFIX = "/console"
BUILT = Path(__file__).resolve().parents[3] / "console" / "dist"
router = APIRouter()


@router.get(f"{PREFIX}/config.json", include_in_schema=False)
def console_config(request: Request) -> JSONResponse:
    settings = request.app.state.console
    return JSONResponse(
        {
            "tiles": settings.console_tile_url,
            "gcj02": settings.console_tile_gcj02,
            "attribution": settings.console_tile_attribution,
        }
    )


def tile_origin(tile_url: str | None) -> str:
    """The origin the page may load tiles from ('' with no tile layer)."""
    if not tile_url:
        return ""
    parts = urlsplit(tile_url)
    return f"{parts.scheme}://{parts.netloc}"


def policy(tile_url: str | None) -> str:
    tiles = f" {tile_origin(tile_url)}".rstrip()
    return (
        f"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data: blob:{tiles}; connect-src 'self'{tiles}; worker-src 'self' blob:; "
        "frame-ancestors 'none'"
    )


def mount(app: FastAPI, directory: Path = BUILT) -> bool:
    """Serve the built console if it is there; True if it is."""
    app.include_router(router)
    if not (directory / "index.html").is_file():
        return False
    app.mount(PREFIX, StaticFiles(directory=directory, html=True), name="console")
    return True
