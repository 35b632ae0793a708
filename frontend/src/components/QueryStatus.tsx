// What a page shows while its data loads or when it failed: never a blank screen.
import { ApiError } from "../api/query";
import { useT, type MessageKey } from "../i18n";

export function ErrorMessage({ error, fallback = "loadFailed" }: { error: unknown; fallback?: MessageKey }) {
  const t = useT();
  if (!error) return null;
  const text = error instanceof ApiError ? error.message : t(fallback);
  return (
    <p role="alert" className="error">
      {text}
    </p>
  );
}

export function QueryStatus({ isPending, error }: { isPending: boolean; error: unknown }) {
  const t = useT();
  if (error) return <ErrorMessage error={error} />;
  if (isPending) return <p className="loading">{t("loading")}</p>;
  return null;
}
