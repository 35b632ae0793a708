from piccolo.columns import JSON, Date, ForeignKey, Integer, Serial, Text, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table


class Jurisdiction(Table, tablename="jurisdiction"):
    """A country, state/province, congressional district or municipality, valid for a period.

    A new map is a new version (new rows with a later ``valid_from``), not an edit.
    Codes: "US", "US-NY", "US-NY-12", "NL", "NL-GR", "NL-GM0014".
    """

    id = Serial(primary_key=True)
    code = Varchar(length=40, index=True)
    name = Varchar(length=200)
    kind = Varchar(
        length=30, index=True
    )  # country, state, province, congressional_district, municipality
    parent: ForeignKey = ForeignKey(
        references="self", null=True, default=None, on_delete=OnDelete.set_null
    )
    valid_from = Date()
    valid_to = Date(null=True, default=None)
    source = Varchar(length=200, default="")


class PostcodeArea(Table, tablename="postcode_area"):
    """A postcode (US ZCTA, NL PC4) lying (partly) in a jurisdiction."""

    id = Serial(primary_key=True)
    country = Varchar(length=2)
    postcode = Varchar(length=10, index=True)
    jurisdiction = ForeignKey(references=Jurisdiction, on_delete=OnDelete.cascade, index=True)
    weight = Integer(default=0)  # e.g. number of addresses in that part


class Representative(Table, tablename="representative"):
    """An elected representative (House member, senator, council member) for a jurisdiction."""

    id = Serial(primary_key=True)
    external_id = Varchar(length=40, index=True)  # bioguide id, or a council id
    name = Varchar(length=200)
    chamber = Varchar(length=20)  # house, senate, council
    party = Varchar(length=60, default="")
    jurisdiction = ForeignKey(references=Jurisdiction, on_delete=OnDelete.cascade, index=True)
    valid_from = Date()
    valid_to = Date(null=True, default=None)
    contact = JSON(default={})


class Office(Table, tablename="office"):
    """A representative's office: where cases land and caseworkers work."""

    id = Serial(primary_key=True)
    name = Varchar(length=200)
    representative = ForeignKey(
        references=Representative, null=True, default=None, on_delete=OnDelete.set_null
    )
    address = Text(default="")
    phone = Varchar(length=40, default="")
    kind = Varchar(length=20, default="district")  # district, capitol, municipal
    active = Integer(default=1)


class CaseworkerTopic(Table, tablename="caseworker_topic"):
    """A caseworker's specialism within their office: cases of this topic go to them."""

    id = Serial(primary_key=True)
    office = ForeignKey(references=Office, on_delete=OnDelete.cascade, index=True)
    user_id = Integer(index=True)
    topic = Varchar(length=40)
