// The start page: who is signed in, and whether the system is healthy.
import { useQuery } from "@tanstack/react-query";
import { api, type Health } from "../api/client";
import { QueryStatus } from "../components/QueryStatus";
import { useT } from "../i18n";
import { label } from "../labels";
import { useSession } from "../session";

export function OverviewPage() {
  const t = useT();
  const { session } = useSession();
  // an unhealthy system answers 503 with the same body: both are worth showing
  const health = useQuery({
    queryKey: ["health"],
    queryFn: async (): Promise<Health> => {
      const { data, error, response } = await api.GET("/api/health");
      if (data) return data;
      if (response.status === 503 && error) return error as unknown as Health;
      throw new Error(`HTTP ${response.status}`);
    },
  });

  return (
    <section>
      <h1>{t("welcome", { name: session?.user.name ?? "" })}</h1>
      <p>
        {t("role")}: {session ? label(t, "userRole", session.user.role) : ""}
      </p>
      <h2>{t("health")}</h2>
      <QueryStatus isPending={health.isPending} error={health.error} />
      {health.data && (
        <dl className="health">
          <dt>{t("status")}</dt>
          <dd>{label(t, "health", health.data.status)}</dd>
          <dt>{t("database")}</dt>
          <dd>{label(t, "health", health.data.database)}</dd>
          <dt>{t("jobs")}</dt>
          <dd>{label(t, "health", health.data.redis)}</dd>
        </dl>
      )}
    </section>
  );
}
