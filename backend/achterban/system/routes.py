"""Health, and the SPA: built files from ``frontend/dist``, ``index.html`` for client routes."""

from pathlib import Path

from litestar import Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import File

from achterban.platform.auth import public
from achterban.platform.i18n import _
from achterban.settings import get_settings
from achterban.system import service
from achterban.system.schemas import Health


@get("/api/health", operation_id="health", opt=public(), tags=["system"], summary="Health check")
async def health() -> Response[Health]:
    result = await service.health()
    return Response(result, status_code=200 if result.status == "ok" else 503)


def _spa_file(path: str) -> Path:
    root = get_settings().spa_dir.resolve()
    if path.startswith("api/") or path == "api":
        raise NotFoundException()
    candidate = (root / path).resolve()
    if path and candidate.is_file() and candidate.is_relative_to(root):
        return candidate
    if path.startswith(("assets/", "vendor/")):  # a missing file, not a client route
        raise NotFoundException()
    index = root / "index.html"
    if not index.is_file():
        raise NotFoundException(_("The web app is not built; run `make run` or `make frontend`."))
    return index


def _serve(path: str) -> File:
    file = _spa_file(path)
    # built assets carry a content hash in their name; index.html must always be fresh
    cache = "public, max-age=31536000, immutable" if path.startswith("assets/") else "no-cache"
    return File(
        file,
        filename=file.name,
        content_disposition_type="inline",
        headers={"Cache-Control": cache},
    )


@get("/", opt=public(), include_in_schema=False, name="spa-root")
async def spa_root() -> File:
    return _serve("")


@get("/{path:path}", opt=public(), include_in_schema=False, name="spa")
async def spa(path: FromPath[str]) -> File:
    return _serve(path.lstrip("/"))
