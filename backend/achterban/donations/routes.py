from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from achterban.donations import service
from achterban.donations.schemas import Collection, Donation, GiftCreate, Mandate, MandateCreate
from achterban.platform.auth import Actor, personal_data, requires

READ, WRITE = [requires("people.read")], [requires("people.write")]


class DonationController(Controller):
    path = "/api"
    tags = ["donations"]

    @get(
        "/people/{person_id:int}/donations",
        operation_id="listDonations",
        opt=personal_data("person.read"),
        guards=READ,
    )
    async def list_donations(
        self, actor: NamedDependency[Actor], person_id: FromPath[int]
    ) -> list[Donation]:
        return await service.list_donations(actor, person_id)

    @post(
        "/people/{person_id:int}/donations",
        operation_id="addGift",
        opt=personal_data("donation.create"),
        guards=WRITE,
    )
    async def add_gift(
        self, actor: NamedDependency[Actor], person_id: FromPath[int], data: JSONBody[GiftCreate]
    ) -> Donation:
        return await service.do_add_gift(actor, person_id, data)

    @get(
        "/people/{person_id:int}/mandates",
        operation_id="listMandates",
        opt=personal_data("person.read"),
        guards=READ,
    )
    async def list_mandates(
        self, actor: NamedDependency[Actor], person_id: FromPath[int]
    ) -> list[Mandate]:
        return await service.list_mandates(actor, person_id)

    @post(
        "/people/{person_id:int}/mandates",
        operation_id="createMandate",
        opt=personal_data("mandate.create"),
        guards=WRITE,
    )
    async def create_mandate(
        self, actor: NamedDependency[Actor], person_id: FromPath[int], data: JSONBody[MandateCreate]
    ) -> Mandate:
        return await service.do_create_mandate(actor, person_id, data)

    @post(
        "/mandates/{mandate_id:int}/collections",
        operation_id="collectMandate",
        opt=personal_data("mandate.collect"),
        guards=WRITE,
    )
    async def collect(
        self, actor: NamedDependency[Actor], mandate_id: FromPath[int], data: JSONBody[Collection]
    ) -> Donation:
        return await service.do_collect(actor, mandate_id, data)

    @post(
        "/mandates/{mandate_id:int}/failures",
        operation_id="reportMandateFailure",
        opt=personal_data("mandate.failure"),
        guards=WRITE,
    )
    async def report_failure(
        self, actor: NamedDependency[Actor], mandate_id: FromPath[int]
    ) -> Mandate:
        return await service.do_report_failure(actor, mandate_id)

    @post(
        "/mandates/{mandate_id:int}/cancel",
        operation_id="cancelMandate",
        opt=personal_data("mandate.cancel"),
        guards=WRITE,
    )
    async def cancel(self, actor: NamedDependency[Actor], mandate_id: FromPath[int]) -> Mandate:
        return await service.do_cancel(actor, mandate_id)
