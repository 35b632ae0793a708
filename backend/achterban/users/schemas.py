from datetime import datetime
from typing import Annotated, Literal

import msgspec

from achterban.platform.schemas import Input

Role = Literal[
    "admin", "organiser", "regional_organiser", "representative", "caseworker", "volunteer"
]
Language = Literal["nl", "en"]


class User(msgspec.Struct, kw_only=True):
    id: int
    email: str
    name: str
    role: str
    language: str
    regions: list[str] = []
    office_id: int | None = None
    active: bool = True
    last_login_at: datetime | None = None
    second_factor: bool = False
    waiting_for_password: bool = False  # invited, or reset: their link sets one


class PasswordLink(msgspec.Struct, kw_only=True):
    """An invitation or reset link for the admin to hand over; it works once."""

    user_id: int
    url: str
    expires_at: datetime


class PasswordByLink(Input):
    password: str


class MyAccount(Input):
    language: Language


class Session(msgspec.Struct, kw_only=True):
    user: User
    csrf_token: str
    permissions: list[str]


class LoginInput(Input):
    email: str = msgspec.field()
    password: str = msgspec.field()


class UserCreate(Input):
    """A new staff account: without a password, it waits for its invitation link."""

    email: str
    name: str
    role: Role
    password: str | None = None
    language: Language = "nl"
    regions: list[str] = []
    office_id: int | None = None


class UserUpdate(Input):
    name: str | msgspec.UnsetType = msgspec.UNSET
    role: Role | msgspec.UnsetType = msgspec.UNSET
    language: Language | msgspec.UnsetType = msgspec.UNSET
    regions: list[str] | msgspec.UnsetType = msgspec.UNSET
    office_id: int | msgspec.UnsetType | None = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET
    password: str | msgspec.UnsetType = msgspec.UNSET


DEFAULT_TOKEN_DAYS = 90


class TokenCreate(Input):
    name: str
    # every token expires: 90 days unless asked otherwise, a year and a day at most
    expires_in_days: Annotated[int, msgspec.Meta(ge=1, le=366)] = DEFAULT_TOKEN_DAYS


class Token(msgspec.Struct, kw_only=True):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None


class NewToken(msgspec.Struct, kw_only=True):
    token: Token
    secret: str


Code = Annotated[str, msgspec.Meta(max_length=64)]
Secret = Annotated[str, msgspec.Meta(max_length=200)]


class MfaChallenge(msgspec.Struct, kw_only=True):
    """The password was right; a second factor is asked for (``code``) or must be set up."""

    mfa_required: bool = True
    step: Literal["code", "enrol"]
    pending_token: str
    expires_at: datetime


class PendingInput(Input):
    pending_token: Secret


class CodeInput(Input):
    pending_token: Secret
    code: Code  # six digits from the app, or a recovery code


class Enrolment(msgspec.Struct, kw_only=True):
    """A new TOTP secret, shown once: type it in or open the URI in an authenticator app."""

    secret: str
    provisioning_uri: str
    enrolment_token: str
    expires_at: datetime


class EnrolConfirm(Input):
    enrolment_token: Secret
    code: Code


class RecoveryCodes(msgspec.Struct, kw_only=True):
    recovery_codes: list[str]


class EnrolledSession(Session, kw_only=True):
    """Signed in after enrolling: the session plus the recovery codes, shown once."""

    recovery_codes: list[str]


class MfaStatus(msgspec.Struct, kw_only=True):
    enabled: bool
    required: bool
    recovery_codes_left: int


class RolePolicy(msgspec.Struct, kw_only=True):
    role: str
    mfa_required: bool
    is_default: bool  # no setting stored: the built-in default applies


class PolicyUpdate(Input):
    mfa_required: bool


class PasswordChange(Input):
    current_password: Secret
    new_password: Secret
