// Import people from a CSV: check the guessed columns, start the job, follow it, read bad lines.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { api, uploadForm, type ImportPreview } from "../api/client";
import { PEOPLE_KEY } from "../api/people";
import { unwrap } from "../api/query";
import { ErrorMessage, QueryStatus } from "../components/QueryStatus";
import { useFormat } from "../format";
import { useT } from "../i18n";
import { label } from "../labels";

const SKIP = "";
const POLL_MS = 1000;
const IMPORTS_KEY = ["imports"] as const;

// what the API adds to a preview when it knows it: field labels in the reader's language and
// the tool whose export the file is (absent from older documents, so read as optional)
type Described = ImportPreview & { labels?: Record<string, string>; format_name?: string | null };

export function ImportPage() {
  const t = useT();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [jobKey, setJobKey] = useState<string | null>(null);

  const preview = useMutation({
    mutationFn: (chosen: File) =>
      unwrap(
        api.POST("/api/imports/preview", {
          body: { file: "", mapping: "", source: "" },
          bodySerializer: () => uploadForm(chosen, {}),
        }),
      ) as Promise<Described>,
    onSuccess: (data) => setMapping(data.mapping),
  });
  const start = useMutation({
    mutationFn: ({ chosen, columns }: { chosen: File; columns: Record<string, string> }) =>
      unwrap(
        api.POST("/api/imports/people", {
          body: { file: "", mapping: "", source: "" },
          bodySerializer: () => uploadForm(chosen, columns),
        }),
      ),
    onSuccess: (data) => {
      queryClient.setQueryData(["import", data.job_key], data);
      setJobKey(data.job_key);
      preview.reset();
      void queryClient.invalidateQueries({ queryKey: IMPORTS_KEY });
    },
  });
  const status = useQuery({
    queryKey: ["import", jobKey],
    queryFn: () => unwrap(api.GET("/api/imports/{job_key}", { params: { path: { job_key: jobKey ?? "" } } })),
    enabled: jobKey !== null,
    staleTime: 0,
    // follow a running import every second; stop when it is done or failed
    refetchInterval: (query) => {
      const state = query.state.data?.status;
      return state && !["done", "failed"].includes(state) ? POLL_MS : false;
    },
  });
  const recent = useQuery({
    queryKey: IMPORTS_KEY,
    queryFn: () => unwrap(api.GET("/api/imports", { params: { query: { limit: 20 } } })),
  });

  // when the import ends, the recent list and the people in it are news
  const finished = status.data && ["done", "failed"].includes(status.data.status);
  useEffect(() => {
    if (!finished) return;
    void queryClient.invalidateQueries({ queryKey: IMPORTS_KEY });
    void queryClient.invalidateQueries({ queryKey: PEOPLE_KEY });
  }, [finished, queryClient]);

  function choose(chosen: File | null) {
    setFile(chosen);
    setJobKey(null);
    start.reset();
    if (chosen) preview.mutate(chosen);
    else preview.reset();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!file || !preview.data) return;
    // an unmapped column is skipped: the API takes "" as "not imported"
    const columns = Object.fromEntries(preview.data.headers.map((header) => [header, mapping[header] ?? SKIP]));
    start.mutate({ chosen: file, columns });
  }

  const shown = preview.data;
  const job = status.data;

  return (
    <section>
      <h1>{t("importPeople")}</h1>
      <p>{t("importHelp")}</p>
      <label>
        {t("csvFile")}{" "}
        <input type="file" accept=".csv,text/csv" onChange={(e) => choose(e.target.files?.[0] ?? null)} />
      </label>
      <ErrorMessage error={preview.error ?? start.error} fallback="importFailed" />
      {preview.isPending && <p className="loading">{t("loading")}</p>}
      {shown && !jobKey && (
        <form onSubmit={submit}>
          <p>{t("fileFormat", { encoding: shown.encoding, delimiter: shown.delimiter })}</p>
          {shown.format_name && <p role="status">{t("recognisedFormat", { name: shown.format_name })}</p>}
          <table aria-label={t("columns")}>
            <thead>
              <tr>
                <th>{t("column")}</th>
                <th>{t("field")}</th>
                <th>{t("example")}</th>
              </tr>
            </thead>
            <tbody>
              {shown.headers.map((header, i) => (
                <tr key={header}>
                  <td>{header}</td>
                  <td>
                    <select
                      aria-label={header}
                      value={mapping[header] ?? SKIP}
                      onChange={(e) => setMapping({ ...mapping, [header]: e.target.value })}
                    >
                      <option value={SKIP}>{t("notImported")}</option>
                      {shown.fields.map((f) => (
                        <option key={f} value={f}>
                          {shown.labels?.[f] ?? f}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>{shown.rows.map((row) => row[i] ?? "").filter(Boolean).slice(0, 2).join(" · ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="submit" disabled={start.isPending}>
            {t("startImport")}
          </button>
        </form>
      )}
      {jobKey && <QueryStatus isPending={status.isPending} error={status.error} />}
      {job && (
        <div className="import-status">
          <progress aria-label={t("progress")} max={job.total ?? undefined} value={job.done} />
          <p data-testid="import-status">
            {label(t, "job", job.status)} ·{" "}
            {t("importCounts", {
              done: format.number(job.done),
              total: job.total === null || job.total === undefined ? "?" : format.number(job.total),
              created: format.number(job.created),
              updated: format.number(job.updated),
              bad: format.number(job.bad),
            })}
          </p>
          {job.error && <p className="error">{job.error}</p>}
          {job.issues.length > 0 && (
            <table aria-label={t("badLines")}>
              <thead>
                <tr>
                  <th>{t("line")}</th>
                  <th>{t("reason")}</th>
                  <th>{t("content")}</th>
                </tr>
              </thead>
              <tbody>
                {job.issues.map((issue) => (
                  <tr key={issue.line}>
                    <td>{format.number(issue.line)}</td>
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
      <QueryStatus isPending={recent.isPending} error={recent.error} />
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
          {(recent.data ?? []).map((r) => (
            <tr key={r.job_key}>
              <td>{format.dateTime(r.created_at)}</td>
              <td>
                <button
                  type="button"
                  className="link"
                  onClick={() => {
                    preview.reset();
                    setJobKey(r.job_key);
                  }}
                >
                  {r.filename}
                </button>
              </td>
              <td>{label(t, "job", r.status)}</td>
              <td>
                {t("importCounts", {
                  done: format.number(r.done),
                  total: r.total === null || r.total === undefined ? "?" : format.number(r.total),
                  created: format.number(r.created),
                  updated: format.number(r.updated),
                  bad: format.number(r.bad),
                })}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {recent.data?.length === 0 && <p>{t("noEntries")}</p>}
    </section>
  );
}
