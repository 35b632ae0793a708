// One person: who they are, every contact moment, consent, memberships and gifts.
// The page reads one thing, the person's overview (one audited read), and changes it through
// mutations that read it again; a merged-away record leads to the one it became.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router-dom";
import { api, type ConsentMatrix, type TimelineEntry } from "../api/client";
import { mergedInto, overviewKey, PEOPLE_KEY, personKey, usePersonChange } from "../api/people";
import { unwrap } from "../api/query";
import { ErrorMessage, QueryStatus } from "../components/QueryStatus";
import { CHANNELS, ConsentGrid, PURPOSES, type Channel, type Purpose } from "../ConsentGrid";
import { useFormat } from "../format";
import { useT, type MessageKey } from "../i18n";
import { label } from "../labels";
import { useSession } from "../session";
import { Giving, Memberships } from "./Giving";
import { PersonForm } from "./PersonForm";

const CONTACT_CHANNELS = ["phone", "email", "post", "sms", "visit", "event", "web", "social"] as const;

type ContactChannel = (typeof CONTACT_CHANNELS)[number];
type Arrived = { list?: string; mergedFrom?: number } | null;

export function PersonPage() {
  const t = useT();
  const { can } = useSession();
  const navigate = useNavigate();
  const personId = Number(useParams().personId);
  // back to the list as it was (its filters came along when the person was opened)
  const arrived = useLocation().state as Arrived;
  const list = arrived?.list;
  const [editing, setEditing] = useState(false);
  const overview = useQuery({
    queryKey: overviewKey(personId),
    queryFn: () =>
      unwrap(api.GET("/api/people/{person_id}/overview", { params: { path: { person_id: personId } } })),
    enabled: Number.isInteger(personId),
  });
  const survivor = mergedInto(overview.error);

  useEffect(() => {
    if (survivor !== null) {
      navigate(`/people/${survivor}`, { replace: true, state: { list, mergedFrom: personId } });
    }
  }, [survivor, navigate, list, personId]);

  if (!Number.isInteger(personId)) return <p role="alert" className="error">{t("notFound")}</p>;
  if (survivor !== null) return <p className="loading">{t("loading")}</p>;
  if (!overview.data) return <QueryStatus isPending={overview.isPending} error={overview.error} />;
  const held = overview.data;
  const { person } = held;
  const address = person.address;

  return (
    <section className="person">
      <p>
        <Link to={list ? `/people?${list}` : "/people"}>← {t("people")}</Link>
      </p>
      {arrived?.mergedFrom && <p role="status">{t("mergedHere", { id: arrived.mergedFrom })}</p>}
      <h1>{person.display_name}</h1>
      {can("people.write") && (
        <button type="button" onClick={() => setEditing(!editing)}>
          {editing ? t("cancel") : t("edit")}
        </button>
      )}
      {editing && <PersonForm person={person} onSaved={() => setEditing(false)} />}
      <p className="badges">
        {person.roles.map((role) => (
          <span key={role} className="badge">
            {label(t, "role", role)}
          </span>
        ))}
        {person.do_not_contact && <strong className="badge warn">{t("doNotContact")}</strong>}
      </p>
      <dl className="details">
        <dt>{t("email")}</dt>
        <dd>{person.emails.join(", ") || "–"}</dd>
        <dt>{t("phone")}</dt>
        <dd>{person.phones.join(", ") || "–"}</dd>
        <dt>{t("address")}</dt>
        <dd>
          {address.street
            ? `${address.street} ${address.house_number}${address.house_number_addition ? ` ${address.house_number_addition}` : ""}, ${address.postcode} ${address.city}`
            : address.raw || "–"}
          {address.status === "review" && (
            <em>
              {" "}
              ({t("addressReview")}: {address.note})
            </em>
          )}
        </dd>
        <dt>{t("region")}</dt>
        <dd>{person.region || "–"}</dd>
        <dt>{t("district")}</dt>
        <dd>{person.district || "–"}</dd>
        <dt>{t("supportLevel")}</dt>
        <dd>{person.support_level ?? "–"}</dd>
        <dt>{t("tag")}</dt>
        <dd>{person.tags.join(", ") || "–"}</dd>
        <dt>{t("language")}</dt>
        <dd>{label(t, "language", person.language)}</dd>
        <dt>{t("source")}</dt>
        <dd>{person.source ? label(t, "personSource", person.source) : "–"}</dd>
        {held.household && (
          <>
            <dt>{t("household")}</dt>
            <dd>
              {held.household.salutation}:{" "}
              {held.household.members.map((m, i) => (
                <span key={m.id}>
                  {i > 0 && ", "}
                  {m.id === person.id ? m.display_name : <Link to={`/people/${m.id}`}>{m.display_name}</Link>}
                </span>
              ))}
            </dd>
          </>
        )}
      </dl>

      <div className="columns">
        <div>
          <h2>{t("timeline")}</h2>
          {can("people.write") && <ContactForm personId={person.id} />}
          <ol className="timeline" aria-label={t("timeline")}>
            {held.timeline.map((entry, i) => (
              <TimelineLine key={i} entry={entry} />
            ))}
          </ol>
          {held.timeline.length === 0 && <p>{t("noEntries")}</p>}
        </div>
        <div>
          <h2>{t("consent")}</h2>
          <ConsentTable consent={held.consent} />
          {can("people.write") && <ConsentForm personId={person.id} />}
          {can("people.write") && <PreferencesLinkButton personId={person.id} />}

          <h2>{t("memberships")}</h2>
          <Memberships personId={person.id} memberships={held.memberships} canWrite={can("people.write")} />

          <h2>{t("gifts")}</h2>
          <Giving
            personId={person.id}
            donations={held.donations}
            mandates={held.mandates}
            canWrite={can("people.write")}
          />

          {can("people.gdpr") && <Privacy personId={person.id} onErased={() => navigate("/people")} />}
        </div>
      </div>
    </section>
  );
}

/** One timeline line, said in the reader's language from the entry's fields. */
function TimelineLine({ entry }: { entry: TimelineEntry }) {
  const t = useT();
  const format = useFormat();
  let text = "";
  switch (entry.kind) {
    case "interaction":
      text = `${label(t, "direction", entry.direction ?? "")} · ${label(t, "contact", entry.channel ?? "")}`;
      if (entry.subject) text += `: ${entry.subject}`;
      break;
    case "consent":
      text =
        `${label(t, "purpose", entry.purpose ?? "")} · ${label(t, "channel", entry.channel ?? "")}: ` +
        `${label(t, "consent", entry.status ?? "")} (${label(t, "consentSource", entry.source ?? "")})`;
      break;
    case "donation":
      text = `${format.money(entry.amount_cents ?? 0, entry.currency || "EUR")} · ${label(t, "giftKind", entry.gift_kind ?? "")}`;
      if (entry.campaign) text += ` · ${entry.campaign}`;
      break;
    case "membership":
      text = t("memberOf", { branch: entry.branch || "–" });
      if (entry.plan) text += ` (${label(t, "plan", entry.plan)})`;
      if (entry.until) text += ` ${t("memberUntil", { date: format.date(entry.until) })}`;
      break;
    case "case":
      text = `${entry.reference}: ${entry.subject ?? ""} (${label(t, "caseStatus", entry.status ?? "")}) · ${label(t, "topic", entry.topic ?? "")}`;
      break;
  }
  const detail = entry.detail ?? {};
  return (
    <li>
      <time dateTime={entry.at}>{format.dateTime(entry.at)}</time>{" "}
      <span className="badge">{label(t, "timeline", entry.kind)}</span> {text}
      {detail.value_adding === true && <span className="badge">{t("valueAdding")}</span>}
      {typeof detail.by === "string" && detail.by && <small> · {t("by", { name: detail.by })}</small>}
      {typeof detail.notes === "string" && detail.notes && <p className="notes">{detail.notes}</p>}
    </li>
  );
}

function ConsentTable({ consent }: { consent: ConsentMatrix }) {
  const t = useT();
  const state = (purpose: Purpose, channel: Channel) =>
    consent.states.find((s) => s.purpose === purpose && s.channel === channel)?.status ?? "unknown";
  return (
    <ConsentGrid
      label={t("consent")}
      cell={(p, c) => (
        <td key={c} className={`consent-${state(p, c)}`}>
          {label(t, "consent", state(p, c))}
        </td>
      )}
    />
  );
}

function ConsentForm({ personId }: { personId: number }) {
  const t = useT();
  const [purpose, setPurpose] = useState<Purpose>("newsletter");
  const [channel, setChannel] = useState<Channel>("email");
  const [status, setStatus] = useState<"granted" | "withdrawn">("granted");
  const [wording, setWording] = useState("");
  const record = usePersonChange(personId, () =>
    unwrap(
      api.POST("/api/people/{person_id}/consent", {
        params: { path: { person_id: personId } },
        body: { purpose, channel, status, wording, source: "staff", source_detail: "" },
      }),
    ),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    record.mutate(undefined);
  }

  return (
    <form className="inline" onSubmit={submit} aria-label={t("recordConsent")}>
      <select aria-label={t("purpose")} value={purpose} onChange={(e) => setPurpose(e.target.value as Purpose)}>
        {PURPOSES.map((p) => (
          <option key={p} value={p}>
            {t(`purpose_${p}` as MessageKey)}
          </option>
        ))}
      </select>
      <select aria-label={t("channel")} value={channel} onChange={(e) => setChannel(e.target.value as Channel)}>
        {CHANNELS.map((c) => (
          <option key={c} value={c}>
            {t(`channel_${c}` as MessageKey)}
          </option>
        ))}
      </select>
      <select
        aria-label={t("status")}
        value={status}
        onChange={(e) => setStatus(e.target.value as "granted" | "withdrawn")}
      >
        <option value="granted">{t("consent_granted")}</option>
        <option value="withdrawn">{t("consent_withdrawn")}</option>
      </select>
      <input aria-label={t("wording")} placeholder={t("wording")} value={wording} onChange={(e) => setWording(e.target.value)} />
      <button type="submit" disabled={record.isPending}>
        {t("recordConsent")}
      </button>
      <ErrorMessage error={record.error} fallback="saveFailed" />
    </form>
  );
}

function PreferencesLinkButton({ personId }: { personId: number }) {
  const t = useT();
  // asked for on a click only: showing the link is an audited read
  const link = useMutation({
    mutationFn: () =>
      unwrap(api.GET("/api/people/{person_id}/consent/link", { params: { path: { person_id: personId } } })),
  });
  return link.data ? (
    <p>
      {t("preferencesLink")}:{" "}
      <input
        readOnly
        aria-label={t("preferencesLink")}
        value={`${window.location.origin}${link.data.url}`}
        size={50}
        onFocus={(e) => e.target.select()}
      />
    </p>
  ) : (
    <p>
      <button type="button" disabled={link.isPending} onClick={() => link.mutate()}>
        {t("showPreferencesLink")}
      </button>
      <ErrorMessage error={link.error} />
    </p>
  );
}

function ContactForm({ personId }: { personId: number }) {
  const t = useT();
  const [channel, setChannel] = useState<ContactChannel>("phone");
  const [direction, setDirection] = useState<"out" | "in">("out");
  const [subject, setSubject] = useState("");
  const [notes, setNotes] = useState("");
  const [valueAdding, setValueAdding] = useState(false);
  const add = usePersonChange(personId, () =>
    unwrap(
      api.POST("/api/people/{person_id}/interactions", {
        params: { path: { person_id: personId } },
        body: { channel, direction, subject, notes, value_adding: valueAdding, kind: "" },
      }),
    ),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate(undefined, {
      onSuccess: () => {
        setSubject("");
        setNotes("");
        setValueAdding(false);
      },
    });
  }

  return (
    <form className="contact" onSubmit={submit} aria-label={t("logContact")}>
      <select aria-label={t("channel")} value={channel} onChange={(e) => setChannel(e.target.value as ContactChannel)}>
        {CONTACT_CHANNELS.map((c) => (
          <option key={c} value={c}>
            {t(`contact_${c}` as MessageKey)}
          </option>
        ))}
      </select>
      <select aria-label={t("direction")} value={direction} onChange={(e) => setDirection(e.target.value as "out" | "in")}>
        <option value="out">{t("direction_out")}</option>
        <option value="in">{t("direction_in")}</option>
      </select>
      <input aria-label={t("subject")} placeholder={t("subject")} value={subject} onChange={(e) => setSubject(e.target.value)} />
      <textarea aria-label={t("notes")} placeholder={t("notes")} value={notes} onChange={(e) => setNotes(e.target.value)} />
      <label>
        <input type="checkbox" checked={valueAdding} onChange={(e) => setValueAdding(e.target.checked)} /> {t("valueAdding")}
      </label>
      <button type="submit" disabled={add.isPending}>
        {t("logContact")}
      </button>
      <ErrorMessage error={add.error} fallback="saveFailed" />
    </form>
  );
}

function Privacy({ personId, onErased }: { personId: number; onErased: () => void }) {
  const t = useT();
  const [reason, setReason] = useState("");
  const queryClient = useQueryClient();
  const erase = useMutation({
    mutationFn: () =>
      unwrap(api.POST("/api/people/{person_id}/erase", { params: { path: { person_id: personId } }, body: { reason } })),
    onSuccess: () => {
      // nothing of them stays in the cache; the list no longer holds them
      queryClient.removeQueries({ queryKey: personKey(personId) });
      void queryClient.invalidateQueries({ queryKey: PEOPLE_KEY });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!window.confirm(t("eraseConfirm"))) return;
    erase.mutate(undefined, { onSuccess: onErased });
  }

  return (
    <>
      <h2>{t("privacy")}</h2>
      <p>
        <a href={`/api/people/${personId}/subject-access.pdf`} target="_blank" rel="noreferrer">
          {t("subjectAccessPdf")}
        </a>
      </p>
      <form className="inline" onSubmit={submit} aria-label={t("erase")}>
        <input aria-label={t("eraseReason")} placeholder={t("eraseReason")} value={reason} onChange={(e) => setReason(e.target.value)} />
        <button type="submit" className="danger" disabled={erase.isPending}>
          {t("erase")}
        </button>
        <ErrorMessage error={erase.error} fallback="saveFailed" />
      </form>
    </>
  );
}
