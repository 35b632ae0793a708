from piccolo.columns import JSON, Boolean, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table


class Journey(Table, tablename="journey"):
    """A journey by its key (a file in campaigns/journeys); its definitions are versions."""

    id = Serial(primary_key=True)
    key = Varchar(length=100, unique=True)
    owner = Varchar(length=10)  # party or office
    paused = Boolean(default=False)
    retired_at = Timestamptz(null=True, default=None)  # its file is gone (versions stay)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class JourneyVersion(Table, tablename="journey_version"):
    """One definition of a journey as it was loaded; a changed file makes the next one.
    People who entered a version stay on it."""

    id = Serial(primary_key=True)
    journey = ForeignKey(references=Journey, on_delete=OnDelete.cascade, index=True)
    number = Integer()  # 1, 2, ... per journey
    definition = JSON()
    hash = Varchar(length=64, index=True)  # sha256 of the canonical definition JSON
    source = Varchar(length=300, default="")  # the file it came from
    loaded_at = Timestamptz()
