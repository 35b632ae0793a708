"""The public case form: no login, rate-limited per address, a honeypot for bots,
errors that reveal nothing, a reference number back."""

from __future__ import annotations

from datetime import timedelta

from achterban.casework import service
from achterban.casework.schemas import CaseCreate, IntakeReceipt, PublicCase
from achterban.consent import service as consent
from achterban.consent.schemas import ConsentInput
from achterban.platform import db
from achterban.platform.auth import Actor
from achterban.platform.errors import Problem
from achterban.platform.i18n import _, translate
from achterban.users import service as users

PER_HOUR = 10
FOLLOW_UP_WORDING = _("You may contact me later about how my case went.")


async def intake(form: PublicCase, ip: str | None) -> IntakeReceipt | None:
    """None when the honeypot was filled: the bot gets the same answer, nothing is stored."""
    if form.website.strip():
        return None
    wait = await users.throttle(f"intake:{ip or '-'}", PER_HOUR, timedelta(hours=1))
    if wait:
        raise Problem(
            429,
            _("Too many requests. Try again in {seconds} seconds."),
            kind="rate-limited",
            values={"seconds": wait},
            headers={"Retry-After": str(wait)},
        )
    if not form.name.strip() or not form.subject.strip() or not form.description.strip():
        raise Problem(
            400, _("Fill in your name, a subject and what it is about."), kind="validation"
        )
    actor = Actor(None, "public form", "public", frozenset({"*"}), ip=ip, via="form")
    async with db.transaction():
        case = await service.do_create_case(
            actor,
            CaseCreate(
                subject=form.subject,
                description=form.description,
                topic=form.topic,
                address=form.address,
                name=form.name,
                email=form.email,
                language=form.language,
                channel=form.channel,
                share_with_agencies=form.share_with_agencies,
                source="form",
            ),
        )
        if form.follow_up_consent and case.person is not None:
            await consent.do_record_consent(
                actor,
                case.person,
                ConsentInput(
                    purpose="casework_followup",
                    channel=form.channel if form.channel != "visit" else "post",
                    status="granted",
                    source="form",
                    source_detail="case intake",
                    wording=translate(FOLLOW_UP_WORDING, form.language),
                ),
            )
    message = translate(
        _("Thank you. Your case number is {reference}."), form.language, reference=case.reference
    )
    return IntakeReceipt(reference=case.reference, message=message)
