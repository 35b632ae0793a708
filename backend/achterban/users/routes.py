from typing import Any

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_204_NO_CONTENT

from achterban.platform.auth import Actor, public, requires, signed_in
from achterban.settings import get_settings
from achterban.users import service
from achterban.users.middleware import SESSION_COOKIE
from achterban.users.roles import permissions
from achterban.users.schemas import (
    LoginInput,
    NewToken,
    Session,
    Token,
    TokenCreate,
    User,
    UserCreate,
    UserUpdate,
)


def _session(user: User, csrf: str) -> Session:
    return Session(user=user, csrf_token=csrf, permissions=sorted(permissions(user.role)))


class AuthController(Controller):
    path = "/api/auth"
    tags = ["auth"]

    @post("/login", operation_id="login", opt=public(), status_code=200, summary="Sign in")
    async def login(
        self, request: Request[Any, Any, Any], data: JSONBody[LoginInput]
    ) -> Response[Session]:
        ip = request.client.host if request.client else None
        user = await service.authenticate(data.email, data.password, ip)
        token, csrf = await service.start_session(user, ip, request.headers.get("user-agent"))
        settings = get_settings()
        cookie = Cookie(
            key=SESSION_COOKIE,
            value=token,
            httponly=True,
            secure=settings.cookie_secure,
            samesite="lax",
            path="/",
            max_age=settings.session_hours * 3600,
        )
        return Response(_session(service.to_schema(user), csrf), cookies=[cookie])

    @get("/me", operation_id="currentSession", guards=[signed_in], summary="Who am I")
    async def me(self, actor: NamedDependency[Actor]) -> Session:
        user = await service.get_user(actor.user_id or 0)
        return _session(service.to_schema(user), actor.csrf_token or "")

    @post(
        "/logout",
        operation_id="logout",
        guards=[signed_in],
        status_code=HTTP_204_NO_CONTENT,
        summary="Sign out",
    )
    async def logout(self, actor: NamedDependency[Actor]) -> Response[None]:
        await service.end_session(actor)
        return Response(
            None,
            status_code=204,
            cookies=[Cookie(key=SESSION_COOKIE, value="", max_age=0, path="/")],
        )

    @get("/tokens", operation_id="listTokens", guards=[signed_in], summary="My API tokens")
    async def list_tokens(self, actor: NamedDependency[Actor]) -> list[Token]:
        return await service.list_tokens(actor)

    @post("/tokens", operation_id="createToken", guards=[signed_in], summary="Create an API token")
    async def create_token(
        self, actor: NamedDependency[Actor], data: JSONBody[TokenCreate]
    ) -> NewToken:
        return await service.do_create_token(actor, data)

    @delete(
        "/tokens/{token_id:int}",
        operation_id="revokeToken",
        guards=[signed_in],
        summary="Revoke an API token",
    )
    async def revoke_token(self, actor: NamedDependency[Actor], token_id: FromPath[int]) -> None:
        await service.do_revoke_token(actor, token_id)


class UserController(Controller):
    path = "/api/users"
    tags = ["users"]

    @get("/", operation_id="listUsers", guards=[requires("users.read")])
    async def list_users(self) -> list[User]:
        return await service.list_users()

    @post("/", operation_id="createUser", guards=[requires("users.manage")])
    async def create_user(self, actor: NamedDependency[Actor], data: JSONBody[UserCreate]) -> User:
        return await service.do_create_user(actor, data)

    @get("/{user_id:int}", operation_id="getUser", guards=[requires("users.read")])
    async def get_user(self, user_id: FromPath[int]) -> User:
        return service.to_schema(await service.get_user(user_id))

    @patch("/{user_id:int}", operation_id="updateUser", guards=[requires("users.manage")])
    async def update_user(
        self, actor: NamedDependency[Actor], user_id: FromPath[int], data: JSONBody[UserUpdate]
    ) -> User:
        return await service.do_update_user(actor, user_id, data)
