// The typed API client: paths and bodies come from the committed OpenAPI document.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

export type Session = components["schemas"]["Session"];
export type AuditPage = components["schemas"]["AuditPage"];
export type Health = components["schemas"]["Health"];
export type PersonPage = components["schemas"]["PersonPage"];
export type CasePage = components["schemas"]["CasePage"];
export type Problem = { type?: string; title?: string; status?: number; detail?: string };

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

export function problemText(error: unknown, fallback: string): string {
  const problem = error as Problem | undefined;
  return problem?.detail || problem?.title || fallback;
}
