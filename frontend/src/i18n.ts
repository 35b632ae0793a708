// Every string the SPA shows, in Dutch and English.
import { createContext, useContext } from "react";

export type Language = "nl" | "en";

const nl = {
  appName: "Achterban",
  signIn: "Inloggen",
  signOut: "Uitloggen",
  email: "E-mailadres",
  password: "Wachtwoord",
  signingIn: "Bezig met inloggen…",
  signInFailed: "Inloggen is mislukt.",
  overview: "Overzicht",
  people: "Mensen",
  auditLog: "Auditlog",
  mainNavigation: "Hoofdmenu",
  language: "Taal",
  welcome: "Welkom, {name}",
  role: "Rol",
  health: "Systeemstatus",
  database: "Database",
  jobs: "Taken (Redis)",
  status: "Status",
  when: "Wanneer",
  who: "Wie",
  action: "Actie",
  object: "Object",
  from: "Vanaf",
  older: "Oudere",
  loading: "Laden…",
  noEntries: "Geen regels.",
  search: "Zoeken",
  searchPlaceholder: "Achternaam of e-mailadres",
  postcode: "Postcode",
  tag: "Label",
  name: "Naam",
  city: "Plaats",
  roles: "Rollen",
  total: "{count} mensen",
  previous: "Vorige",
  next: "Volgende",
  addressReview: "adres nakijken",
  cases: "Zaken",
  reference: "Kenmerk",
  subject: "Onderwerp",
  topic: "Thema",
  district: "District",
  due: "Termijn",
  overdue: "te laat",
  triage: "triage",
  view_all: "Alle",
  view_mine: "Mijn zaken",
  view_office: "Ons kantoor",
  view_triage: "Triage",
  view_overdue: "Te laat",
  status_new: "Nieuw",
  status_triaged: "Ingedeeld",
  status_assigned: "Toegewezen",
  status_waiting: "Wacht op instantie",
  status_resolved: "Opgelost",
  status_closed: "Gesloten",
};

const en: typeof nl = {
  appName: "Achterban",
  signIn: "Sign in",
  signOut: "Sign out",
  email: "E-mail address",
  password: "Password",
  signingIn: "Signing in…",
  signInFailed: "Signing in failed.",
  overview: "Overview",
  people: "People",
  auditLog: "Audit log",
  mainNavigation: "Main navigation",
  language: "Language",
  welcome: "Welcome, {name}",
  role: "Role",
  health: "System health",
  database: "Database",
  jobs: "Jobs (Redis)",
  status: "Status",
  when: "When",
  who: "Who",
  action: "Action",
  object: "Object",
  from: "From",
  older: "Older",
  loading: "Loading…",
  noEntries: "No entries.",
  search: "Search",
  searchPlaceholder: "Last name or e-mail address",
  postcode: "Postcode",
  tag: "Tag",
  name: "Name",
  city: "City",
  roles: "Roles",
  total: "{count} people",
  previous: "Previous",
  next: "Next",
  addressReview: "check address",
  cases: "Cases",
  reference: "Reference",
  subject: "Subject",
  topic: "Topic",
  district: "District",
  due: "Due",
  overdue: "overdue",
  triage: "triage",
  view_all: "All",
  view_mine: "My cases",
  view_office: "Our office",
  view_triage: "Triage",
  view_overdue: "Overdue",
  status_new: "New",
  status_triaged: "Triaged",
  status_assigned: "Assigned",
  status_waiting: "Waiting on agency",
  status_resolved: "Resolved",
  status_closed: "Closed",
};

export type MessageKey = keyof typeof nl;
export const catalogs: Record<Language, typeof nl> = { nl, en };

export function initialLanguage(): Language {
  const stored = localStorage.getItem("achterban.language");
  if (stored === "nl" || stored === "en") return stored;
  return navigator.language.toLowerCase().startsWith("nl") ? "nl" : "en";
}

export function translate(
  language: Language,
  key: MessageKey,
  values: Record<string, string | number> = {},
): string {
  return catalogs[language][key].replace(/\{(\w+)\}/g, (_, name: string) =>
    String(values[name] ?? ""),
  );
}

export const LanguageContext = createContext<{
  language: Language;
  setLanguage: (language: Language) => void;
}>({ language: "nl", setLanguage: () => undefined });

export function useT() {
  const { language } = useContext(LanguageContext);
  return (key: MessageKey, values?: Record<string, string | number>) =>
    translate(language, key, values);
}
