// Import people from a CSV: check the guessed columns, start the job, follow it, read bad lines.
import { useEffect, useState, type FormEvent } from "react";
import {
  api,
  problemText,
  uploadForm,
  type ImportPreview,
  type ImportStatus,
  type ImportSummary,
} from "../api/client";
import { useT } from "../i18n";

const SKIP = "";
const POLL_MS = 1000;

export function ImportPage() {
  const t = useT();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<ImportStatus | null>(null);
  const [error, setError] = useState("");
  const [recent, setRecent] = useState<ImportSummary[]>([]);

  async function loadRecent() {
    const { data } = await api.GET("/api/imports", { params: { query: { limit: 20 } } });
    if (data) setRecent(data);
  }

  async function open(jobKey: string) {
    const { data } = await api.GET("/api/imports/{job_key}", { params: { path: { job_key: jobKey } } });
    if (data) {
      setPreview(null);
      setStatus(data);
    }
  }

  async function choose(chosen: File | null) {
    setFile(chosen);
    setPreview(null);
    setStatus(null);
    setError("");
    if (!chosen) return;
    const { data, error: problem } = await api.POST("/api/imports/preview", {
      body: { file: "", mapping: "", source: "" },
      bodySerializer: () => uploadForm(chosen, {}),
    });
    if (!data) {
      setError(problemText(problem, t("importFailed")));
      return;
    }
    setPreview(data);
    setMapping(data.mapping);
  }

  async function start(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    // an unmapped column is skipped: the API takes "" as "not imported"
    const chosen = Object.fromEntries(
      (preview?.headers ?? []).map((header) => [header, mapping[header] ?? SKIP]),
    );
    const { data, error: problem } = await api.POST("/api/imports/people", {
      body: { file: "", mapping: "", source: "" },
      bodySerializer: () => uploadForm(file, chosen),
    });
    if (!data) {
      setError(problemText(problem, t("importFailed")));
      return;
    }
    setError("");
    setStatus(data);
  }

  const running = status && !["done", "failed"].includes(status.status);
  useEffect(() => {
    if (!status || !running) return;
    const timer = window.setTimeout(async () => {
      const { data } = await api.GET("/api/imports/{job_key}", {
        params: { path: { job_key: status.job_key } },
      });
      if (data) setStatus(data);
    }, POLL_MS);
    return () => window.clearTimeout(timer);
  }, [status, running]);

  useEffect(() => {
    void loadRecent();
  }, [status?.status]);

  return (
    <section>
      <h1>{t("importPeople")}</h1>
      <p>{t("importHelp")}</p>
      <label>
        {t("csvFile")}{" "}
        <input type="file" accept=".csv,text/csv" onChange={(e) => void choose(e.target.files?.[0] ?? null)} />
      </label>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {preview && !status && (
        <form onSubmit={start}>
          <p>
            {t("fileFormat", { encoding: preview.encoding, delimiter: preview.delimiter })}
          </p>
          <table aria-label={t("columns")}>
            <thead>
              <tr>
                <th>{t("column")}</th>
                <th>{t("field")}</th>
                <th>{t("example")}</th>
              </tr>
            </thead>
            <tbody>
              {preview.headers.map((header, i) => (
                <tr key={header}>
                  <td>{header}</td>
                  <td>
                    <select
                      aria-label={header}
                      value={mapping[header] ?? SKIP}
                      onChange={(e) => setMapping({ ...mapping, [header]: e.target.value })}
                    >
                      <option value={SKIP}>{t("notImported")}</option>
                      {preview.fields.map((f) => (
                        <option key={f} value={f}>
                          {f}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>{preview.rows.map((row) => row[i] ?? "").filter(Boolean).slice(0, 2).join(" · ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="submit">{t("startImport")}</button>
        </form>
      )}
      {status && (
        <div className="import-status">
          <progress
            aria-label={t("progress")}
            max={status.total ?? undefined}
            value={status.done}
          />
          <p data-testid="import-status">
            {t(`job_${status.status}` as "job_done")} ·{" "}
            {t("importCounts", {
              done: status.done,
              total: status.total ?? "?",
              created: status.created,
              updated: status.updated,
              bad: status.bad,
            })}
          </p>
          {status.error && <p className="error">{status.error}</p>}
          {status.issues.length > 0 && (
            <table aria-label={t("badLines")}>
              <thead>
                <tr>
                  <th>{t("line")}</th>
                  <th>{t("reason")}</th>
                  <th>{t("content")}</th>
                </tr>
              </thead>
              <tbody>
                {status.issues.map((issue) => (
                  <tr key={issue.line}>
                    <td>{issue.line}</td>
                    <td>{issue.reason}</td>
                    <td>
                      <code>{issue.raw}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      <h2>{t("recentImports")}</h2>
      <table aria-label={t("recentImports")}>
        <thead>
          <tr>
            <th>{t("when")}</th>
            <th>{t("csvFile")}</th>
            <th>{t("status")}</th>
            <th>{t("results")}</th>
          </tr>
        </thead>
        <tbody>
          {recent.map((r) => (
            <tr key={r.job_key}>
              <td>{new Date(r.created_at).toLocaleString()}</td>
              <td>
                <button type="button" className="link" onClick={() => void open(r.job_key)}>
                  {r.filename}
                </button>
              </td>
              <td>{t(`job_${r.status}` as "job_done")}</td>
              <td>
                {t("importCounts", {
                  done: r.done,
                  total: r.total ?? "?",
                  created: r.created,
                  updated: r.updated,
                  bad: r.bad,
                })}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {recent.length === 0 && <p>{t("noEntries")}</p>}
    </section>
  );
}
