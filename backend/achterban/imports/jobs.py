from typing import Any

from achterban.imports import service


async def import_people(ctx: dict[str, Any], **arguments: Any) -> dict[str, int]:
    counts = await service.run_import(ctx["job_key"], progress=ctx.get("progress"), **arguments)
    service.discard_copy(arguments["path"])
    return counts


async def purge_import_leftovers(ctx: dict[str, Any]) -> dict[str, int]:
    return await service.purge_leftovers()
