import json
import tempfile
from pathlib import Path
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, QueryParameter

from achterban.audit import service as audit
from achterban.imports import mapping, records, service
from achterban.imports.schemas import ImportStatus, ImportSummary, Issue, IssuePage, Preview
from achterban.platform import jobs
from achterban.platform.auth import Actor, personal_data, requires
from achterban.platform.errors import Problem
from achterban.platform.i18n import _, negotiate

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


def _language(request: Request[Any, Any, Any]) -> str:
    return negotiate(request.headers.get("accept-language"))


def _translated(issues: list[Issue], language: str) -> list[Issue]:
    """Reasons are stored as message ids: each is read in the reader's language."""
    result = []
    for issue in issues:
        text, kept = records.reason_text(issue.reason, language)
        result.append(Issue(line=issue.line, reason=text, raw=issue.raw, kept=kept))
    return result


def _status(status: ImportStatus, language: str) -> ImportStatus:
    return msgspec.structs.replace(
        status,
        issues=_translated(status.issues, language),
        error=jobs.error_text(status.error, language),
    )


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
        opt=personal_data("import.start"),
        guards=[requires("people.import")],
        request_max_body_size=MAX_UPLOAD,
        status_code=202,
        summary="Upload a CSV of people; it is imported by a job",
    )
    async def import_people(
        self, request: Request[Any, Any, Any], actor: NamedDependency[Actor], data: Multipart
    ) -> ImportStatus:
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
        return _status(await service.status(actor, key), _language(request))

    @post(
        "/preview",
        operation_id="previewImport",
        opt=personal_data("import.preview"),
        guards=[requires("people.import")],
        request_max_body_size=MAX_UPLOAD,
        status_code=200,
        summary="Show the guessed column mapping and the first rows",
    )
    async def preview(
        self, request: Request[Any, Any, Any], actor: NamedDependency[Actor], data: Multipart
    ) -> Preview:
        path = await _save(data.file)
        try:
            found = service.preview(path, _overrides(data.mapping))
            await audit.record(
                actor, "import.preview", "import", "", {"filename": data.file.filename}
            )
            return msgspec.structs.replace(found, labels=mapping.labels(_language(request)))
        finally:
            path.unlink(missing_ok=True)

    @get(
        "/",
        operation_id="listImports",
        opt=personal_data("import.read"),
        guards=[requires("people.import")],
    )
    async def list_imports(
        self,
        actor: NamedDependency[Actor],
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 20,
    ) -> list[ImportSummary]:
        return await service.recent(actor, limit)

    @get(
        "/{job_key:str}",
        operation_id="getImport",
        opt=personal_data("import.read"),
        guards=[requires("people.import")],
    )
    async def get_import(
        self, request: Request[Any, Any, Any], actor: NamedDependency[Actor], job_key: FromPath[str]
    ) -> ImportStatus:
        return _status(await service.status(actor, job_key), _language(request))

    @get(
        "/{job_key:str}/issues",
        operation_id="listImportIssues",
        opt=personal_data("import.read"),
        guards=[requires("people.import")],
    )
    async def list_issues(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        job_key: FromPath[str],
        limit: Annotated[int, QueryParameter(ge=1, le=1000)] = 100,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> IssuePage:
        page = await service.issues(actor, job_key, limit, offset)
        return IssuePage(items=_translated(page.items, _language(request)), total=page.total)
