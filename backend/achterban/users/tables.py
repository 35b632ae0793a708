from piccolo.columns import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    Serial,
    Timestamptz,
    Varchar,
)
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table


class StaffUser(Table, tablename="staff_user"):
    """A person who signs in: party staff, representatives, caseworkers, volunteers."""

    id = Serial(primary_key=True)

    email = Varchar(length=254, unique=True, index=True)
    name = Varchar(length=200)
    password_hash = Varchar(length=200)
    role = Varchar(length=40)
    language = Varchar(length=2, default="nl")
    regions = JSON(default=[])
    office_id = Integer(null=True, default=None)
    active = Boolean(default=True)
    created_at = Timestamptz()
    last_login_at = Timestamptz(null=True, default=None)
    # Raised when the password changes or the account is deactivated: sessions and tokens
    # carry the version they were made under and stop working when it moves on.
    credentials_version = Integer(default=1)
    totp_secret = Varchar(length=200, null=True, default=None)  # sealed (users/totp.py)
    totp_enabled_at = Timestamptz(null=True, default=None)
    totp_last_step = Integer(default=0)  # a code's time step is used once


class UserSession(Table, tablename="user_session"):
    """A signed-in browser: the cookie holds a token, the table holds its HMAC."""

    id = Serial(primary_key=True)

    token_hash = Varchar(length=64, unique=True, index=True, index_method=IndexMethod.btree)
    user = ForeignKey(references=StaffUser)
    csrf_token = Varchar(length=64)
    created_at = Timestamptz()
    expires_at = Timestamptz()
    ip = Varchar(length=64, null=True, default=None)
    user_agent = Varchar(length=300, null=True, default=None)
    credentials_version = Integer(default=1)
    second_factor = Boolean(default=False)


class ApiToken(Table, tablename="api_token"):
    """A personal token for scripts; only its HMAC is stored."""

    id = Serial(primary_key=True)

    user = ForeignKey(references=StaffUser)
    name = Varchar(length=100)
    prefix = Varchar(length=16)
    token_hash = Varchar(length=64, unique=True, index=True)
    created_at = Timestamptz()
    last_used_at = Timestamptz(null=True, default=None)
    expires_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)
    credentials_version = Integer(default=1)
    second_factor = Boolean(default=False)  # made by a session that passed the second factor


class LoginThrottle(Table, tablename="login_throttle"):
    """Sign-in attempts per key: an account from one client address, or a client address."""

    id = Serial(primary_key=True)

    key = Varchar(length=300, unique=True, index=True)
    failures = Integer(default=0)
    last_failure_at = Timestamptz()
    blocked_until = Timestamptz(null=True, default=None)


class LoginChallenge(Table, tablename="login_challenge"):
    """A password accepted, waiting for the second factor (or its enrolment)."""

    id = Serial(primary_key=True)

    token_hash = Varchar(length=64, unique=True, index=True)
    user = ForeignKey(references=StaffUser)
    purpose = Varchar(length=10)  # "code" or "enrol"
    credentials_version = Integer(default=1)
    attempts = Integer(default=0)
    totp_secret = Varchar(length=200, null=True, default=None)  # sealed, while enrolling
    created_at = Timestamptz()
    expires_at = Timestamptz()


class RecoveryCode(Table, tablename="recovery_code"):
    """One-time codes for a lost authenticator; only their HMAC is stored."""

    id = Serial(primary_key=True)

    user = ForeignKey(references=StaffUser, index=True)
    code_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


class SecurityPolicy(Table, tablename="security_policy"):
    """Per role: whether signing in needs a second factor (absent: the built-in default)."""

    id = Serial(primary_key=True)

    role = Varchar(length=40, unique=True)
    mfa_required = Boolean(default=False)
    updated_at = Timestamptz()
    updated_by = Integer(null=True, default=None)
