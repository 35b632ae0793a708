// Possible duplicates, best first: merge two records into one (after seeing what moves and
// confirming), or remember they are two people.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { Link } from "react-router-dom";
import { api, type DuplicateCandidate } from "../api/client";
import { PEOPLE_KEY, personKey } from "../api/people";
import { unwrap } from "../api/query";
import { ErrorMessage, QueryStatus } from "../components/QueryStatus";
import { counted, useFormat } from "../format";
import { useT, type MessageKey } from "../i18n";

type Summary = DuplicateCandidate["a"];
type Pair = { survivor: Summary; merged: Summary };

const PAGE = 50;
const DEDUPE_KEY = ["dedupe"] as const;
const SCAN_POLL_MS = 2000;

// the API states its evidence in English; these are its four kinds
const REASONS: Record<string, MessageKey> = {
  "same e-mail address": "reason_email",
  "same phone number": "reason_phone",
  "same name and address": "reason_place",
  "same name in the same household": "reason_household",
};

const MOVES = ["interactions", "donations", "mandates", "memberships", "consent_records", "cases"] as const;

export function DedupePage() {
  const t = useT();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [message, setMessage] = useState("");
  const [asked, setAsked] = useState<Pair | null>(null);
  const [offset, setOffset] = useState(0);
  const candidates = useQuery({
    queryKey: [...DEDUPE_KEY, offset],
    queryFn: () =>
      unwrap(api.GET("/api/dedupe/candidates", { params: { query: { limit: PAGE, offset } } })),
    placeholderData: keepPreviousData,
    // while a scan waits or runs, look again every few seconds; then stop
    refetchInterval: (query) => (query.state.data?.scanning ? SCAN_POLL_MS : false),
  });
  const page = candidates.data;

  const refresh = (ids: number[]) =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: DEDUPE_KEY }),
      queryClient.invalidateQueries({ queryKey: PEOPLE_KEY }),
      ...ids.map((id) => queryClient.invalidateQueries({ queryKey: personKey(id) })),
    ]);

  const scan = useMutation({
    mutationFn: () => unwrap(api.POST("/api/dedupe/scan")),
    onSuccess: () => refresh([]),
  });
  const merge = useMutation({
    mutationFn: ({ survivor, merged }: Pair) =>
      unwrap(api.POST("/api/dedupe/merge", { body: { survivor_id: survivor.id, merged_id: merged.id } })),
    onSuccess: (_, { survivor, merged }) => {
      setAsked(null);
      setMessage(t("merged", { name: survivor.display_name }));
      return refresh([survivor.id, merged.id]);
    },
  });
  const distinct = useMutation({
    mutationFn: ({ a, b }: { a: Summary; b: Summary }) =>
      unwrap(api.POST("/api/dedupe/not-duplicate", { body: { a: a.id, b: b.id } })),
    onSuccess: () => {
      setMessage(t("keptApart"));
      return refresh([]);
    },
  });

  return (
    <section>
      <h1>{t("duplicates")}</h1>
      <p>{t("duplicatesHelp")}</p>
      <p className="scan">
        {page?.scanning
          ? t("scanning")
          : page?.scanned_at
            ? t("scannedAt", { when: format.dateTime(page.scanned_at) })
            : page
              ? t("neverScanned")
              : ""}{" "}
        <button type="button" disabled={!page || page.scanning || scan.isPending} onClick={() => scan.mutate()}>
          {t("scanAgain")}
        </button>
      </p>
      <ErrorMessage error={scan.error ?? distinct.error} fallback="saveFailed" />
      {message && <p role="status">{message}</p>}
      <QueryStatus isPending={candidates.isPending} error={candidates.error} />
      {page && <p>{counted(t, format, "candidateCount", page.total)}</p>}
      {page?.items.length === 0 && <p>{t("noDuplicates")}</p>}
      {page?.items.map((c) => (
        <article key={`${c.a.id}-${c.b.id}`} className="candidate" aria-label={`${c.a.display_name} / ${c.b.display_name}`}>
          <p>
            <strong>{t("score", { score: format.number(Math.round(c.score * 100)) })}</strong> ·{" "}
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
            <button type="button" onClick={() => setAsked({ survivor: c.a, merged: c.b })}>
              {t("keepRecord", { name: c.a.display_name, id: c.a.id })}
            </button>
            <button type="button" onClick={() => setAsked({ survivor: c.b, merged: c.a })}>
              {t("keepRecord", { name: c.b.display_name, id: c.b.id })}
            </button>
            <button type="button" disabled={distinct.isPending} onClick={() => distinct.mutate({ a: c.a, b: c.b })}>
              {t("notDuplicate")}
            </button>
          </div>
        </article>
      ))}
      {page && page.total > PAGE && (
        <nav aria-label={t("duplicates")} className="pager">
          <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
            {t("previous")}
          </button>
          <button type="button" disabled={offset + PAGE >= page.total} onClick={() => setOffset(offset + PAGE)}>
            {t("next")}
          </button>
        </nav>
      )}
      {asked && (
        <MergeDialog
          pair={asked}
          busy={merge.isPending}
          error={merge.error}
          onConfirm={() => merge.mutate(asked)}
          onCancel={() => {
            merge.reset();
            setAsked(null);
          }}
        />
      )}
    </section>
  );
}

/** Asks before a merge, saying what moves from the record that goes away. */
function MergeDialog({
  pair,
  busy,
  error,
  onConfirm,
  onCancel,
}: {
  pair: Pair;
  busy: boolean;
  error: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const t = useT();
  const format = useFormat();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { survivor, merged } = pair;
  const counts = useQuery({
    queryKey: [...personKey(merged.id), "counts"],
    queryFn: () =>
      unwrap(api.GET("/api/people/{person_id}/counts", { params: { path: { person_id: merged.id } } })),
  });

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal(); // modal: focus moves in, Escape cancels
    return () => dialog?.close();
  }, []);

  const moves = counts.data
    ? MOVES.flatMap((name) => {
        const count = counts.data[name];
        return typeof count === "number" && count > 0 ? [counted(t, format, `moves_${name}`, count)] : [];
      })
    : [];

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id={titleId}>{t("mergeTitle", { from: merged.display_name, into: survivor.display_name })}</h2>
      <QueryStatus isPending={counts.isPending} error={counts.error} />
      {counts.data && (
        <>
          <p>
            {t("mergeMoves", {
              into: survivor.display_name,
              id: survivor.id,
              from: merged.display_name,
              gone: merged.id,
            })}
          </p>
          {moves.length > 0 ? (
            <ul>
              {moves.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          ) : (
            <p>{t("mergeNothing")}</p>
          )}
        </>
      )}
      <ErrorMessage error={error} fallback="saveFailed" />
      <p className="actions">
        <button type="button" disabled={busy || !counts.data} onClick={onConfirm}>
          {t("mergeConfirm")}
        </button>{" "}
        <button type="button" onClick={onCancel}>
          {t("cancel")}
        </button>
      </p>
    </dialog>
  );
}
