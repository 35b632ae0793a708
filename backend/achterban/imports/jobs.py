from typing import Any

from achterban.imports import service
from achterban.platform import jobs


async def import_people(ctx: dict[str, Any], **arguments: Any) -> dict[str, int]:
    counts = await service.run_import(
        ctx["job_key"], progress=ctx.get("progress"), claim=ctx.get("claim"), **arguments
    )
    service.discard_copy(arguments["path"])
    if counts["created"] or counts["updated"]:
        await jobs.enqueue_once("dedupe_scan")  # at once: the new people may be someone known
    return counts


async def purge_import_leftovers(ctx: dict[str, Any]) -> dict[str, int]:
    return await service.purge_leftovers()
