// The case inbox: views, counts by status, search within the office's own cases.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link } from "react-router-dom";
import { api } from "../api/client";
import { unwrap } from "../api/query";
import { QueryStatus } from "../components/QueryStatus";
import { useLanguage, useT, type MessageKey } from "../i18n";
import { dateWord, statusWord, topicWord } from "./caseWords";

type View = "all" | "mine" | "office" | "triage" | "overdue";
const VIEWS: View[] = ["all", "mine", "office", "triage", "overdue"];
const STATUSES = ["new", "triaged", "assigned", "waiting", "resolved", "closed"] as const;

export function CasesPage() {
  const t = useT();
  const language = useLanguage();
  const [view, setView] = useState<View>("all");
  const [draft, setDraft] = useState("");
  const [q, setQ] = useState("");
  const cases = useQuery({
    queryKey: ["cases", { view, q }],
    queryFn: () => unwrap(api.GET("/api/cases", { params: { query: { view, q: q || undefined, limit: 100 } } })),
    placeholderData: keepPreviousData,
  });
  const page = cases.data;

  function search(event: FormEvent) {
    event.preventDefault();
    setQ(draft.trim());
  }

  return (
    <section>
      <h1>{t("cases")}</h1>
      <div className="tabs" role="tablist" aria-label={t("caseViews")}>
        {VIEWS.map((v) => (
          <button key={v} type="button" role="tab" aria-selected={v === view} onClick={() => setView(v)}>
            {t(`caseView_${v}` as MessageKey)}
          </button>
        ))}
      </div>
      <form role="search" className="inline" onSubmit={search} aria-label={t("caseSearchLabel")}>
        <input
          type="search"
          aria-label={t("caseSearchLabel")}
          placeholder={t("caseSearch")}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit">{t("search")}</button>
      </form>
      <QueryStatus isPending={cases.isPending} error={cases.error} />
      {page && (
        <>
          <ul className="counts" aria-label={t("caseStatus")}>
            {STATUSES.map((s) => (
              <li key={s}>
                {statusWord(t, s)}: {(page.counts[s] ?? 0).toLocaleString(language)}
              </li>
            ))}
          </ul>
          <p>{page.total === 1 ? t("caseCountOne") : t("caseCount", { count: page.total.toLocaleString(language) })}</p>
        </>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">{t("reference")}</th>
            <th scope="col">{t("subject")}</th>
            <th scope="col">{t("caseConstituent")}</th>
            <th scope="col">{t("caseTopic")}</th>
            <th scope="col">{t("caseStatus")}</th>
            <th scope="col">{t("caseAssignee")}</th>
            <th scope="col">{t("caseDistrict")}</th>
            <th scope="col">{t("caseDue")}</th>
          </tr>
        </thead>
        <tbody>
          {page?.items.map((c) => (
            <tr key={c.id} className={c.overdue ? "overdue" : undefined}>
              <td>
                <Link to={`/cases/${c.id}`}>{c.reference}</Link>
              </td>
              <td>{c.subject}</td>
              <td>{c.constituent_name}</td>
              <td>{topicWord(c, language)}</td>
              <td>{statusWord(t, c.status)}</td>
              <td>{c.assignee_name || t("caseNobody")}</td>
              <td>{c.district || t("caseTriage")}</td>
              <td>
                {dateWord(c.due_at, language)}
                {c.overdue && <strong> {t("caseOverdue")}</strong>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {page && page.items.length === 0 && <p>{t("caseNoCases")}</p>}
    </section>
  );
}
