// One case: what the constituent asked, the log, tasks, triage, and moving it through its
// lifecycle. The page reads one overview (one audited read); every change answers with the
// new overview, which replaces the cached one.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useParams } from "react-router-dom";
import { api } from "../api/client";
import { unwrap } from "../api/query";
import type { components } from "../api/schema";
import { ErrorMessage, QueryStatus } from "../components/QueryStatus";
import { useLanguage, useT, type MessageKey } from "../i18n";
import { useSession } from "../session";
import { channelWord, dateTimeWord, dateWord, eventWord, routingWord, statusWord, topicWord } from "./caseWords";

type CaseDetail = components["schemas"]["CaseDetail"];
type Path = { params: { path: { case_id: number } } };

function caseKey(caseId: number) {
  return ["case", caseId] as const;
}

/** A change to the case: the answer is the new overview; the inbox is read again later. */
function useCaseChange<V>(caseId: number, change: (path: Path, value: V) => Promise<CaseDetail>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (value: V) => change({ params: { path: { case_id: caseId } } }, value),
    onSuccess: (detail) => {
      queryClient.setQueryData(caseKey(caseId), detail);
      void queryClient.invalidateQueries({ queryKey: ["cases"] });
    },
  });
}

export function CasePage() {
  const t = useT();
  const language = useLanguage();
  const { can } = useSession();
  const caseId = Number(useParams().caseId);
  const query = useQuery({
    queryKey: caseKey(caseId),
    queryFn: () => unwrap(api.GET("/api/cases/{case_id}", { params: { path: { case_id: caseId } } })),
  });
  const [routedTo, setRoutedTo] = useState("");

  if (routedTo)
    return (
      <section>
        <p>
          <Link to="/cases">{t("caseBack")}</Link>
        </p>
        <p role="status">{t("caseRouted", { office: routedTo })}</p>
      </section>
    );
  if (!query.data) return <QueryStatus isPending={query.isPending} error={query.error} />;
  const item = query.data;
  const writable = can("cases.write") && item.contents;
  const routed = item.office_id !== null;
  const topic = topicWord(item, language);

  return (
    <section>
      <p>
        <Link to="/cases">{t("caseBack")}</Link>
      </p>
      <h1>{item.subject ? `${item.reference}: ${item.subject}` : item.reference}</h1>
      <p className="badges">
        <span className="badge">{statusWord(t, item.status)}</span>
        <span className="badge">{topic}</span>
        {item.overdue && <strong className="badge warn">{t("caseOverdue")}</strong>}
        {item.group_size > 1 && <span className="badge">{t("caseIdentical", { count: item.group_size })}</span>}
      </p>
      {query.error && <ErrorMessage error={query.error} />}
      {!item.contents && <p role="note">{t("caseRoutingOnly")}</p>}
      <dl className="details">
        {item.contents && (
          <>
            <dt>{t("caseAddress")}</dt>
            <dd>{item.address || t("caseNone")}</dd>
          </>
        )}
        <dt>{t("caseDistrict")}</dt>
        <dd>{item.district || t("caseTriage")}</dd>
        {item.office_name && (
          <>
            <dt>{t("caseOffice")}</dt>
            <dd>{item.office_name}</dd>
          </>
        )}
        <dt>{t("caseAssignee")}</dt>
        <dd>{item.assignee_name || t("caseNobody")}</dd>
        <dt>{t("caseCreated")}</dt>
        <dd>{dateWord(item.created_at, language)}</dd>
        <dt>{t("caseDue")}</dt>
        <dd>{dateWord(item.due_at, language) || t("caseNone")}</dd>
        <dt>{t("caseChannel")}</dt>
        <dd>{channelWord(t, item.channel)}</dd>
        <dt>{t("caseRouting")}</dt>
        <dd>{routingWord(t, item.routing, topic) || t("caseNone")}</dd>
        {item.sensitive && Object.keys(item.sensitive).length > 0 && (
          <>
            <dt>{t("caseSensitive")}</dt>
            <dd>
              {Object.entries(item.sensitive).map(([k, v]) => (
                <div key={k}>
                  {k}: {v}
                </div>
              ))}
            </dd>
          </>
        )}
      </dl>
      {item.contents && item.person_id !== null && <ConstituentView caseId={item.id} />}

      {item.contents && (
        <>
          <h2>{t("caseRequest")}</h2>
          <p className="notes">{item.description}</p>
        </>
      )}
      {item.resolution && (
        <>
          <h2>{t("caseResolution")}</h2>
          <p className="notes">{item.resolution}</p>
        </>
      )}

      {item.may_triage && <Triage item={item} onRouted={setRoutedTo} />}
      {!routed && !item.may_triage && <p>{t("caseWaitsInTriage")}</p>}
      {writable && routed && <Lifecycle item={item} />}
      {item.contents && <AgencyConsent item={item} writable={writable} />}

      <div className="columns">
        <div>
          <h2>{t("caseLog")}</h2>
          {writable && <EventForm item={item} />}
          <ol className="timeline" aria-label={t("caseLog")}>
            {[...item.events].reverse().map((e) => (
              <li key={e.id}>
                <time dateTime={e.at}>{dateTimeWord(e.at, language)}</time>{" "}
                <span className="badge">{t(`caseEvent_${e.kind}` as MessageKey)}</span> {eventWord(t, e, topic)}{" "}
                <small>{e.actor_name ? t("caseBy", { name: e.actor_name }) : t("caseBySystem")}</small>
                {e.body && <p className="notes">{e.body}</p>}
              </li>
            ))}
          </ol>
          {item.events.length === 0 && <p>{t("caseNoEntries")}</p>}
        </div>
        {item.contents && (
          <div>
            <h2>{t("caseTasks")}</h2>
            <Tasks item={item} writable={writable} />
          </div>
        )}
      </div>
    </section>
  );
}

function ConstituentView({ caseId }: { caseId: number }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const constituent = useQuery({
    queryKey: ["case", caseId, "constituent"],
    queryFn: () => unwrap(api.GET("/api/cases/{case_id}/constituent", { params: { path: { case_id: caseId } } })),
    enabled: open,
  });
  const person = constituent.data;
  return (
    <div className="constituent">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? t("caseHideConstituent") : t("caseShowConstituent")}
      </button>
      {open && <QueryStatus isPending={constituent.isPending} error={constituent.error} />}
      {open && person && (
        <section aria-label={t("caseConstituent")}>
          <h2>{person.name}</h2>
          <dl className="details">
            <dt>{t("caseAddress")}</dt>
            <dd>{person.address || t("caseNone")}</dd>
            <dt>{t("caseEmails")}</dt>
            <dd>{person.emails.join(", ") || t("caseNone")}</dd>
            <dt>{t("casePhones")}</dt>
            <dd>{person.phones.join(", ") || t("caseNone")}</dd>
          </dl>
          <h3>{t("caseOtherCases")}</h3>
          <ul>
            {person.cases.map((c) => (
              <li key={c.id}>
                <Link to={`/cases/${c.id}`}>{c.reference}</Link> {c.subject} · {statusWord(t, c.status)}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function Triage({ item, onRouted }: { item: CaseDetail; onRouted: (office: string) => void }) {
  const t = useT();
  const queryClient = useQueryClient();
  const pick = useMutation({
    mutationFn: (officeId: number) =>
      unwrap(api.POST("/api/cases/{case_id}/route", { params: { path: { case_id: item.id } }, body: { office_id: officeId } })),
    onSuccess: (routed) => {
      void queryClient.invalidateQueries({ queryKey: ["cases"] });
      if (routed.contents) void queryClient.invalidateQueries({ queryKey: caseKey(item.id) });
      else {
        // party staff lose sight of a routed case: say where it went, don't read it again
        queryClient.removeQueries({ queryKey: caseKey(item.id) });
        onRouted(routed.office_name);
      }
    },
  });
  const pickable = item.candidates.some((c) => c.offices.length > 0);
  return (
    <div className="candidate" role="group" aria-label={t("caseCandidates")}>
      <p>{pickable ? t("caseTriageHelp") : t("caseNoStaffedOffice")}</p>
      {item.candidates.map((c) => (
        <p key={c.district}>
          <strong>{c.district}</strong> {c.name}{" "}
          {c.offices.map((office) => (
            <button key={office.id} type="button" disabled={pick.isPending} onClick={() => pick.mutate(office.id)}>
              {t("caseRouteTo", { office: office.name || c.district })}
            </button>
          ))}
        </p>
      ))}
      <ErrorMessage error={pick.error} fallback="caseSaveFailed" />
    </div>
  );
}

function Lifecycle({ item }: { item: CaseDetail }) {
  const t = useT();
  const [assignee, setAssignee] = useState<number | "">("");
  const [closing, setClosing] = useState(false);
  const transition = useCaseChange(item.id, (path, status: "waiting" | "triaged" | "assigned") =>
    unwrap(api.POST("/api/cases/{case_id}/transitions", { ...path, body: { status, note: "" } })),
  );
  const assign = useCaseChange(item.id, (path, assignee_id: number) =>
    unwrap(api.POST("/api/cases/{case_id}/assign", { ...path, body: { assignee_id } })),
  );
  const resume = useCaseChange(item.id, (path, _: void) => unwrap(api.POST("/api/cases/{case_id}/resume", path)));
  const reopen = useCaseChange(item.id, (path, _: void) => unwrap(api.POST("/api/cases/{case_id}/reopen", path)));
  const close = useCaseChange(item.id, (path, confirm: boolean) =>
    unwrap(api.POST("/api/cases/{case_id}/close", { ...path, body: { confirm_open_tasks: confirm } })),
  );
  const open = !["resolved", "closed"].includes(item.status);
  const failed = transition.error || assign.error || resume.error || reopen.error || close.error;

  function submitAssign(event: FormEvent) {
    event.preventDefault();
    if (assignee !== "") assign.mutate(assignee);
  }
  function askClose() {
    if (item.open_tasks > 0) setClosing(true);
    else close.mutate(false);
  }

  return (
    <div className="lifecycle" role="group" aria-label={t("caseLifecycle")}>
      {open && (
        <form className="inline" onSubmit={submitAssign} aria-label={t("caseAssign")}>
          <label>
            {t("caseAssignTo")}{" "}
            <StaffSelect staff={item.staff} value={assignee} onChange={setAssignee} />
          </label>
          <button type="submit" disabled={assignee === "" || assign.isPending}>
            {t("caseAssign")}
          </button>
        </form>
      )}
      <div className="actions">
        {(item.status === "new" || item.status === "triaged") && (
          <button type="button" onClick={() => transition.mutate("assigned")}>
            {t("caseTakeOn")}
          </button>
        )}
        {item.status === "assigned" && (
          <>
            <button type="button" onClick={() => transition.mutate("waiting")}>
              {t("caseWait")}
            </button>
            <button type="button" onClick={() => transition.mutate("triaged")}>
              {t("caseBackToQueue")}
            </button>
          </>
        )}
        {item.status === "waiting" && (
          <button type="button" onClick={() => resume.mutate()}>
            {t("caseResume")}
          </button>
        )}
        {item.status === "resolved" && (
          <button type="button" onClick={askClose}>
            {t("caseClose")}
          </button>
        )}
        {(item.status === "resolved" || item.status === "closed") && (
          <button type="button" onClick={() => reopen.mutate()}>
            {t("caseReopen")}
          </button>
        )}
      </div>
      {(item.status === "assigned" || item.status === "waiting") && <ResolveForm item={item} />}
      <ErrorMessage error={failed} fallback="caseSaveFailed" />
      {closing && (
        <ConfirmDialog
          title={t("caseConfirmCloseTitle")}
          text={t("caseConfirmClose", { count: item.open_tasks })}
          yes={t("caseConfirmCloseYes")}
          onAnswer={(yes) => {
            setClosing(false);
            if (yes) close.mutate(true);
          }}
        />
      )}
    </div>
  );
}

/** A modal question: the browser's own dialog keeps focus inside and closes on Escape. */
function ConfirmDialog(props: { title: string; text: string; yes: string; onAnswer: (yes: boolean) => void }) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby="confirm-title"
      aria-describedby="confirm-text"
      onCancel={(e) => {
        e.preventDefault();
        props.onAnswer(false);
      }}
    >
      <h2 id="confirm-title">{props.title}</h2>
      <p id="confirm-text">{props.text}</p>
      <div className="actions">
        <button type="button" onClick={() => props.onAnswer(true)}>
          {props.yes}
        </button>
        <button type="button" autoFocus onClick={() => props.onAnswer(false)}>
          {t("caseCancel")}
        </button>
      </div>
    </dialog>
  );
}

function ResolveForm({ item }: { item: CaseDetail }) {
  const t = useT();
  const [text, setText] = useState("");
  const resolve = useCaseChange(item.id, (path, resolution: string) =>
    unwrap(api.POST("/api/cases/{case_id}/resolve", { ...path, body: { resolution } })),
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    resolve.mutate(text, { onSuccess: () => setText("") });
  }
  return (
    <form className="contact" onSubmit={submit} aria-label={t("caseResolve")}>
      <textarea aria-label={t("caseResolution")} placeholder={t("caseResolution")} value={text} onChange={(e) => setText(e.target.value)} />
      <button type="submit" disabled={resolve.isPending}>
        {t("caseResolve")}
      </button>
      <ErrorMessage error={resolve.error} fallback="caseSaveFailed" />
    </form>
  );
}

function AgencyConsent({ item, writable }: { item: CaseDetail; writable: boolean }) {
  const t = useT();
  const [note, setNote] = useState("");
  const record = useCaseChange(item.id, (path, given: boolean) =>
    unwrap(api.POST("/api/cases/{case_id}/agency-consent", { ...path, body: { given, note } })),
  );
  return (
    <div className="consent" role="group" aria-label={t("caseAgencyConsent")}>
      <h2>{t("caseAgencyConsent")}</h2>
      <p>{item.share_with_agencies ? t("caseAgencyConsentYes") : t("caseAgencyConsentNo")}</p>
      {writable && (
        <form
          className="inline"
          aria-label={t("caseAgencyConsent")}
          onSubmit={(e) => {
            e.preventDefault();
            record.mutate(!item.share_with_agencies, { onSuccess: () => setNote("") });
          }}
        >
          {!item.share_with_agencies && (
            <input aria-label={t("caseConsentHow")} placeholder={t("caseConsentHow")} value={note} onChange={(e) => setNote(e.target.value)} />
          )}
          <button type="submit" disabled={record.isPending}>
            {item.share_with_agencies ? t("caseWithdrawConsent") : t("caseRecordConsent")}
          </button>
        </form>
      )}
      <ErrorMessage error={record.error} fallback="caseSaveFailed" />
    </div>
  );
}

function EventForm({ item }: { item: CaseDetail }) {
  const t = useT();
  const [kind, setKind] = useState<"note" | "correspondence" | "referral">("note");
  const [direction, setDirection] = useState<"in" | "out">("out");
  const [channel, setChannel] = useState("email");
  const [body, setBody] = useState("");
  const [agency, setAgency] = useState("");
  const add = useCaseChange(item.id, (path, _: void) =>
    unwrap(
      api.POST("/api/cases/{case_id}/events", {
        ...path,
        body: {
          kind,
          body,
          direction: kind === "correspondence" ? direction : "",
          channel: kind === "correspondence" ? channel : "",
          agency: kind === "referral" ? agency : "",
        },
      }),
    ),
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate(undefined, { onSuccess: () => setBody("") });
  }
  return (
    <form className="contact" onSubmit={submit} aria-label={t("caseAddToLog")}>
      <select aria-label={t("caseKind")} value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
        {(["note", "correspondence", "referral"] as const).map((k) => (
          <option key={k} value={k}>
            {t(`caseEvent_${k}` as MessageKey)}
          </option>
        ))}
      </select>
      {kind === "correspondence" && (
        <>
          <select aria-label={t("caseDirection")} value={direction} onChange={(e) => setDirection(e.target.value as typeof direction)}>
            <option value="out">{t("caseDirection_out")}</option>
            <option value="in">{t("caseDirection_in")}</option>
          </select>
          <select aria-label={t("caseChannel")} value={channel} onChange={(e) => setChannel(e.target.value)}>
            {(["email", "phone", "post", "visit"] as const).map((c) => (
              <option key={c} value={c}>
                {t(`caseChannel_${c}` as MessageKey)}
              </option>
            ))}
          </select>
        </>
      )}
      {kind === "referral" && (
        <>
          {!item.share_with_agencies && <p className="error">{t("caseAgencyConsentNo")}</p>}
          <input aria-label={t("caseAgency")} placeholder={t("caseAgency")} value={agency} onChange={(e) => setAgency(e.target.value)} />
        </>
      )}
      <textarea aria-label={t("caseText")} placeholder={t("caseText")} value={body} onChange={(e) => setBody(e.target.value)} />
      <button type="submit" disabled={add.isPending}>
        {t("caseAddToLog")}
      </button>
      <ErrorMessage error={add.error} fallback="caseSaveFailed" />
    </form>
  );
}

function Tasks({ item, writable }: { item: CaseDetail; writable: boolean }) {
  const t = useT();
  const language = useLanguage();
  const [title, setTitle] = useState("");
  const [due, setDue] = useState("");
  const [assignee, setAssignee] = useState<number | "">("");
  const toggle = useCaseChange(item.id, (path, change: { task: number; done: boolean }) =>
    unwrap(
      api.PATCH("/api/cases/{case_id}/tasks/{task_id}", {
        params: { path: { case_id: path.params.path.case_id, task_id: change.task } },
        body: { done: change.done },
      }),
    ),
  );
  const add = useCaseChange(item.id, (path, _: void) =>
    unwrap(
      api.POST("/api/cases/{case_id}/tasks", {
        ...path,
        body: { title, due_at: due ? `${due}T17:00:00Z` : null, assignee_id: assignee === "" ? null : assignee },
      }),
    ),
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate(undefined, { onSuccess: () => setTitle("") });
  }
  return (
    <>
      <ul className="tasks" aria-label={t("caseTasks")}>
        {item.tasks.map((task) => (
          <li key={task.id}>
            <label>
              <input
                type="checkbox"
                checked={task.done_at !== null}
                disabled={!writable || toggle.isPending}
                onChange={(e) => toggle.mutate({ task: task.id, done: e.target.checked })}
              />{" "}
              {task.title}
              {task.assignee_name && <small> · {task.assignee_name}</small>}
              {task.due_at && <small> · {dateWord(task.due_at, language)}</small>}
            </label>
          </li>
        ))}
      </ul>
      {item.tasks.length === 0 && <p>{t("caseNoTasks")}</p>}
      <ErrorMessage error={toggle.error} fallback="caseSaveFailed" />
      {writable && (
        <form className="inline" onSubmit={submit} aria-label={t("caseAddTask")}>
          <input aria-label={t("caseTask")} placeholder={t("caseTask")} value={title} onChange={(e) => setTitle(e.target.value)} />
          <input type="date" aria-label={t("caseDue")} value={due} onChange={(e) => setDue(e.target.value)} />
          <StaffSelect label={t("caseTaskFor")} staff={item.staff} value={assignee} onChange={setAssignee} />
          <button type="submit" disabled={add.isPending}>
            {t("caseAddTask")}
          </button>
          <ErrorMessage error={add.error} fallback="caseSaveFailed" />
        </form>
      )}
    </>
  );
}


/** A colleague of the office to pick, or nobody ("–"). */
function StaffSelect({
  staff,
  value,
  onChange,
  label,
}: {
  staff: { id: number; name: string }[];
  value: number | "";
  onChange: (value: number | "") => void;
  label?: string;
}) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value ? Number(e.target.value) : "")}>
      <option value="">–</option>
      {staff.map((member) => (
        <option key={member.id} value={member.id}>
          {member.name}
        </option>
      ))}
    </select>
  );
}
