"""The ``achterban`` console command. Every subcommand reads the same settings as the app."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

os.environ.setdefault("PICCOLO_CONF", "achterban.piccolo_conf")

import click

from achterban.settings import get_settings

T = TypeVar("T")


def run(main: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine with the database (and the job runner) started and stopped around it."""

    async def wrapped() -> T:
        from achterban import worker
        from achterban.audit import chain as audit_chain
        from achterban.platform import db
        from achterban.platform.jobs import runner

        await db.start()
        worker.configure_runner(get_settings())
        await runner.start(run_crons=False)
        try:
            return await main()
        finally:
            await runner.drain()
            await runner.stop()
            await audit_chain.drain()  # audit entries written here are sealed before exit
            await db.stop()

    return asyncio.run(wrapped())


@click.group()
def main() -> None:
    """Achterban: constituent relationship manager."""
    from achterban.platform import logs

    logs.configure(get_settings().log_format)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int)
@click.option("--reload", is_flag=True, help="Restart on code changes (development).")
def serve(host: str, port: int, workers: int, reload: bool) -> None:
    """Serve the API and the web app."""
    import uvicorn

    _check_campaigns()
    trusted = list(get_settings().trusted_proxies)
    uvicorn.run(
        "achterban.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        access_log=False,
        log_config=None,
        # X-Forwarded-For counts only from the proxies the operator lists (uvicorn's own
        # default trusts loopback, so anything on the host could set the client's IP)
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted or [],
        server_header=False,
    )


def _check_campaigns() -> None:
    """A bad shared segment or journey stops start-up with one readable line."""
    from achterban import wiring  # the condition fields the segment and journey files use
    from achterban.journeys import files as journeys
    from achterban.segments import files

    wiring.connect()
    campaigns = get_settings().campaigns_dir
    try:
        segments = files.read(campaigns / "segments")
        journeys.read(campaigns, {s.key for s in segments})
    except (files.SegmentFileError, journeys.JourneyFileError) as exc:
        raise click.ClickException(str(exc)) from exc


@main.command("journey-schema")
@click.option("--check", is_flag=True, help="Fail when the committed schema is not current.")
def journey_schema(check: bool) -> None:
    """Write campaigns/schema/journey.schema.json from the journey Structs."""
    from achterban.journeys import files as journeys

    campaigns = get_settings().campaigns_dir
    target = campaigns / journeys.SCHEMA_PATH
    if check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != journeys.schema_text():
            raise click.ClickException(f"{target} is not current: run `make schemas`")
        click.echo(f"{target} is current.")
        return
    click.echo(f"Wrote {journeys.write_schema(campaigns)}.")


@main.command()
@click.option("--burst", is_flag=True, help="Run the queued jobs, then stop.")
def worker(burst: bool) -> None:
    """Run an arq worker (needs ACHTERBAN_REDIS_URL)."""
    if not get_settings().redis_url:
        raise click.ClickException(
            "ACHTERBAN_REDIS_URL is not set: without Redis, jobs run inside `achterban serve`."
        )
    from arq.worker import run_worker

    from achterban.worker import WorkerSettings

    run_worker(WorkerSettings, burst=burst)  # type: ignore[arg-type]


@main.command()
def migrate() -> None:
    """Apply the database migrations."""
    from achterban.platform.migrate import migrate as do_migrate

    asyncio.run(do_migrate())
    click.echo("Migrations applied.")


@main.command()
def demo() -> None:
    """Seed the demo organisation (safe to run again)."""
    from achterban.demo import seed

    summary = run(seed)
    for line in summary:
        click.echo(line)


@main.command()
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option(
    "--role",
    type=click.Choice(
        ["admin", "organiser", "regional_organiser", "representative", "caseworker", "volunteer"]
    ),
    default="admin",
    show_default=True,
)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--region", "regions", multiple=True, help="Region code (regional organisers).")
@click.option("--office", "office_id", type=int, default=None)
def createuser(
    email: str, name: str, role: str, password: str, regions: tuple[str, ...], office_id: int | None
) -> None:
    """Create a staff user."""
    from achterban.platform.auth import SYSTEM
    from achterban.platform.errors import Problem
    from achterban.users import service
    from achterban.users.schemas import User, UserCreate

    data = UserCreate(
        email=email,
        name=name,
        role=role,  # type: ignore[arg-type]
        password=password,
        regions=list(regions),
        office_id=office_id,
    )
    from achterban.users import mfa

    async def create() -> tuple[User, bool]:
        user = await service.do_create_user(SYSTEM, data)
        return user, await mfa.required(user.role)

    try:
        user, needs_second_factor = run(create)
    except Problem as exc:
        raise click.ClickException(exc.detail) from exc
    click.echo(f"Created {user.role} {user.email} (id {user.id}).")
    if needs_second_factor:
        click.echo("This role needs a second factor: it is set up at the first sign-in.")


@main.command("reset-second-factor")
@click.argument("email")
def reset_second_factor(email: str) -> None:
    """Remove a user's second factor (a lost phone and lost recovery codes); ends their sessions."""
    from achterban.platform.auth import SYSTEM
    from achterban.users import signin
    from achterban.users.tables import StaffUser

    async def reset() -> bool:
        user = await StaffUser.objects().where(StaffUser.email == email.strip().lower()).first()
        if user is None:
            return False
        await signin.do_reset_mfa(SYSTEM, user.id)
        return True

    if not run(reset):
        raise click.ClickException(f"No user with e-mail {email}.")
    click.echo(f"The second factor of {email} is removed; they set it up again at sign-in.")


@main.command()
@click.option("--output", "-o", type=click.Path(dir_okay=False), default="-", show_default=True)
def openapi(output: str) -> None:
    """Write the OpenAPI document the SPA's client is typed from."""
    import json

    from achterban.app import create_app

    document = json.dumps(create_app().openapi_schema.to_schema(), indent=2, sort_keys=True)
    with click.open_file(output, "w") as handle:
        handle.write(document + "\n")


@main.group("import")
def import_group() -> None:
    """Import data from files."""


@import_group.command("people")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--map", "maps", multiple=True, metavar="COLUMN=FIELD", help="Override the guess.")
@click.option("--source", default="", help="Where these people come from.")
def import_people(file: Path, maps: tuple[str, ...], source: str) -> None:
    """Import people from a CSV file, with a progress bar and a report of bad lines."""
    from achterban.imports import records, service
    from achterban.platform import jobs
    from achterban.platform.auth import SYSTEM
    from achterban.platform.errors import Problem

    overrides = {}
    for item in maps:
        column, sep, field = item.partition("=")
        if not sep:
            raise click.ClickException(f"--map {item!r} is not COLUMN=FIELD")
        overrides[column.strip()] = field.strip()

    async def main() -> dict[str, Any]:
        key = await service.start_import(SYSTEM, file, file.name, overrides, source, wake=False)
        with click.progressbar(length=1, label=f"Importing {file.name}") as bar:

            async def progress(done: int, total: int | None) -> None:
                bar.length = max(total or 0, done, 1)
                bar.update(done - bar.pos)
                await jobs.progress(key, done, total)

            await jobs.execute({"progress": progress}, key)
        status = await service.status(SYSTEM, key)
        if status.status != "done":
            raise click.ClickException(f"the import failed: {jobs.error_text(status.error, 'en')}")
        job = await jobs.get(key)
        result = job.result if job else {}
        page = await service.issues(SYSTEM, key, 20, 0)
        return {"result": result, "status": status, "issues": page}

    try:
        outcome = run(main)
    except Problem as exc:
        raise click.ClickException(str(exc)) from exc
    result, page = outcome["result"], outcome["issues"]
    click.echo(
        f"{result['rows']} rows: {result['created']} people added, {result['updated']} updated, "
        f"{result['bad']} bad rows."
    )
    for issue in page.items:
        text, kept = records.reason_text(issue.reason, "en")
        click.echo(f"  line {issue.line}: {text}" + (" (imported without it)" if kept else ""))
    if page.total > len(page.items):
        click.echo(f"  ... and {page.total - len(page.items)} more")
    if outcome["status"].unmapped_columns:
        click.echo("Columns not imported: " + ", ".join(outcome["status"].unmapped_columns))


@main.group()
def districts() -> None:
    """Maps and parliaments."""


@districts.command("load")
@click.argument("country", type=click.Choice(["us", "nl", "nl-council"]))
@click.argument(
    "file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--zccd", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--legislators", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--offices", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--pc4", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--valid-from", type=click.DateTime(["%Y-%m-%d"]), default=None)
def districts_load(
    country: str, file: Path | None, zccd: Path | None, legislators: Path | None,
    offices: Path | None, pc4: Path | None, valid_from: Any,
) -> None:  # fmt: skip
    """Load the shipped (or given) district data; loading twice adds nothing.

    `nl-council FILE` loads Dutch council members, aldermen and mayors from a CSV
    (gemeente,naam,partij,functie,vanaf,tot; see docs/architecture.md)."""
    from achterban.districts import councils, loaders
    from achterban.platform import i18n

    if country == "nl-council":
        if file is None:
            raise click.UsageError("nl-council needs the CSV file: districts load nl-council FILE")
        loaded = run(lambda: councils.load_nl_council(file.read_text(encoding="utf-8-sig")))
        for line, msgid, values in loaded.bad:
            click.echo(f"line {line}: {i18n.translate(msgid, 'en', **values)}", err=True)
        click.echo(
            f"NL councils: {loaded.added} added, {loaded.updated} changed, "
            f"{len(loaded.bad)} lines not loaded."
        )
        return

    kwargs: dict[str, Any] = {"valid_from": valid_from.date()} if valid_from else {}

    async def main() -> str:
        from datetime import date

        from achterban.people import areas as people_areas

        if country == "us":
            # a new map alone (--zccd), a new Congress alone (--legislators), or both
            map_only, congress_only = zccd and not legislators, legislators and not zccd
            added = (
                0
                if congress_only
                else await loaders.load_us_zccd(zccd or loaders.US_ZCCD, **kwargs)
            )
            reps = 0 if map_only else await loaders.load_us_legislators(
                legislators or loaders.US_LEGISLATORS, offices or loaders.US_OFFICES, **kwargs
            )  # fmt: skip
            line = f"US: {added} postcode areas and {reps} representatives added."
        else:
            added = await loaders.load_nl_pc4(pc4 or loaders.NL_PC4, **kwargs)
            line = f"NL: {added} postcode areas added."
        if valid_from is None or valid_from.date() <= date.today():
            moved = await people_areas.recompute_districts()
            return f"{line} {moved['changed']} people's districts changed."
        return (
            f"{line} In force from {valid_from.date().isoformat()}: people's districts follow then."
        )

    try:
        click.echo(run(main))
    except (ValueError, KeyError) as exc:
        raise click.ClickException(f"the file does not have the expected shape: {exc}") from exc


@main.group()
def branches() -> None:
    """Branches (afdelingen)."""


@branches.command("migrate")
def branches_migrate() -> None:
    """Link memberships' free-text branches to branches: the branch of that name, or a new
    one for the municipality of that name. Texts that fit several or none are listed with
    their memberships, which keep their text; running it again links only what is left."""
    from achterban.memberships import branches as service
    from achterban.platform.auth import SYSTEM

    outcome = run(lambda: service.migrate_free_text(SYSTEM))
    for done in outcome.migrated:
        made = " (new branch for the municipality)" if done.created else ""
        click.echo(f"linked  {done.text!r}: {done.memberships} → {done.branch_name}{made}")
    for kind, texts in (("ambiguous", outcome.ambiguous), ("unmatched", outcome.unmatched)):
        for left in texts:
            fits = f": fits {', '.join(left.candidates)}" if left.candidates else ""
            ids = ", ".join(str(i) for i in left.membership_ids)
            click.echo(f"{kind} {left.text!r}: {left.memberships} memberships ({ids}){fits}")
    click.echo(
        f"{sum(t.memberships for t in outcome.migrated)} memberships linked, "
        f"{sum(t.created for t in outcome.migrated)} branches made; "
        f"{len(outcome.ambiguous)} ambiguous and {len(outcome.unmatched)} unmatched texts "
        "left as they were."
    )


@main.command()
@click.argument("address")
@click.option("--country", type=click.Choice(["US", "NL"]), default=None)
def resolve(address: str, country: str | None) -> None:
    """Show the districts and representatives of an address, and why."""
    import msgspec

    from achterban.districts.service import resolve as do_resolve

    result = run(lambda: do_resolve(address, country))
    click.echo(msgspec.json.format(msgspec.json.encode(result), indent=2).decode())


@main.group()
def gdpr() -> None:
    """Data-subject rights."""


@gdpr.command("reapply-erasures")
def reapply_erasures() -> None:
    """Erase again everyone in the erasure ledger whose data came back (a restored backup)."""
    from achterban.gdpr.service import reapply_erasures as reapply
    from achterban.platform.auth import SYSTEM

    cleaned = run(lambda: reapply(SYSTEM))
    click.echo(f"Erasure re-applied to {cleaned} people.")


@main.group()
def audit() -> None:
    """The audit log."""


@audit.command("verify")
@click.option(
    "--checkpoint", "checkpoint", type=click.Path(dir_okay=False, path_type=Path),
    help="A head written by `audit checkpoint`: fail if the chain no longer reaches it.",
)  # fmt: skip
def audit_verify(checkpoint: Path | None) -> None:
    """Check that no audit entry was changed or removed (seals waiting entries first)."""
    from achterban.audit.service import verify_chain

    if checkpoint is not None and not checkpoint.exists():
        raise click.ClickException(f"No checkpoint at {checkpoint}")
    result: Any = run(lambda: verify_chain(checkpoint))
    if result.ok:
        against = f", and it reaches the checkpoint {checkpoint}" if checkpoint else ""
        click.echo(f"Audit chain intact: {result.checked} entries checked{against}.")
        return
    click.echo(
        f"Audit chain BROKEN at entry {result.first_bad_id}: {result.reason} "
        f"({result.checked} entries before it are intact).",
        err=True,
    )
    sys.exit(1)


@audit.command("checkpoint")
@click.option(
    "--file", "path", type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the head (default: var/audit-checkpoint.json). Keep a copy off-host.",
)  # fmt: skip
def audit_checkpoint(path: Path | None) -> None:
    """Seal waiting entries and write the chain's head (seq, hash, count) to a file."""
    from achterban.audit.service import write_checkpoint

    target, head = run(lambda: write_checkpoint(path))
    click.echo(f"Audit checkpoint written to {target}: {head.count} entries, head {head.hash}.")


@audit.command("seal")
def audit_seal() -> None:
    """Seal the entries waiting for the chain (the app and the workers do this themselves)."""
    from achterban.audit.service import seal

    click.echo(f"Sealed {run(seal)} audit entries.")


if __name__ == "__main__":
    main()
