from typing import Any

from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_204_NO_CONTENT

from achterban.platform.auth import (
    Actor,
    no_personal_data,
    personal_data,
    public,
    requires,
    signed_in,
)
from achterban.settings import get_settings
from achterban.users import mfa, service, signin
from achterban.users.middleware import SESSION_COOKIE, client_ip
from achterban.users.roles import permissions
from achterban.users.schemas import (
    CodeInput,
    EnrolConfirm,
    EnrolledSession,
    Enrolment,
    LoginInput,
    MfaChallenge,
    MfaStatus,
    MyAccount,
    NewToken,
    PasswordByLink,
    PasswordChange,
    PasswordLink,
    PendingInput,
    PolicyUpdate,
    RecoveryCodes,
    RolePolicy,
    Session,
    Token,
    TokenCreate,
    User,
    UserCreate,
    UserUpdate,
)


def _session(user: User, csrf: str) -> Session:
    return Session(user=user, csrf_token=csrf, permissions=sorted(permissions(user.role)))


def _cookie(token: str) -> Cookie:
    settings = get_settings()
    return Cookie(
        key=SESSION_COOKIE,
        value=token,
        httponly=True,
        secure=settings.cookie_secure,
        samesite="lax",
        path="/",
        max_age=settings.session_hours * 3600,
    )


def _ip(request: Request[Any, Any, Any]) -> str | None:
    return client_ip(request.scope)


class AuthController(Controller):
    path = "/api/auth"
    tags = ["auth"]

    @post("/login", operation_id="login", opt=public(), status_code=200, summary="Sign in")
    async def login(
        self, request: Request[Any, Any, Any], data: JSONBody[LoginInput]
    ) -> Response[Session | MfaChallenge]:
        """The session, or (``mfa_required``) a pending token for the second factor's step."""
        result = await signin.sign_in(
            data.email, data.password, _ip(request), request.headers.get("user-agent")
        )
        if isinstance(result, MfaChallenge):
            return Response(result)
        session = _session(service.to_schema(result.user), result.csrf)
        return Response(session, cookies=[_cookie(result.token)])

    @post(
        "/login/code", operation_id="loginCode", opt=public(), status_code=200,
        summary="Sign in: the second factor (a TOTP code or a recovery code)",
    )  # fmt: skip
    async def login_code(
        self, request: Request[Any, Any, Any], data: JSONBody[CodeInput]
    ) -> Response[Session]:
        result = await signin.sign_in_with_code(
            data.pending_token, data.code, _ip(request), request.headers.get("user-agent")
        )
        session = _session(service.to_schema(result.user), result.csrf)
        return Response(session, cookies=[_cookie(result.token)])

    @post(
        "/login/enrol", operation_id="loginEnrol", opt=public(), status_code=200,
        summary="Sign in: set up the second factor the role needs (a new secret)",
    )  # fmt: skip
    async def login_enrol(self, data: JSONBody[PendingInput]) -> Enrolment:
        return await signin.start_enrolment_at_sign_in(data.pending_token)

    @post(
        "/login/enrol/confirm", operation_id="loginEnrolConfirm", opt=public(), status_code=200,
        summary="Sign in: confirm the new second factor with a code; recovery codes shown once",
    )  # fmt: skip
    async def login_enrol_confirm(
        self, request: Request[Any, Any, Any], data: JSONBody[CodeInput]
    ) -> Response[EnrolledSession]:
        result, codes = await signin.finish_enrolment_at_sign_in(
            data.pending_token, data.code, _ip(request), request.headers.get("user-agent")
        )
        user = service.to_schema(result.user)
        session = EnrolledSession(
            user=user, csrf_token=result.csrf, permissions=sorted(permissions(user.role)),
            recovery_codes=codes,
        )  # fmt: skip
        return Response(session, cookies=[_cookie(result.token)])

    @get(
        "/me",
        operation_id="currentSession",
        opt=no_personal_data(),
        guards=[signed_in],
        summary="Who am I",
    )
    async def me(self, actor: NamedDependency[Actor]) -> Session:
        user = await service.get_user(actor.user_id or 0)
        return _session(service.to_schema(user), actor.csrf_token or "")

    @patch(
        "/me", operation_id="updateMyAccount", opt=personal_data("user.update"),
        guards=[signed_in], summary="Change my own settings (language)",
    )  # fmt: skip
    async def update_me(self, actor: NamedDependency[Actor], data: JSONBody[MyAccount]) -> User:
        return await service.do_update_my_account(actor, data)

    @post(
        "/password-link/{token:str}", operation_id="setPasswordByLink",
        opt=public("user.update"), status_code=HTTP_204_NO_CONTENT,
        summary="Choose a password with an invitation or reset link (no sign-in)",
    )  # fmt: skip
    async def set_password_by_link(
        self, request: Request[Any, Any, Any], token: FromPath[str],
        data: JSONBody[PasswordByLink],
    ) -> None:  # fmt: skip
        await service.do_set_password_by_link(token, data, _ip(request))

    @post(
        "/logout",
        operation_id="logout",
        opt=no_personal_data(),
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

    @post(
        "/password", operation_id="changePassword", opt=no_personal_data(), guards=[signed_in],
        status_code=HTTP_204_NO_CONTENT,
        summary="Change my password (ends my other sessions and my API tokens)",
    )  # fmt: skip
    async def change_password(
        self, actor: NamedDependency[Actor], data: JSONBody[PasswordChange]
    ) -> None:
        await signin.do_change_password(actor, data)

    @get(
        "/mfa",
        operation_id="mfaStatus",
        opt=no_personal_data(),
        guards=[signed_in],
        summary="My second factor",
    )
    async def mfa_status(self, actor: NamedDependency[Actor]) -> MfaStatus:
        return await signin.mfa_status(actor)

    @post(
        "/mfa", operation_id="startMfaEnrolment",
        opt=no_personal_data(), guards=[signed_in], status_code=200,
        summary="Set up a second factor: a new TOTP secret",
    )  # fmt: skip
    async def start_mfa(self, actor: NamedDependency[Actor]) -> Enrolment:
        return await signin.start_enrolment(actor)

    @post(
        "/mfa/confirm", operation_id="confirmMfaEnrolment",
        opt=no_personal_data(), guards=[signed_in], status_code=200,
        summary="Confirm the second factor with a code; recovery codes shown once",
    )  # fmt: skip
    async def confirm_mfa(
        self, actor: NamedDependency[Actor], data: JSONBody[EnrolConfirm]
    ) -> RecoveryCodes:
        return await signin.confirm_enrolment(actor, data)

    @get(
        "/tokens",
        operation_id="listTokens",
        opt=no_personal_data(),
        guards=[signed_in],
        summary="My API tokens",
    )
    async def list_tokens(self, actor: NamedDependency[Actor]) -> list[Token]:
        return await service.list_tokens(actor)

    @post(
        "/tokens",
        operation_id="createToken",
        opt=no_personal_data(),
        guards=[signed_in],
        summary="Create an API token",
    )
    async def create_token(
        self, actor: NamedDependency[Actor], data: JSONBody[TokenCreate]
    ) -> NewToken:
        return await service.do_create_token(actor, data)

    @delete(
        "/tokens/{token_id:int}",
        operation_id="revokeToken",
        opt=no_personal_data(),
        guards=[signed_in],
        summary="Revoke an API token",
    )
    async def revoke_token(self, actor: NamedDependency[Actor], token_id: FromPath[int]) -> None:
        await service.do_revoke_token(actor, token_id)


class UserController(Controller):
    path = "/api/users"
    tags = ["users"]

    @get(
        "/",
        operation_id="listUsers",
        opt=personal_data("user.read"),
        guards=[requires("users.read")],
    )
    async def list_users(self, actor: NamedDependency[Actor]) -> list[User]:
        return await service.list_users(actor)

    @post(
        "/",
        operation_id="createUser",
        opt=personal_data("user.create"),
        guards=[requires("users.manage")],
    )
    async def create_user(self, actor: NamedDependency[Actor], data: JSONBody[UserCreate]) -> User:
        return await service.do_create_user(actor, data)

    @get(
        "/{user_id:int}",
        operation_id="getUser",
        opt=personal_data("user.read"),
        guards=[requires("users.read")],
    )
    async def get_user(self, actor: NamedDependency[Actor], user_id: FromPath[int]) -> User:
        return await service.read_user(actor, user_id)

    @patch(
        "/{user_id:int}",
        operation_id="updateUser",
        opt=personal_data("user.update"),
        guards=[requires("users.manage")],
    )
    async def update_user(
        self, actor: NamedDependency[Actor], user_id: FromPath[int], data: JSONBody[UserUpdate]
    ) -> User:
        return await service.do_update_user(actor, user_id, data)

    @post(
        "/{user_id:int}/password-link", operation_id="issuePasswordLink",
        opt=personal_data("user.password_link"), guards=[requires("users.manage")],
        status_code=200,
        summary="An invitation or password-reset link to hand over (ends sessions and tokens)",
    )  # fmt: skip
    async def password_link(
        self, request: Request[Any, Any, Any], actor: NamedDependency[Actor], user_id: FromPath[int]
    ) -> PasswordLink:
        return await service.do_issue_password_link(actor, user_id, str(request.base_url))

    @delete(
        "/{user_id:int}/mfa", operation_id="resetUserMfa",
        opt=personal_data("user.mfa_reset"), guards=[requires("users.manage")],
        summary="Remove a user's second factor (ends their sessions and tokens)",
    )  # fmt: skip
    async def reset_mfa(self, actor: NamedDependency[Actor], user_id: FromPath[int]) -> None:
        await signin.do_reset_mfa(actor, user_id)

    @get(
        "/security-policy",
        operation_id="getSecurityPolicy",
        opt=no_personal_data(),
        guards=[requires("users.manage")],
    )
    async def get_policy(self) -> list[RolePolicy]:
        """Per role: whether signing in needs a second factor."""
        return await mfa.policy()

    @put(
        "/security-policy/{role:str}",
        operation_id="setSecurityPolicy",
        opt=no_personal_data(),
        guards=[requires("users.manage")],
    )
    async def set_policy(
        self, actor: NamedDependency[Actor], role: FromPath[str], data: JSONBody[PolicyUpdate]
    ) -> RolePolicy:
        return await mfa.do_set_policy(actor, role, data.mfa_required)
