"""Base Structs: request bodies reject unknown fields, so a typo is an error, not a no-op."""

import msgspec


class Input(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Base for every request body."""
