// The audit log, newest first, a page of 50 at a time.
import { useInfiniteQuery } from "@tanstack/react-query";
import { Link } from "react-router-dom";
import { api } from "../api/client";
import { unwrap } from "../api/query";
import { QueryStatus } from "../components/QueryStatus";
import { useFormat } from "../format";
import { useT } from "../i18n";
import { label } from "../labels";

const PAGE = 50;

/** The object's id as staff read it: a person links to their page; a job key loses its kind. */
function objectRef(type: string, id: string) {
  if (type === "person" && /^\d+$/.test(id)) return <Link to={`/people/${id}`}>#{id}</Link>;
  if (type === "case" && /^\d+$/.test(id)) return <Link to={`/cases/${id}`}>#{id}</Link>;
  return id.includes(":") ? id.slice(id.indexOf(":") + 1, id.indexOf(":") + 9) : id;
}

export function AuditPage() {
  const t = useT();
  const format = useFormat();
  const audit = useInfiniteQuery({
    queryKey: ["audit"],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/api/audit", { params: { query: { limit: PAGE, before_id: pageParam } } })),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.next_before_id ?? undefined,
  });
  const entries = audit.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section>
      <h1>{t("auditLog")}</h1>
      <table aria-label={t("auditLog")}>
        <thead>
          <tr>
            <th>{t("when")}</th>
            <th>{t("who")}</th>
            <th>{t("action")}</th>
            <th>{t("object")}</th>
            <th>{t("ipAddress")}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id}>
              <td>{format.dateTime(entry.at)}</td>
              <td>{entry.actor_id === null && entry.actor_label === "system" ? t("systemActor") : entry.actor_label}</td>
              <td>{label(t, "action", entry.action)}</td>
              <td>
                {label(t, "objectType", entry.object_type)} {objectRef(entry.object_type, entry.object_id)}
              </td>
              <td>{entry.ip ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <QueryStatus isPending={audit.isPending || audit.isFetchingNextPage} error={audit.error} />
      {audit.isSuccess && entries.length === 0 && <p>{t("noEntries")}</p>}
      {audit.hasNextPage && !audit.isFetchingNextPage && (
        <button type="button" onClick={() => void audit.fetchNextPage()}>
          {t("older")}
        </button>
      )}
    </section>
  );
}
