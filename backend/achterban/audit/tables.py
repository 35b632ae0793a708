from piccolo.columns import BigSerial, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table


class AuditEvent(Table, tablename="audit_event"):
    """One append-only entry; ``hash`` covers the row and the hash of the row before it."""

    id = BigSerial(primary_key=True)
    at = Timestamptz()
    actor_id = Integer(null=True, default=None)
    actor_label = Varchar(length=254)
    action = Varchar(length=80, index=True)
    object_type = Varchar(length=60)
    object_id = Varchar(length=80)
    ip = Varchar(length=64, null=True, default=None)
    detail = Text(default="{}")
    prev_hash = Varchar(length=64)
    hash = Varchar(length=64)
