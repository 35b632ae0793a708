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


class LoginThrottle(Table, tablename="login_throttle"):
    """Failed sign-ins per key (an e-mail address or an IP address)."""

    id = Serial(primary_key=True)

    key = Varchar(length=300, unique=True, index=True)
    failures = Integer(default=0)
    last_failure_at = Timestamptz()
    blocked_until = Timestamptz(null=True, default=None)
