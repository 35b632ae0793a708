import { useEffect, useState } from "react";
import { Link } from "react-router-dom";
import { api, type CasePage } from "../api/client";
import { useT, type MessageKey } from "../i18n";

type View = "all" | "mine" | "office" | "triage" | "overdue";
const VIEWS: View[] = ["all", "mine", "office", "triage", "overdue"];
const STATUSES = ["new", "triaged", "assigned", "waiting", "resolved", "closed"] as const;

export function CasesPage() {
  const t = useT();
  const [view, setView] = useState<View>("all");
  const [page, setPage] = useState<CasePage | null>(null);

  useEffect(() => {
    api.GET("/api/cases", { params: { query: { view, limit: 100 } } }).then(({ data }) => {
      if (data) setPage(data);
    });
  }, [view]);

  return (
    <section>
      <h1>{t("cases")}</h1>
      <div className="tabs" role="tablist" aria-label={t("cases")}>
        {VIEWS.map((v) => (
          <button key={v} type="button" role="tab" aria-selected={v === view} onClick={() => setView(v)}>
            {t(`view_${v}` as MessageKey)}
          </button>
        ))}
      </div>
      {page && (
        <ul className="counts" aria-label={t("status")}>
          {STATUSES.map((s) => (
            <li key={s}>
              {t(`status_${s}` as MessageKey)}: {page.counts[s] ?? 0}
            </li>
          ))}
        </ul>
      )}
      <table>
        <thead>
          <tr>
            <th>{t("reference")}</th>
            <th>{t("subject")}</th>
            <th>{t("topic")}</th>
            <th>{t("status")}</th>
            <th>{t("district")}</th>
            <th>{t("due")}</th>
          </tr>
        </thead>
        <tbody>
          {page?.items.map((c) => (
            <tr key={c.id} className={c.overdue ? "overdue" : undefined}>
              <td>
                <Link to={`/cases/${c.id}`}>{c.reference}</Link>
              </td>
              <td>{c.subject}</td>
              <td>{c.topic}</td>
              <td>{t(`status_${c.status}` as MessageKey)}</td>
              <td>{c.district || t("triage")}</td>
              <td>
                {c.due_at ? new Date(c.due_at).toLocaleDateString() : ""}
                {c.overdue && <strong> {t("overdue")}</strong>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {page && page.items.length === 0 && <p>{t("noEntries")}</p>}
    </section>
  );
}
