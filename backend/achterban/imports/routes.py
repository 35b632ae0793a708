import json
import tempfile
from pathlib import Path
from typing import Annotated

import msgspec
from litestar import Controller, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, QueryParameter

from achterban.imports import service
from achterban.imports.schemas import ImportStatus, ImportSummary, IssuePage, Preview
from achterban.platform.auth import Actor, requires
from achterban.platform.errors import Problem
from achterban.platform.i18n import _

MAX_UPLOAD = 500 * 1024 * 1024


class ImportUpload(msgspec.Struct, kw_only=True):
    file: UploadFile
    mapping: str = ""  # JSON object: column → field
    source: str = ""


Multipart = Annotated[ImportUpload, Body(media_type=RequestEncodingType.MULTI_PART)]


def _overrides(text: str) -> dict[str, str] | None:
    if not text.strip():
        return None
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise Problem(400, _("mapping: not a JSON object"), kind="validation") from exc
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise Problem(400, _("mapping: not a JSON object"), kind="validation")
    return {str(k): v for k, v in value.items()}


async def _save(upload: UploadFile) -> Path:
    with tempfile.NamedTemporaryFile(
        delete=False, suffix=".csv", dir=service.upload_dir()
    ) as handle:
        while chunk := await upload.read(1 << 20):
            handle.write(chunk)
    return Path(handle.name)


class ImportController(Controller):
    path = "/api/imports"
    tags = ["imports"]

    @post(
        "/people",
        operation_id="importPeople",
        guards=[requires("people.import")],
        request_max_body_size=MAX_UPLOAD,
        status_code=202,
        summary="Upload a CSV of people; it is imported by a job",
    )
    async def import_people(self, actor: NamedDependency[Actor], data: Multipart) -> ImportStatus:
        path = await _save(data.file)
        try:
            key = await service.start_import(
                actor,
                path,
                data.file.filename or "upload.csv",
                _overrides(data.mapping),
                data.source,
            )
        finally:
            path.unlink(missing_ok=True)
        return await service.status(actor, key)

    @post(
        "/preview",
        operation_id="previewImport",
        guards=[requires("people.import")],
        request_max_body_size=MAX_UPLOAD,
        status_code=200,
        summary="Show the guessed column mapping and the first rows",
    )
    async def preview(self, data: Multipart) -> Preview:
        path = await _save(data.file)
        try:
            return service.preview(path, _overrides(data.mapping))
        finally:
            path.unlink(missing_ok=True)

    @get("/", operation_id="listImports", guards=[requires("people.import")])
    async def list_imports(
        self,
        actor: NamedDependency[Actor],
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 20,
    ) -> list[ImportSummary]:
        return await service.recent(actor, limit)

    @get("/{job_key:str}", operation_id="getImport", guards=[requires("people.import")])
    async def get_import(
        self, actor: NamedDependency[Actor], job_key: FromPath[str]
    ) -> ImportStatus:
        return await service.status(actor, job_key)

    @get(
        "/{job_key:str}/issues", operation_id="listImportIssues", guards=[requires("people.import")]
    )
    async def list_issues(
        self,
        actor: NamedDependency[Actor],
        job_key: FromPath[str],
        limit: Annotated[int, QueryParameter(ge=1, le=1000)] = 100,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> IssuePage:
        return await service.issues(actor, job_key, limit, offset)
