"""The person's own fields as segment conditions (platform/conditions.py), and contact: the
contact gap reads the last value-adding touch (``person.last_touch_at``) and the last
contact (``person.last_contact_at``), both kept in step with each contact moment; contact
by channel or kind in a period reads the contact moments themselves (by their time index)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any, get_args

from achterban.people import normalise, roles
from achterban.people.schemas import Channel
from achterban.people.tables import ContactPoint, Interaction, Person, PersonTag
from achterban.platform.conditions import (
    FALSE,
    Choice,
    Context,
    Field,
    Operator,
    Semi,
    negate,
    one_of,
    register,
)
from achterban.platform.i18n import _

IS = Operator("is", _("is"), "text")
IS_CHOICE = Operator("is", _("is"), "choice")
IN = Operator("in", _("is one of"), "choices")
NOT_IN = Operator("not_in", _("is none of"), "choices")
STARTS = Operator("starts_with", _("starts with"), "text")
AT_LEAST = Operator("at_least", _("at least"), "number")
AT_MOST = Operator("at_most", _("at most"), "number")
SET = Operator("is_set", _("is filled in"), "none")
UNSET = Operator("is_not_set", _("is empty"), "none")
YES = Operator("yes", _("yes"), "none")
NO = Operator("no", _("no"), "none")
HAS = Operator("has", _("has"), "choice")
HAS_NOT = Operator("has_not", _("does not have"), "choice")
WITHIN = Operator("within_days", _("in the last … days"), "days")
NOT_WITHIN = Operator("not_within_days", _("not in the last … days"), "days")
BEFORE = Operator("before", _("before"), "moment")
AFTER = Operator("after", _("on or after"), "moment")

ROLES = ("member", "donor", "loyal_voter", "volunteer", "ambassador")


def _text(column: Any, upper: bool = False) -> Any:
    def compile(op: str, value: Any, ctx: Context) -> Any:
        norm = (lambda v: v.upper()) if upper else (lambda v: v)
        if op == "is":
            return column == norm(value)
        if op == "in":
            return column.is_in([norm(v) for v in value])
        if op == "not_in":
            return column.not_in([norm(v) for v in value])
        if op == "starts_with":
            escaped = norm(value).replace("\\", "").replace("%", "").replace("_", "")
            return column.like(escaped + "%")
        if op == "is_set":
            return column != ""
        return column == ""

    return compile


def _number(column: Any) -> Any:
    def compile(op: str, value: Any, ctx: Context) -> Any:
        if op == "is":
            return column == value
        if op == "at_least":
            return column >= value
        if op == "at_most":
            return column <= value
        if op == "is_set":
            return column.is_not_null()
        return column.is_null()

    return compile


def _flag(column: Any) -> Any:
    return lambda op, value, ctx: column == (op == "yes")


def role_where(role: str, today: date) -> Any:
    """A role computed from data: member and donor by their records, loyal voter by the
    vote and support level, volunteer and ambassador as recorded."""
    if role == "loyal_voter":
        return (Person.voted_for_us == True) & (Person.support_level >= 4)  # noqa: E712
    if role in ("member", "donor"):
        return roles.held_where(role, Person.id, today)
    if role == "volunteer":
        return Person.is_volunteer == True  # noqa: E712
    if role == "ambassador":
        return Person.is_ambassador == True  # noqa: E712
    return FALSE


def _role(op: str, value: Any, ctx: Context) -> Any:
    where = role_where(value, ctx.today)
    return where if op == "has" else negate(where)


def _tag(op: str, value: Any, ctx: Context) -> Any:
    tagged = Semi("person_tag", PersonTag.tag == value.strip().lower())
    return tagged if op == "has" else negate(tagged)


def _contact_point(kind: str) -> Any:
    """Known by this e-mail address or phone number (as the list's filter finds them)."""

    def compile(op: str, value: Any, ctx: Context) -> Any:
        if kind == "email":
            wanted = value.strip().lower()
        else:
            try:
                wanted = normalise.normalise_phone(value, "NL")
            except ValueError:
                wanted = value.strip()
        return Semi("contact_point", (ContactPoint.kind == kind) & (ContactPoint.value == wanted))

    return compile


def _years_ago(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _age(op: str, value: Any, ctx: Context) -> Any:
    """Age in whole years: at least N is born on or before this day N years ago."""
    if op == "at_least":
        return Person.date_of_birth <= _years_ago(ctx.today, value)
    if op == "at_most":
        return Person.date_of_birth > _years_ago(ctx.today, value + 1)
    if op == "is_set":
        return Person.date_of_birth.is_not_null()
    return Person.date_of_birth.is_null()


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _moment(column: Any) -> Any:
    """A last moment (contact, value-adding touch) within or not within N days, or before or
    after a date (someone never contacted counts as not within any period)."""
    return lambda op, value, ctx: _last(column, op, value, ctx)


def _last(column: Any, op: str, value: Any, ctx: Context) -> Any:
    if op == "within_days":
        return column >= _midnight(ctx.today - timedelta(days=value))
    if op == "not_within_days":
        return column.is_null() | (column < _midnight(ctx.today - timedelta(days=value)))
    if op == "before":  # a moment: a day is its midnight (platform/conditions.py)
        return column.is_null() | (column < value)
    return column >= value


def _contact_by(column: str) -> Any:
    """A contact moment by a channel (or of a kind) in the last N days; an import's notes
    are not contact moments."""

    def compile(op: str, value: Any, ctx: Context) -> Any:
        since = _midnight(ctx.today - timedelta(days=value["days"]))
        where = Semi("interaction", f"{column} = {{}} AND at >= {{}} AND kind <> 'import_note'",
                     value["choice"], since)  # fmt: skip
        return where if op == "within" else negate(where)

    return compile


CHANNEL_LABELS = {
    "email": _("E-mail"), "phone": _("Phone"), "post": _("Post"), "sms": _("Text message"),
    "visit": _("Visit"), "event": _("Event"), "web": _("Web"), "social": _("Social media"),
}  # fmt: skip
CHANNELS = get_args(Channel)


async def _channels() -> list[Choice]:
    return [Choice(c, CHANNEL_LABELS[c]) for c in CHANNELS]


async def _kinds() -> list[Choice]:
    rows = await (
        Interaction.select(Interaction.kind).distinct()
        .where((Interaction.kind != "") & (Interaction.kind != "import_note"))
        .order_by(Interaction.kind).limit(200)
    )  # fmt: skip
    return [Choice(r["kind"], r["kind"], translate=False) for r in rows]


async def _languages() -> list[Choice]:
    return [Choice("nl", _("Dutch")), Choice("en", _("English"))]


async def _roles() -> list[Choice]:
    labels = {"member": _("Member"), "donor": _("Donor"), "loyal_voter": _("Loyal voter"),
              "volunteer": _("Volunteer"), "ambassador": _("Ambassador")}  # fmt: skip
    return [Choice(r, labels[r]) for r in ROLES]


async def _address_statuses() -> list[Choice]:
    return [Choice("ok", _("Address checked")), Choice("review", _("Address to review")),
            Choice("none", _("No address"))]  # fmt: skip


async def _tags() -> list[Choice]:
    rows = await PersonTag.select(PersonTag.tag).distinct().order_by(PersonTag.tag).limit(500)
    return [Choice(r["tag"], r["tag"], translate=False) for r in rows]


TEXT_OPS = (IS, IN, NOT_IN, SET, UNSET)
PERIOD = (Operator("within", _("in the last … days"), "choice_days"),
          Operator("not_within", _("not in the last … days"), "choice_days"))  # fmt: skip
register(
    Field("language", _("Language"), "person", (IS_CHOICE, IN), _text(Person.language),
          choices=_languages, check=one_of(["nl", "en"])),
    Field("age", _("Age"), "person", (AT_LEAST, AT_MOST, SET, UNSET), _age),
    Field("email", _("E-mail address"), "person", (IS,), _contact_point("email")),
    Field("phone", _("Phone number"), "person", (IS,), _contact_point("phone")),
    Field("postcode", _("Postcode"), "person", (STARTS, IS, SET, UNSET),
          _text(Person.postcode, upper=True)),
    Field("city", _("City"), "person", TEXT_OPS, _text(Person.city)),
    Field("country", _("Country"), "person", (IS, IN, NOT_IN), _text(Person.country, upper=True)),
    Field("region", _("Region (province or state)"), "person", TEXT_OPS,
          _text(Person.region, upper=True)),
    Field("district", _("District or municipality"), "person", TEXT_OPS, _text(Person.district)),
    Field("tag", _("Tag"), "person", (HAS, HAS_NOT), _tag, choices=_tags),
    Field("support_level", _("Support level (1 to 5)"), "person", (AT_LEAST, AT_MOST, SET, UNSET),
          _number(Person.support_level)),
    Field("role", _("Role"), "person", (HAS, HAS_NOT), _role, choices=_roles,
          check=one_of(ROLES)),
    Field("point_person", _("Point person"), "person",
          (Operator("is", _("is"), "number"), SET, UNSET), _number(Person.point_person)),
    Field("do_not_contact", _("Do not contact"), "person", (YES, NO), _flag(Person.do_not_contact)),
    Field("address_status", _("Address status"), "person", (IS_CHOICE, IN),
          _text(Person.address_status), choices=_address_statuses,
          check=one_of(["ok", "review", "none"])),
    Field("last_touch", _("Last value-adding touch"), "contact",
          (WITHIN, NOT_WITHIN, BEFORE, AFTER), _moment(Person.last_touch_at)),
    Field("last_contact", _("Last contact"), "contact",
          (WITHIN, NOT_WITHIN, BEFORE, AFTER), _moment(Person.last_contact_at)),
    Field("contact_channel", _("Contact by channel"), "contact", PERIOD,
          _contact_by("channel"), choices=_channels, check=one_of(CHANNELS)),
    Field("contact_kind", _("Contact of a kind"), "contact", PERIOD, _contact_by("kind"),
          choices=_kinds),
)  # fmt: skip
