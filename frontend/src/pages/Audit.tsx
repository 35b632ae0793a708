// The audit log, newest first, a page of 50 at a time.
import { useInfiniteQuery } from "@tanstack/react-query";
import { api } from "../api/client";
import { unwrap } from "../api/query";
import { QueryStatus } from "../components/QueryStatus";
import { useT } from "../i18n";

const PAGE = 50;

export function AuditPage() {
  const t = useT();
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
