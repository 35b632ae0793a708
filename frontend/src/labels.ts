// Every code the SPA shows has a label in both catalogs: the families of codes, their
// message keys, and the audit action codes the backend writes (a pytest checks that list
// against the backend, a Vitest test checks every code here and in the OpenAPI enums).
import { catalogs, type MessageKey, type T } from "./i18n";

/** Code family → the prefix of its message keys. */
export const FAMILIES = {
  role: "role_", // a person's roles
  userRole: "userRole_", // a staff member's role
  purpose: "purpose_",
  channel: "channel_", // consent channels
  contact: "contact_", // contact-moment channels
  direction: "direction_",
  consent: "consent_", // consent states
  consentSource: "consentSource_",
  personSource: "personSource_", // where a person record came from
  timeline: "kind_",
  frequency: "frequency_",
  sort: "sort_",
  view: "view_",
  caseStatus: "status_",
  caseEvent: "event_",
  topic: "topic_",
  giftKind: "giftKind_",
  plan: "plan_",
  membership: "membership_",
  mandate: "mandate_",
  job: "job_",
  health: "health_",
  language: "language_",
  action: "action_",
  objectType: "objectType_",
  officeKind: "officeKind_",
  seatStatus: "seatStatus_", // what became of an office's seat
  dataKind: "dataKind_", // a kind of area, or a parliament's chamber
  officer: "officer_", // a post in a branch
} as const;

export type Family = keyof typeof FAMILIES;

export function labelKey(family: Family, code: string): string {
  return `${FAMILIES[family]}${code.replace(/^-/, "desc_").replace(/[.:\- ]/g, "_")}`;
}

/** The label of a code in the reader's language; the code itself only if a label is missing. */
export function label(t: T, family: Family, code: string): string {
  const key = labelKey(family, code);
  return key in catalogs.nl ? t(key as MessageKey) : code;
}

/** The enums of the committed OpenAPI document the SPA shows, and the family that labels them. */
export const SHOWN_ENUMS: Record<string, Family> = {
  "InteractionCreate.channel": "contact",
  "InteractionCreate.direction": "direction",
  "ConsentInput.purpose": "purpose",
  "ConsentInput.channel": "channel",
  "ConsentInput.status": "consent",
  "ConsentInput.source": "consentSource",
  "PreferenceChoice.purpose": "purpose",
  "PreferenceChoice.channel": "channel",
  "TimelineEntry.kind": "timeline",
  "MandateCreate.frequency": "frequency",
  "UserCreate.role": "userRole",
  "OfficeCreate.kind": "officeKind",
  "OfficerCreate.role": "officer",
  "Officer.role": "officer",
  "PersonCreate.language": "language",
  "Transition.status": "caseStatus",
  "EventCreate.kind": "caseEvent",
  "GET /api/people role": "role",
  "GET /api/people sort": "sort",
  "GET /api/cases view": "view",
};

/** Codes the API gives as plain strings (not enums in the document) that the SPA shows. */
export const SHOWN_CODES: Partial<Record<Family, readonly string[]>> = {
  consent: ["granted", "withdrawn", "unknown", "blocked"],
  giftKind: ["one_off", "recurring"],
  plan: ["standard"],
  personSource: ["staff", "import", "form", "demo", "case:staff", "case:form", "case:import"],
  membership: ["new", "current", "grace", "expired", "cancelled", "future"],
  mandate: ["active", "failing", "cancelled"],
  job: ["queued", "running", "retrying", "done", "failed"],
  health: ["ok", "unavailable", "not configured", "degraded"],
  topic: ["housing", "benefits", "immigration", "health", "roads", "safety", "environment", "other"],
  dataKind: ["country", "state", "province", "congressional_district", "municipality", "house", "senate",
    "council", "states", "parliament", "alderman", "mayor"],
  objectType: ["person", "people", "case", "staff_user", "import", "office", "household", "representative",
    "branch"],
};

/** Every action code the backend writes to the audit log (tests/audit checks this list). */
export const AUDIT_ACTIONS = [
  "auth.login",
  "auth.login_failed",
  "audit.read",
  "auth.logout",
  "auth.mfa_enrolled",
  "auth.recovery_code_used",
  "branch.create",
  "branch.migrate",
  "branch.officer",
  "branch.read",
  "branch.update",
  "case.agency_consent",
  "case.assign",
  "case.handover",
  "case.assigned",
  "case.closed",
  "case.correspondence",
  "case.create",
  "case.export",
  "case.group_answer",
  "case.list",
  "case.new",
  "case.note",
  "case.read",
  "case.referral",
  "case.resolved",
  "case.route",
  "case.task",
  "case.task_done",
  "case.task_reopened",
  "case.triaged",
  "case.waiting",
  "consent.link",
  "consent.record",
  "donation.create",
  "household.read",
  "import.preview",
  "import.read",
  "import.start",
  "interaction.create",
  "mandate.cancel",
  "mandate.collect",
  "mandate.create",
  "mandate.failure",
  "membership.cancel",
  "membership.create",
  "membership.renew",
  "journey.pause",
  "journey.resume",
  "office.create",
  "office.handover",
  "office.staff_review",
  "office.topic",
  "office.update",
  "representative.create",
  "segment.create",
  "segment.delete",
  "segment.freeze",
  "segment.people",
  "segment.preview",
  "segment.read",
  "segment.update",
  "representative.update",
  "person.create",
  "person.erase",
  "person.erase_reapplied",
  "person.export",
  "person.import",
  "person.merge",
  "person.not_duplicate",
  "person.read",
  "person.search",
  "person.subject_access",
  "person.update",
  "security_policy.update",
  "token.create",
  "token.revoke",
  "user.create",
  "user.mfa_reset",
  "user.password_link",
  "user.read",
  "user.update",
] as const;
