from piccolo.columns import BigInt, BigSerial, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class AuditEvent(Table, tablename="audit_event"):
    """One append-only entry, written by the caller without waiting on anyone.

    ``prev_hash``/``hash`` hold the unkeyed chain of entries written before the keyed
    seal existed; new entries leave them empty and are chained in ``audit_seal``.
    """

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


class AuditSeal(Table, tablename="audit_seal"):
    """The keyed chain: entry ``seq`` seals one event and the seal before it (append-only)."""

    seq = BigInt(primary_key=True)
    event_id = BigInt(unique=True)
    prev_hash = Varchar(length=64)
    hash = Varchar(length=64)
    sealed_at = Timestamptz(default=TimestamptzNow())


class AuditPending(Table, tablename="audit_pending"):
    """Events committed but not yet sealed; a trigger on ``audit_event`` fills it."""

    event_id = BigInt(primary_key=True)


class PersonKey(Table, tablename="person_key"):
    """A person's key for their values in the audit log, wrapped with the audit key.

    Erasure deletes the row, and what was encrypted with it can no longer be read.
    """

    person_id = BigInt(primary_key=True)
    wrapped = Text()
    created_at = Timestamptz(default=TimestamptzNow())
