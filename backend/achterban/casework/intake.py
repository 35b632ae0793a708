"""The public case form: no login, rate-limited per address, a honeypot for bots,
errors that reveal nothing, a reference number back."""

from __future__ import annotations

from datetime import timedelta

from achterban.casework import rules, service
from achterban.casework.schemas import CaseCreate, IntakeReceipt, PublicCase
from achterban.consent import service as consent
from achterban.consent.schemas import ConsentInput
from achterban.people import normalise
from achterban.people import service as people
from achterban.people.schemas import PersonCreate
from achterban.platform import db
from achterban.platform.auth import Actor
from achterban.platform.errors import Problem
from achterban.platform.i18n import _, translate
from achterban.users import service as users

PER_HOUR = 10
FOLLOW_UP_WORDING = _("You may contact me later about how my case went.")
# what the form needs, and what a reader is told under the field left empty
REQUIRED = (
    ("name", _("Fill in your name.")),
    ("email", _("Fill in your e-mail address.")),
    ("address", _("Fill in your address.")),
    ("topic", _("Choose what your case is about.")),
    ("subject", _("Fill in a subject.")),
    ("description", _("Describe what your case is about.")),
)


def check_form(form: PublicCase) -> None:
    """Every empty or invalid field named with a message in the form's language (400)."""
    errors = [
        {"key": key, "message": text}
        for key, text in REQUIRED
        if not str(getattr(form, key)).strip()
    ]
    checks = (
        (form.email, normalise.normalise_email, "email", _("This is not an e-mail address.")),
        (form.phone, normalise.normalise_phone, "phone", _("This is not a phone number.")),
    )
    for value, check, key, message in checks:
        if value.strip():
            try:
                check(value)
            except ValueError:
                errors.append({"key": key, "message": message})
    if form.topic.strip() and form.topic not in rules.topics():
        errors.append({"key": "topic", "message": _("Choose what your case is about.")})
    if errors:
        raise Problem(
            400,
            _("Some fields need your attention."),
            kind="validation",
            errors=errors,
            language=form.language,  # its messages are read in the form's language
        )


async def intake(form: PublicCase, ip: str | None) -> IntakeReceipt:
    """A case and its own provisional constituent, whatever e-mail address the form gives.

    Nobody's e-mail is verified here, so the form never attaches a case or records consent
    on an existing record: a new person is created every time (the duplicate scan then
    proposes them to staff beside the known one), and the answer and the work done are
    the same whether or not the address is known. A filled honeypot gets a receipt of the
    same shape with a reference that exists nowhere, and nothing is stored.
    """
    wait = await users.throttle(f"intake:{ip or '-'}", PER_HOUR, timedelta(hours=1))
    if wait:
        raise Problem(
            429,
            _("Too many requests. Try again in {seconds} seconds."),
            kind="rate-limited",
            values={"seconds": wait},
            headers={"Retry-After": str(wait)},
        )
    check_form(form)
    if form.website.strip():
        return _receipt(service.new_reference(), form.language)
    actor = Actor(None, "public form", "public", frozenset({"*"}), ip=ip, via="form")
    first, infix, last = normalise.split_name(form.name)
    async with db.transaction():
        person_id = await people.do_create_person(
            actor,
            PersonCreate(
                first_name=first, infix=infix, last_name=last,
                emails=[form.email], phones=[form.phone] if form.phone.strip() else [],
                address=form.address, language=form.language, source="case:form",
            ),
            audit_detail={"source": "case:form", "provisional": True},
        )  # fmt: skip
        case = await service.do_create_case(
            actor,
            CaseCreate(
                subject=form.subject,
                description=form.description,
                topic=form.topic,
                address=form.address,
                person_id=person_id,
                language=form.language,
                channel=form.channel,
                share_with_agencies=form.share_with_agencies,
                source="form",
            ),
        )
        if form.follow_up_consent:
            await consent.do_record_consent(
                actor,
                person_id,
                ConsentInput(
                    purpose="casework_followup",
                    channel=form.channel if form.channel != "visit" else "post",
                    status="granted",
                    source="form",
                    source_detail="case intake",
                    wording=translate(FOLLOW_UP_WORDING, form.language),
                ),
            )
    return _receipt(case.reference, form.language)


def _receipt(reference: str, language: str) -> IntakeReceipt:
    message = translate(
        _("Thank you. Your case number is {reference}."), language, reference=reference
    )
    return IntakeReceipt(reference=reference, message=message)
