// How the case pages word what the API stores: codes become the reader's words, dates
// follow the reader's locale. Shared by the inbox and the case page.
import type { components } from "../api/schema";
import { catalogs, type Language, type MessageKey, type T } from "../i18n";

type Case = components["schemas"]["Case"];
type Routing = components["schemas"]["Routing"];
type CaseEvent = components["schemas"]["CaseEvent"];

const LOCALES: Record<Language, string> = { nl: "nl-NL", en: "en-GB" };

/** A key built from a code, used only when the catalog has it (else the fallback). */
function keyed(t: T, key: string, fallback: string, values?: Record<string, string | number>): string {
  return key in catalogs.en ? t(key as MessageKey, values) : fallback;
}

export function statusWord(t: T, status: string | null | undefined): string {
  return status ? keyed(t, `caseStatus_${status}`, status) : "";
}

export function channelWord(t: T, channel: string): string {
  return channel ? keyed(t, `caseChannel_${channel}`, channel) : "";
}

export function topicWord(item: Pick<Case, "topic" | "topic_label">, language: Language): string {
  return item.topic_label[language] ?? item.topic;
}

export function dateWord(value: string | null | undefined, language: Language): string {
  return value ? new Intl.DateTimeFormat(LOCALES[language], { dateStyle: "medium" }).format(new Date(value)) : "";
}

export function dateTimeWord(value: string, language: Language): string {
  return new Intl.DateTimeFormat(LOCALES[language], { dateStyle: "medium", timeStyle: "short" }).format(new Date(value));
}

export function routingWord(t: T, routing: Routing | null | undefined, topic: string): string {
  if (!routing) return "";
  const office = routing.office_name || (routing.office_id !== null && routing.office_id !== undefined ? `#${routing.office_id}` : "");
  return keyed(t, `caseRouting_${routing.code}`, routing.code, {
    district: routing.district,
    office,
    assignee: routing.assignee_name,
    topic,
    count: routing.count,
  });
}

/** One log entry as a sentence in the reader's language. */
export function eventWord(t: T, event: CaseEvent, topic: string): string {
  switch (event.kind) {
    case "status": {
      const line = t("caseLogStatus", { from: statusWord(t, event.from_status), to: statusWord(t, event.to_status) });
      return event.assignee_name ? `${line}, ${t("caseLogAssignedTo", { name: event.assignee_name })}` : line;
    }
    case "assignment":
      return t("caseLogAssignment", { name: event.assignee_name || t("caseNobody") });
    case "referral":
      return t("caseLogReferral", { agency: event.agency });
    case "consent":
      return event.consent ? t("caseLogConsentGiven") : t("caseLogConsentWithdrawn");
    case "routing":
      return routingWord(t, event.routing, topic);
    case "handover": {
      const detail = event.detail as { decision?: string; to_office_name?: string; consent?: { how?: string } };
      return detail.decision === "transfer"
        ? t("caseLogHandoverTransfer", { office: detail.to_office_name ?? "", how: detail.consent?.how ?? "" })
        : t("caseLogHandoverClose");
    }
    case "correspondence": {
      const parts = [event.direction ? keyed(t, `caseDirection_${event.direction}`, event.direction) : "", channelWord(t, event.channel)];
      return parts.filter(Boolean).join(" · ");
    }
    default:
      return "";
  }
}
