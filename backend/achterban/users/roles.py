"""Roles and the permissions they carry. Scope (regions, office) is on the user."""

from __future__ import annotations

from achterban.platform.i18n import _

ROLES: dict[str, frozenset[str]] = {
    "admin": frozenset({"*"}),
    "organiser": frozenset(
        {
            "people.read", "people.write", "people.export", "people.import", "people.gdpr",
            "segments.manage", "journeys.manage", "newsletters.manage",
            "metrics.read", "tasks.read", "tasks.write", "users.read", "jobs.read",
            "cases.read", "cases.triage", "branches.read", "branches.manage",
        }
    ),
    "regional_organiser": frozenset(
        {
            "people.read", "people.write", "people.export", "people.import",
            "segments.manage", "metrics.read", "tasks.read", "tasks.write", "jobs.read",
            "branches.read",
        }
    ),
    "representative": frozenset(
        {"cases.read", "cases.write", "cases.triage", "people.read", "tasks.read", "tasks.write",
         "metrics.read", "segments.manage"}
    ),
    "caseworker": frozenset({"cases.read", "cases.write", "tasks.read", "tasks.write"}),
    "volunteer": frozenset({"tasks.read"}),
}  # fmt: skip

ROLE_LABELS = {
    "admin": _("Administrator"),
    "organiser": _("Organiser"),
    "regional_organiser": _("Regional organiser"),
    "representative": _("Representative"),
    "caseworker": _("Caseworker"),
    "volunteer": _("Volunteer"),
}

REGION_SCOPED = {"regional_organiser"}
OFFICE_SCOPED = {"representative", "caseworker"}


def permissions(role: str) -> frozenset[str]:
    return ROLES.get(role, frozenset())
