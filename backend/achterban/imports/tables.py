from piccolo.columns import Integer, Serial, Text, Varchar
from piccolo.table import Table


class ImportIssue(Table, tablename="import_issue"):
    """A row of an import that did not land, with its line number and why."""

    id = Serial(primary_key=True)
    job_key = Varchar(length=100, index=True)
    line = Integer()
    reason = Varchar(length=500)
    raw_line = Text(default="")
