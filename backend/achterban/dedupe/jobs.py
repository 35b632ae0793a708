from typing import Any

from achterban.dedupe import service


async def dedupe_scan(ctx: dict[str, Any]) -> dict[str, int]:
    return await service.scan()
