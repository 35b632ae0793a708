import shutil
from typing import Literal

from litestar import get
from litestar.background_tasks import BackgroundTask
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery
from litestar.response import File, Stream

from achterban.exports import service
from achterban.people.schemas import PersonFilter
from achterban.people.search import person_filter
from achterban.platform.auth import Actor, personal_data, requires

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@get(
    "/api/people/export",
    operation_id="exportPeople",
    opt=personal_data("person.export"),
    guards=[requires("people.export")],
    dependencies={"f": Provide(person_filter)},
    tags=["people"],
    summary="Export the filtered people list as CSV or XLSX",
)
async def export_people(
    actor: NamedDependency[Actor],
    f: NamedDependency[PersonFilter],
    format: FromQuery[Literal["csv", "xlsx"]] = "csv",
) -> Stream | File:
    if format == "xlsx":
        path = await service.xlsx_file(actor, f)
        return File(
            path, filename="people.xlsx", media_type=XLSX,
            background=BackgroundTask(shutil.rmtree, path.parent, ignore_errors=True),
        )  # fmt: skip
    return Stream(
        await service.start_csv(actor, f),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="people.csv"'},
    )
