// One person: who they are, every contact moment, consent, memberships and gifts.
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router-dom";
import {
  api,
  problemText,
  type ConsentMatrix,
  type Donation,
  type Household,
  type Mandate,
  type Membership,
  type Person,
  type TimelineEntry,
} from "../api/client";
import { useT, type MessageKey } from "../i18n";
import { CHANNELS, ConsentGrid, PURPOSES, type Channel, type Purpose } from "../ConsentGrid";
import { useSession } from "../session";
import { Giving, Memberships } from "./Giving";
import { PersonForm } from "./PersonForm";

const CONTACT_CHANNELS = ["phone", "email", "post", "sms", "visit", "event", "web", "social"] as const;

type ContactChannel = (typeof CONTACT_CHANNELS)[number];

type Held = {
  person: Person;
  timeline: TimelineEntry[];
  consent: ConsentMatrix;
  memberships: Membership[];
  donations: Donation[];
  mandates: Mandate[];
  household: Household | null;
};

export function PersonPage() {
  const t = useT();
  const { can } = useSession();
  const navigate = useNavigate();
  const personId = Number(useParams().personId);
  // back to the list as it was (its filters came along when the person was opened)
  const list = (useLocation().state as { list?: string } | null)?.list;
  const [held, setHeld] = useState<Held | null>(null);
  const [error, setError] = useState("");
  const [editing, setEditing] = useState(false);

  const load = useCallback(async () => {
    const path = { params: { path: { person_id: personId } } };
    const person = await api.GET("/api/people/{person_id}", path);
    if (!person.data) {
      setError(problemText(person.error, t("notFound")));
      return;
    }
    const [timeline, consent, memberships, donations, mandates] = await Promise.all([
      api.GET("/api/people/{person_id}/timeline", path),
      api.GET("/api/people/{person_id}/consent", path),
      api.GET("/api/people/{person_id}/memberships", path),
      api.GET("/api/people/{person_id}/donations", path),
      api.GET("/api/people/{person_id}/mandates", path),
    ]);
    const householdId = person.data.household_id;
    const household = householdId
      ? (await api.GET("/api/households/{household_id}", {
          params: { path: { household_id: householdId } },
        })).data ?? null
      : null;
    setHeld({
      person: person.data,
      timeline: timeline.data ?? [],
      consent: consent.data ?? { person_id: personId, do_not_contact: false, states: [] },
      memberships: memberships.data ?? [],
      donations: donations.data ?? [],
      mandates: mandates.data ?? [],
      household,
    });
  }, [personId, t]);

  useEffect(() => {
    void load();
  }, [load]);

  if (error) return <p role="alert" className="error">{error}</p>;
  if (!held) return <p className="loading">{t("loading")}</p>;
  const { person } = held;
  const address = person.address;

  return (
    <section className="person">
      <p>
        <Link to={list ? `/people?${list}` : "/people"}>← {t("people")}</Link>
      </p>
      <h1>{person.display_name}</h1>
      {can("people.write") && (
        <button type="button" onClick={() => setEditing(!editing)}>
          {editing ? t("cancel") : t("edit")}
        </button>
      )}
      {editing && (
        <PersonForm
          person={person}
          onSaved={() => {
            setEditing(false);
            void load();
          }}
        />
      )}
      <p className="badges">
        {person.roles.map((role) => (
          <span key={role} className="badge">
            {t(`role_${role}` as MessageKey)}
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
        <dd>{person.language}</dd>
        <dt>{t("source")}</dt>
        <dd>{person.source || "–"}</dd>
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
          {can("people.write") && <ContactForm personId={person.id} onSaved={load} />}
          <ol className="timeline" aria-label={t("timeline")}>
            {held.timeline.map((entry, i) => (
              <li key={i}>
                <time dateTime={entry.at}>{new Date(entry.at).toLocaleString()}</time>{" "}
                <span className="badge">{t(`kind_${entry.kind}` as MessageKey)}</span> {entry.summary}
                {entry.detail?.value_adding === true && <span className="badge">{t("valueAdding")}</span>}
                {typeof entry.detail?.by === "string" && entry.detail.by && (
                  <small> · {t("by", { name: entry.detail.by })}</small>
                )}
                {typeof entry.detail?.notes === "string" && entry.detail.notes && (
                  <p className="notes">{entry.detail.notes}</p>
                )}
              </li>
            ))}
          </ol>
          {held.timeline.length === 0 && <p>{t("noEntries")}</p>}
        </div>
        <div>
          <h2>{t("consent")}</h2>
          <ConsentTable consent={held.consent} />
          {can("people.write") && <ConsentForm personId={person.id} onSaved={load} />}
          {can("people.write") && <PreferencesLinkButton personId={person.id} />}

          <h2>{t("memberships")}</h2>
          <Memberships
            personId={person.id}
            memberships={held.memberships}
            canWrite={can("people.write")}
            onSaved={load}
          />

          <h2>{t("gifts")}</h2>
          <Giving
            personId={person.id}
            donations={held.donations}
            mandates={held.mandates}
            canWrite={can("people.write")}
            onSaved={load}
          />

          {can("people.gdpr") && (
            <Privacy personId={person.id} onErased={() => navigate("/people")} />
          )}
        </div>
      </div>
    </section>
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
          {t(`consent_${state(p, c)}` as MessageKey)}
        </td>
      )}
    />
  );
}

function ConsentForm({ personId, onSaved }: { personId: number; onSaved: () => Promise<void> }) {
  const t = useT();
  const [purpose, setPurpose] = useState<Purpose>("newsletter");
  const [channel, setChannel] = useState<Channel>("email");
  const [status, setStatus] = useState<"granted" | "withdrawn">("granted");
  const [wording, setWording] = useState("");
  const [error, setError] = useState("");

  async function submit(event: FormEvent) {
    event.preventDefault();
    const { error: problem } = await api.POST("/api/people/{person_id}/consent", {
      params: { path: { person_id: personId } },
      body: { purpose, channel, status, wording, source: "staff", source_detail: "" },
    });
    setError(problem ? problemText(problem, t("saveFailed")) : "");
    if (!problem) await onSaved();
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
      <button type="submit">{t("recordConsent")}</button>
      {error && <p role="alert" className="error">{error}</p>}
    </form>
  );
}

function PreferencesLinkButton({ personId }: { personId: number }) {
  const t = useT();
  const [url, setUrl] = useState("");
  async function show() {
    const { data } = await api.GET("/api/people/{person_id}/consent/link", {
      params: { path: { person_id: personId } },
    });
    if (data) setUrl(`${window.location.origin}${data.url}`);
  }
  return url ? (
    <p>
      {t("preferencesLink")}: <input readOnly aria-label={t("preferencesLink")} value={url} size={50} onFocus={(e) => e.target.select()} />
    </p>
  ) : (
    <p>
      <button type="button" onClick={() => void show()}>
        {t("showPreferencesLink")}
      </button>
    </p>
  );
}

function ContactForm({ personId, onSaved }: { personId: number; onSaved: () => Promise<void> }) {
  const t = useT();
  const [channel, setChannel] = useState<ContactChannel>("phone");
  const [direction, setDirection] = useState<"out" | "in">("out");
  const [subject, setSubject] = useState("");
  const [notes, setNotes] = useState("");
  const [valueAdding, setValueAdding] = useState(false);
  const [error, setError] = useState("");

  async function submit(event: FormEvent) {
    event.preventDefault();
    const { error: problem } = await api.POST("/api/people/{person_id}/interactions", {
      params: { path: { person_id: personId } },
      body: { channel, direction, subject, notes, value_adding: valueAdding, kind: "" },
    });
    if (problem) {
      setError(problemText(problem, t("saveFailed")));
      return;
    }
    setError("");
    setSubject("");
    setNotes("");
    setValueAdding(false);
    await onSaved();
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
      <button type="submit">{t("logContact")}</button>
      {error && <p role="alert" className="error">{error}</p>}
    </form>
  );
}

function Privacy({ personId, onErased }: { personId: number; onErased: () => void }) {
  const t = useT();
  const [reason, setReason] = useState("");
  const [error, setError] = useState("");

  async function erase(event: FormEvent) {
    event.preventDefault();
    if (!window.confirm(t("eraseConfirm"))) return;
    const { error: problem } = await api.POST("/api/people/{person_id}/erase", {
      params: { path: { person_id: personId } },
      body: { reason },
    });
    if (problem) setError(problemText(problem, t("saveFailed")));
    else onErased();
  }

  return (
    <>
      <h2>{t("privacy")}</h2>
      <p>
        <a href={`/api/people/${personId}/subject-access.pdf`} target="_blank" rel="noreferrer">
          {t("subjectAccessPdf")}
        </a>
      </p>
      <form className="inline" onSubmit={erase} aria-label={t("erase")}>
        <input aria-label={t("eraseReason")} placeholder={t("eraseReason")} value={reason} onChange={(e) => setReason(e.target.value)} />
        <button type="submit" className="danger">
          {t("erase")}
        </button>
        {error && <p role="alert" className="error">{error}</p>}
      </form>
    </>
  );
}
