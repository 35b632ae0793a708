from typing import Any

from achterban.people import areas


async def recompute_districts(ctx: dict[str, Any]) -> dict[str, int]:
    return await areas.recompute_districts()


async def apply_due_maps(ctx: dict[str, Any]) -> dict[str, str]:
    key = await areas.apply_due_maps()
    return {"job": key or ""}
