from typing import Annotated

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, QueryParameter

from achterban.people import search, service
from achterban.people.schemas import (
    Interaction,
    InteractionCreate,
    Person,
    PersonCreate,
    PersonFilter,
    PersonPage,
    PersonPatch,
)
from achterban.platform.auth import Actor, personal_data, requires


class PeopleController(Controller):
    path = "/api/people"
    tags = ["people"]

    @get(
        "/",
        operation_id="listPeople",
        opt=personal_data("person.search"),
        guards=[requires("people.read")],
        dependencies={"f": Provide(search.person_filter)},
        summary="Search people",
    )
    async def list_people(
        self,
        actor: NamedDependency[Actor],
        f: NamedDependency[PersonFilter],
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> PersonPage:
        return await search.list_people(actor, f, limit=limit, offset=offset)

    @post(
        "/",
        operation_id="createPerson",
        opt=personal_data("person.create"),
        guards=[requires("people.write")],
    )
    async def create_person(
        self, actor: NamedDependency[Actor], data: JSONBody[PersonCreate]
    ) -> Person:
        person_id = await service.do_create_person(actor, data)
        return await service.to_schema(await service.visible_row(actor, person_id))

    @get(
        "/{person_id:int}",
        operation_id="getPerson",
        opt=personal_data("person.read"),
        guards=[requires("people.read")],
    )
    async def get_person(self, actor: NamedDependency[Actor], person_id: FromPath[int]) -> Person:
        return await service.read_person(actor, person_id)

    @patch(
        "/{person_id:int}",
        operation_id="updatePerson",
        opt=personal_data("person.update"),
        guards=[requires("people.write")],
    )
    async def update_person(
        self, actor: NamedDependency[Actor], person_id: FromPath[int], data: JSONBody[PersonPatch]
    ) -> Person:
        return await service.do_update_person(actor, person_id, data)

    @get(
        "/{person_id:int}/interactions",
        operation_id="listInteractions",
        opt=personal_data("person.read"),
        guards=[requires("people.read")],
    )
    async def list_interactions(
        self, actor: NamedDependency[Actor], person_id: FromPath[int]
    ) -> list[Interaction]:
        return await service.list_interactions(actor, person_id)

    @post(
        "/{person_id:int}/interactions",
        operation_id="addInteraction",
        opt=personal_data("interaction.create"),
        guards=[requires("people.write")],
    )
    async def add_interaction(
        self,
        actor: NamedDependency[Actor],
        person_id: FromPath[int],
        data: JSONBody[InteractionCreate],
    ) -> Interaction:
        return await service.do_add_interaction(actor, person_id, data)
