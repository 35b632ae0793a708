from piccolo.columns import Serial, Timestamptz, Varchar
from piccolo.table import Table


class Household(Table, tablename="household"):
    """People at one postal address: one printed newsletter goes to a household."""

    id = Serial(primary_key=True)
    key = Varchar(length=120, unique=True)  # country|postcode|number|addition
    family_name = Varchar(length=150, default="")
    created_at = Timestamptz()
