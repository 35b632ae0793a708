import msgspec


class Health(msgspec.Struct, kw_only=True):
    status: str
    database: str
    redis: str
