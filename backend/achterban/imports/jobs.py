from typing import Any

from achterban.imports import service


async def import_people(ctx: dict[str, Any], **arguments: Any) -> dict[str, int]:
    return await service.run_import(ctx["job_key"], progress=ctx.get("progress"), **arguments)
