// The typed API client: paths and bodies come from the committed OpenAPI document.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

export type Session = components["schemas"]["Session"];
export type AuditPage = components["schemas"]["AuditPage"];
export type Health = components["schemas"]["Health"];
export type PersonPage = components["schemas"]["PersonPage"];
export type CasePage = components["schemas"]["CasePage"];
export type Person = components["schemas"]["Person"];
export type TimelineEntry = components["schemas"]["TimelineEntry"];
export type ConsentMatrix = components["schemas"]["ConsentMatrix"];
export type Membership = components["schemas"]["Membership"];
export type Donation = components["schemas"]["Donation"];
export type Mandate = components["schemas"]["Mandate"];
export type Household = components["schemas"]["Household"];
export type ImportStatus = components["schemas"]["ImportStatus"];
export type ImportPreview = components["schemas"]["Preview"];
export type ImportSummary = components["schemas"]["ImportSummary"];
export type DuplicateCandidate = components["schemas"]["dedupe_schemas_Candidate"];
export type CandidatePage = components["schemas"]["CandidatePage"];
export type Problem = components["schemas"]["Problem"];

let csrfToken = "";
let language = "nl";

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

export function setApiLanguage(value: string): void {
  language = value;
}

const headers: Middleware = {
  async onRequest({ request }) {
    request.headers.set("Accept-Language", language);
    if (!["GET", "HEAD", "OPTIONS"].includes(request.method) && csrfToken) {
      request.headers.set("X-CSRF-Token", csrfToken);
    }
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: "/", credentials: "same-origin" });
api.use(headers);

/** A CSV upload for the import routes: the file and the column → field mapping as JSON. */
export function uploadForm(file: File, mapping: Record<string, string>): FormData {
  const form = new FormData();
  form.append("file", file);
  form.append("mapping", JSON.stringify(mapping));
  return form;
}

/** Money as people read it: cents to "12.50". */
export function money(cents: number, currency = "EUR"): string {
  return `${currency} ${(cents / 100).toFixed(2)}`;
}

export function problemText(error: unknown, fallback: string): string {
  const problem = error as Partial<Problem> | undefined;
  return problem?.detail || problem?.title || fallback;
}
