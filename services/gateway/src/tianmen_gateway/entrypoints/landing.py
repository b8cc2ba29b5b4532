"""A tiny landing page at /: the consoles and the API documentation."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter()

PAGE = """<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>天门工程机械监管 · Tianmen machinery supervision</title></head>
<body>
<h1>天门市工程机械监管中心</h1>
<p>Tianmen construction-machinery supervision API.</p>
<ul>
<li><a href="/console/">监管控制台 · Console (staff, enterprises, citizens)</a></li>
<li><a href="/docs">API documentation (OpenAPI)</a></li>
<li><a href="/openapi.json">openapi.json</a></li>
</ul>
</body>
</html>
"""


@router.get("/", include_in_schema=False)
def landing() -> HTMLResponse:
    return HTMLResponse(PAGE)
