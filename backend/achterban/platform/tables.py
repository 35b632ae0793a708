from piccolo.columns import JSON, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table


class JobRun(Table, tablename="job_run"):
    """A queued or running background job, its progress and its outcome.

    The database is the record; Redis (or the in-process runner) only wakes a
    worker. Progress is written by the job itself. A worker claims the row
    (``claimed_by``) and refreshes ``heartbeat_at`` while it runs; ``checkpoint`` is
    what a job that stopped half-way carries on from (an import: the last committed
    line and its counts).
    """

    id = Serial(primary_key=True)

    job_key = Varchar(length=100, unique=True, index=True)
    name = Varchar(length=80, index=True)
    status = Varchar(length=20, default="queued")
    attempts = Integer(default=0)
    done = Integer(default=0)
    total = Integer(null=True, default=None)
    arguments = JSON(default={})
    result = JSON(default={})
    error = Text(default="")
    actor_id = Integer(null=True, default=None)
    created_at = Timestamptz()
    started_at = Timestamptz(null=True, default=None)
    finished_at = Timestamptz(null=True, default=None)
    heartbeat_at = Timestamptz(null=True, default=None)
    claimed_by = Varchar(length=100, default="")
    checkpoint = JSON(default={})
