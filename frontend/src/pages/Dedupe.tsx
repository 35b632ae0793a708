// Possible duplicates, best first: merge two records into one, or remember they are two people.
import { useEffect, useState } from "react";
import { Link } from "react-router-dom";
import { api, problemText, type CandidatePage, type DuplicateCandidate } from "../api/client";
import { useT, type MessageKey } from "../i18n";

type Summary = DuplicateCandidate["a"];

// the API states its evidence in English; these are its four kinds
const REASONS: Record<string, MessageKey> = {
  "same e-mail address": "reason_email",
  "same phone number": "reason_phone",
  "same name and address": "reason_place",
  "same name in the same household": "reason_household",
};

export function DedupePage() {
  const t = useT();
  const [page, setPage] = useState<CandidatePage | null>(null);
  const [message, setMessage] = useState("");
  const candidates = page?.items ?? null;

  async function load() {
    const { data } = await api.GET("/api/dedupe/candidates", { params: { query: { limit: 50 } } });
    if (data) setPage(data);
  }

  useEffect(() => {
    void load();
  }, []);

  // while a scan waits or runs, look again every few seconds
  useEffect(() => {
    if (!page?.scanning) return;
    const timer = window.setTimeout(() => void load(), 2000);
    return () => window.clearTimeout(timer);
  }, [page]);

  async function scan() {
    await api.POST("/api/dedupe/scan");
    await load();
  }

  async function merge(survivor: Summary, merged: Summary) {
    const { error } = await api.POST("/api/dedupe/merge", {
      body: { survivor_id: survivor.id, merged_id: merged.id },
    });
    setMessage(error ? problemText(error, t("saveFailed")) : t("merged", { name: survivor.display_name }));
    await load();
  }

  async function distinct(a: Summary, b: Summary) {
    const { error } = await api.POST("/api/dedupe/not-duplicate", { body: { a: a.id, b: b.id } });
    setMessage(error ? problemText(error, t("saveFailed")) : t("keptApart"));
    await load();
  }

  return (
    <section>
      <h1>{t("duplicates")}</h1>
      <p>{t("duplicatesHelp")}</p>
      <p className="scan">
        {page?.scanning
          ? t("scanning")
          : page?.scanned_at
            ? t("scannedAt", { when: new Date(page.scanned_at).toLocaleString() })
            : t("neverScanned")}{" "}
        <button type="button" disabled={!page || page.scanning} onClick={() => void scan()}>
          {t("scanAgain")}
        </button>
      </p>
      {message && <p role="status">{message}</p>}
      {page === null && <p className="loading">{t("loading")}</p>}
      {page && <p>{t("candidateCount", { count: page.total })}</p>}
      {candidates?.length === 0 && <p>{t("noDuplicates")}</p>}
      {candidates?.map((c) => (
        <article key={`${c.a.id}-${c.b.id}`} className="candidate" aria-label={`${c.a.display_name} / ${c.b.display_name}`}>
          <p>
            <strong>{Math.round(c.score * 100)}%</strong> ·{" "}
            {c.reasons.map((r) => (REASONS[r] ? t(REASONS[r]) : r)).join(", ")}
          </p>
          <div className="pair">
            {[c.a, c.b].map((p) => (
              <div key={p.id}>
                <Link to={`/people/${p.id}`}>{p.display_name}</Link>
                <br />
                {p.email ?? ""} {p.phone ?? ""}
                <br />
                {p.postcode} {p.city}
              </div>
            ))}
          </div>
          <div className="actions">
            <button type="button" onClick={() => void merge(c.a, c.b)}>
              {t("keepRecord", { name: c.a.display_name, id: c.a.id })}
            </button>
            <button type="button" onClick={() => void merge(c.b, c.a)}>
              {t("keepRecord", { name: c.b.display_name, id: c.b.id })}
            </button>
            <button type="button" onClick={() => void distinct(c.a, c.b)}>
              {t("notDuplicate")}
            </button>
          </div>
        </article>
      ))}
    </section>
  );
}
