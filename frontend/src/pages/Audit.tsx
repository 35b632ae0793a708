// The audit log, newest first, a page of 50 at a time.
import { useInfiniteQuery } from "@tanstack/react-query";
import { api } from "../api/client";
import { unwrap } from "../api/query";
import { QueryStatus } from "../components/QueryStatus";
import { useFormat } from "../format";
import { useT } from "../i18n";
import { label } from "../labels";

const PAGE = 50;

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
              <td>{entry.actor_label}</td>
              <td>{label(t, "action", entry.action)}</td>
              <td>
                {label(t, "objectType", entry.object_type)} {entry.object_id}
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
