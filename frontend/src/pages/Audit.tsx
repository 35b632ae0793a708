import { useEffect, useState } from "react";
import { api, type AuditPage as Page } from "../api/client";
import { useT } from "../i18n";

type Entry = Page["items"][number];

export function AuditPage() {
  const t = useT();
  const [entries, setEntries] = useState<Entry[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [loading, setLoading] = useState(true);

  async function load(beforeId?: number) {
    setLoading(true);
    const { data } = await api.GET("/api/audit", {
      params: { query: { limit: 50, before_id: beforeId } },
    });
    if (data) {
      setEntries((current) => (beforeId ? [...current, ...data.items] : data.items));
      setNext(data.next_before_id ?? null);
    }
    setLoading(false);
  }

  useEffect(() => {
    void load();
  }, []);

  return (
    <section>
      <h1>{t("auditLog")}</h1>
      <table>
        <thead>
          <tr>
            <th>{t("when")}</th>
            <th>{t("who")}</th>
            <th>{t("action")}</th>
            <th>{t("object")}</th>
            <th>{t("from")}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id}>
              <td>{new Date(entry.at).toLocaleString()}</td>
              <td>{entry.actor_label}</td>
              <td>{entry.action}</td>
              <td>
                {entry.object_type} {entry.object_id}
              </td>
              <td>{entry.ip ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!loading && entries.length === 0 && <p>{t("noEntries")}</p>}
      {loading && <p>{t("loading")}</p>}
      {next !== null && !loading && (
        <button type="button" onClick={() => void load(next)}>
          {t("older")}
        </button>
      )}
    </section>
  );
}
