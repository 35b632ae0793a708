from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from achterban.memberships import branches, service
from achterban.memberships.schemas import (
    Branch,
    BranchCreate,
    BranchMigration,
    BranchUpdate,
    Membership,
    MembershipChange,
    MembershipCreate,
    OfficerCreate,
    OfficerEnd,
)
from achterban.memberships.schemas import (
    BranchArea as BranchAreaOut,
)
from achterban.platform.auth import Actor, no_personal_data, personal_data, requires


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


class BranchController(Controller):
    """Branches: party staff's (``branches.manage`` sets them up; regional organisers read
    those of their regions). The answers name the officers, so every read is audited."""

    path = "/api/branches"
    tags = ["memberships"]

    @get(
        "/", operation_id="listBranches", opt=personal_data("branch.read"),
        guards=[requires("branches.read")], summary="The branches, their areas and officers",
    )  # fmt: skip
    async def list_branches(self, actor: NamedDependency[Actor]) -> list[Branch]:
        return await branches.list_branches(actor)

    @post(
        "/", operation_id="createBranch", opt=personal_data("branch.create"),
        guards=[requires("branches.manage")], summary="Set up a branch for its areas",
    )  # fmt: skip
    async def create_branch(
        self, actor: NamedDependency[Actor], data: JSONBody[BranchCreate]
    ) -> Branch:
        return await branches.do_create_branch(actor, data)

    @get(
        "/areas", operation_id="listBranchAreas", opt=no_personal_data(),
        guards=[requires("branches.manage")],
        summary="Current municipalities, provinces and states a branch can cover",
    )  # fmt: skip
    async def list_areas(self, q: FromQuery[str] = "") -> list[BranchAreaOut]:
        return await branches.areas(q)

    @post(
        "/migrate", operation_id="migrateBranches", opt=no_personal_data(),
        guards=[requires("branches.manage")], status_code=200,
        summary="Link free-text branches to branches; report what fits none or several",
    )  # fmt: skip
    async def migrate_branches(self, actor: NamedDependency[Actor]) -> BranchMigration:
        return await branches.migrate_free_text(actor)

    @get("/{branch_id:int}", operation_id="getBranch", opt=personal_data("branch.read"),
         guards=[requires("branches.read")])  # fmt: skip
    async def get_branch(self, actor: NamedDependency[Actor], branch_id: FromPath[int]) -> Branch:
        return await branches.get_branch(actor, branch_id)

    @patch(
        "/{branch_id:int}", operation_id="updateBranch", opt=personal_data("branch.update"),
        guards=[requires("branches.manage")],
        summary="Rename a branch, set its areas, deactivate or reactivate it",
    )  # fmt: skip
    async def update_branch(
        self, actor: NamedDependency[Actor], branch_id: FromPath[int],
        data: JSONBody[BranchUpdate],
    ) -> Branch:  # fmt: skip
        return await branches.do_update_branch(actor, branch_id, data)

    @post(
        "/{branch_id:int}/officers", operation_id="addBranchOfficer",
        opt=personal_data("branch.officer"), guards=[requires("branches.manage")],
        summary="A named person takes a post (chair, secretary, treasurer, other)",
    )  # fmt: skip
    async def add_officer(
        self, actor: NamedDependency[Actor], branch_id: FromPath[int],
        data: JSONBody[OfficerCreate],
    ) -> Branch:  # fmt: skip
        return await branches.do_add_officer(actor, branch_id, data)

    @patch(
        "/officers/{officer_id:int}", operation_id="endBranchOfficer",
        opt=personal_data("branch.officer"), guards=[requires("branches.manage")],
        summary="End an officer's term",
    )  # fmt: skip
    async def end_officer(
        self, actor: NamedDependency[Actor], officer_id: FromPath[int],
        data: JSONBody[OfficerEnd],
    ) -> Branch:  # fmt: skip
        return await branches.do_end_officer(actor, officer_id, data)
