from datetime import datetime
from typing import Literal

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


class Session(msgspec.Struct, kw_only=True):
    user: User
    csrf_token: str
    permissions: list[str]


class LoginInput(Input):
    email: str = msgspec.field()
    password: str = msgspec.field()


class UserCreate(Input):
    email: str
    name: str
    role: Role
    password: str
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


class TokenCreate(Input):
    name: str
    expires_in_days: int | None = None


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
