import { useEffect, useState } from "react";
import { api, type Health } from "../api/client";
import { useT } from "../i18n";
import { useSession } from "../session";

export function OverviewPage() {
  const t = useT();
  const { session } = useSession();
  const [health, setHealth] = useState<Health | null>(null);

  useEffect(() => {
    api.GET("/api/health").then(({ data, error }) => setHealth(data ?? (error as Health)));
  }, []);

  return (
    <section>
      <h1>{t("welcome", { name: session?.user.name ?? "" })}</h1>
      <p>
        {t("role")}: {session?.user.role}
      </p>
      <h2>{t("health")}</h2>
      {health ? (
        <dl className="health">
          <dt>{t("status")}</dt>
          <dd>{health.status}</dd>
          <dt>{t("database")}</dt>
          <dd>{health.database}</dd>
          <dt>{t("jobs")}</dt>
          <dd>{health.redis}</dd>
        </dl>
      ) : (
        <p>{t("loading")}</p>
      )}
    </section>
  );
}
