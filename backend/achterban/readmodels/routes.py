"""The read models' routes: a person's overview, counts and timeline, and a household."""

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from achterban.people.schemas import Household, TimelineEntry
from achterban.platform.auth import Actor, personal_data, requires
from achterban.readmodels import overview, timeline
from achterban.readmodels.overview import PersonCounts, PersonOverview


class PersonViewController(Controller):
    path = "/api/people"
    tags = ["people"]

    @get(
        "/{person_id:int}/overview",
        operation_id="personOverview",
        opt=personal_data("person.read"),
        guards=[requires("people.read")],
        summary="Everything the person page shows, as one audited read",
    )
    async def person_overview(
        self, actor: NamedDependency[Actor], person_id: FromPath[int]
    ) -> PersonOverview:
        return await overview.overview(actor, person_id)

    @get(
        "/{person_id:int}/counts",
        operation_id="personCounts",
        opt=personal_data("person.read"),
        guards=[requires("people.read")],
        summary="What the person's record holds (what a merge would move)",
    )
    async def person_counts(
        self, actor: NamedDependency[Actor], person_id: FromPath[int]
    ) -> PersonCounts:
        return await overview.counts(actor, person_id)

    @get(
        "/{person_id:int}/timeline",
        operation_id="personTimeline",
        opt=personal_data("person.read"),
        guards=[requires("people.read")],
    )
    async def person_timeline(
        self, actor: NamedDependency[Actor], person_id: FromPath[int]
    ) -> list[TimelineEntry]:
        return await timeline.timeline(actor, person_id)


class HouseholdController(Controller):
    path = "/api/households"
    tags = ["people"]

    @get(
        "/{household_id:int}",
        operation_id="getHousehold",
        opt=personal_data("household.read"),
        guards=[requires("people.read")],
    )
    async def get_household(
        self, actor: NamedDependency[Actor], household_id: FromPath[int]
    ) -> Household:
        return await timeline.household(actor, household_id)
