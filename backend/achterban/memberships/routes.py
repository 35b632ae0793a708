from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from achterban.memberships import service
from achterban.memberships.schemas import Membership, MembershipChange, MembershipCreate
from achterban.platform.auth import Actor, personal_data, requires


class MembershipController(Controller):
    path = "/api"
    tags = ["memberships"]

    @get(
        "/people/{person_id:int}/memberships", operation_id="listMemberships",
        opt=personal_data("person.read"), guards=[requires("people.read")],
    )  # fmt: skip
    async def list_memberships(
        self, actor: NamedDependency[Actor], person_id: FromPath[int]
    ) -> list[Membership]:
        return await service.list_for(actor, person_id)

    @post(
        "/people/{person_id:int}/memberships", operation_id="createMembership",
        opt=personal_data("membership.create"), guards=[requires("people.write")],
    )  # fmt: skip
    async def create_membership(
        self, actor: NamedDependency[Actor], person_id: FromPath[int],
        data: JSONBody[MembershipCreate],
    ) -> Membership:  # fmt: skip
        return await service.do_create(actor, person_id, data)

    @patch(
        "/memberships/{membership_id:int}", operation_id="changeMembership",
        opt=personal_data("membership.*"), guards=[requires("people.write")],
    )  # fmt: skip
    async def change_membership(
        self, actor: NamedDependency[Actor], membership_id: FromPath[int],
        data: JSONBody[MembershipChange],
    ) -> Membership:  # fmt: skip
        return await service.do_change(actor, membership_id, data)
