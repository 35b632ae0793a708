// One case: what the constituent asked, the log, tasks, and moving it to a resolution.
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { Link, useParams } from "react-router-dom";
import { api, problemText } from "../api/client";
import type { components } from "../api/schema";
import { useT, type MessageKey } from "../i18n";
import { useSession } from "../session";

type CaseDetail = components["schemas"]["CaseDetail"];
type Status = components["schemas"]["Transition"]["status"];

// where a case may go next (the API enforces the same rules)
const NEXT: Record<string, Status[]> = {
  new: ["triaged", "assigned"],
  triaged: ["assigned"],
  assigned: ["waiting", "triaged"],
  waiting: ["assigned"],
  resolved: ["closed", "assigned"],
  closed: ["assigned"],
};

export function CasePage() {
  const t = useT();
  const { can } = useSession();
  const caseId = Number(useParams().caseId);
  const [item, setItem] = useState<CaseDetail | null>(null);
  const [error, setError] = useState("");
  const [notice, setNotice] = useState("");

  const load = useCallback(async () => {
    const { data, error: problem } = await api.GET("/api/cases/{case_id}", {
      params: { path: { case_id: caseId } },
    });
    if (data) setItem(data);
    else setError(problemText(problem, t("notFound")));
  }, [caseId, t]);

  useEffect(() => {
    void load();
  }, [load]);

  async function done(problem: unknown) {
    setNotice(problem ? problemText(problem, t("saveFailed")) : "");
    await load();
  }

  if (error) return <p role="alert" className="error">{error}</p>;
  if (!item) return <p className="loading">{t("loading")}</p>;
  const path = { params: { path: { case_id: item.id } } };
  const writable = can("cases.write");
  const routed = item.office_id !== null; // the lifecycle starts once an office has the case

  return (
    <section>
      <p>
        <Link to="/cases">← {t("cases")}</Link>
      </p>
      <h1>
        {item.reference}: {item.subject}
      </h1>
      <p className="badges">
        <span className="badge">{t(`status_${item.status}` as MessageKey)}</span>
        <span className="badge">{item.topic}</span>
        {item.overdue && <strong className="badge warn">{t("overdue")}</strong>}
        {item.group_size > 1 && <span className="badge">{t("identicalMessages", { count: item.group_size })}</span>}
      </p>
      {notice && (
        <p role="alert" className="error">
          {notice}
        </p>
      )}
      <dl className="details">
        <dt>{t("address")}</dt>
        <dd>{item.address || "–"}</dd>
        <dt>{t("district")}</dt>
        <dd>{item.district || t("triage")}</dd>
        <dt>{t("due")}</dt>
        <dd>{item.due_at ? new Date(item.due_at).toLocaleDateString() : "–"}</dd>
        <dt>{t("routing")}</dt>
        <dd>{item.routing_reason || "–"}</dd>
        {item.person_id && (
          <>
            <dt>{t("constituent")}</dt>
            <dd>
              <Link to={`/people/${item.person_id}`}>{t("openPerson")}</Link>
            </dd>
          </>
        )}
        {item.sensitive && Object.keys(item.sensitive).length > 0 && (
          <>
            <dt>{t("sensitive")}</dt>
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
      <h2>{t("request")}</h2>
      <p className="notes">{item.description}</p>
      {item.resolution && (
        <>
          <h2>{t("resolution")}</h2>
          <p className="notes">{item.resolution}</p>
        </>
      )}

      {writable && item.office_id === null && item.candidates.length > 0 && can("cases.triage") && (
        <Triage item={item} onDone={done} />
      )}

      {writable && !routed && <p>{t("waitsInTriage")}</p>}
      {writable && routed && (
        <div className="actions">
          {(NEXT[item.status] ?? []).map((status) => (
            <button
              key={status}
              type="button"
              onClick={async () => {
                const { error: problem } =
                  status === "closed"
                    ? await api.POST("/api/cases/{case_id}/close", path)
                    : item.status === "closed" || item.status === "resolved"
                      ? await api.POST("/api/cases/{case_id}/reopen", path)
                      : await api.POST("/api/cases/{case_id}/transitions", { ...path, body: { status, note: "" } });
                await done(problem);
              }}
            >
              {t(`to_${status}` as MessageKey)}
            </button>
          ))}
        </div>
      )}
      {writable && routed && !["resolved", "closed"].includes(item.status) && (
        <ResolveForm caseId={item.id} onDone={done} />
      )}

      <div className="columns">
        <div>
          <h2>{t("caseLog")}</h2>
          {writable && <EventForm caseId={item.id} onDone={done} />}
          <ol className="timeline" aria-label={t("caseLog")}>
            {[...item.events].reverse().map((e) => (
              <li key={e.id}>
                <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time>{" "}
                <span className="badge">{t(`event_${e.kind}` as MessageKey)}</span> {e.direction && `${e.direction} `}
                {e.channel}
                {e.body && <p className="notes">{e.body}</p>}
              </li>
            ))}
          </ol>
        </div>
        <div>
          <h2>{t("tasks")}</h2>
          <ul className="tasks" aria-label={t("tasks")}>
            {item.tasks.map((task) => (
              <li key={task.id}>
                <label>
                  <input
                    type="checkbox"
                    checked={task.done_at !== null}
                    disabled={!writable}
                    onChange={async (e) => {
                      const { error: problem } = await api.PATCH("/api/cases/{case_id}/tasks/{task_id}", {
                        params: { path: { case_id: item.id, task_id: task.id } },
                        body: { done: e.target.checked },
                      });
                      await done(problem);
                    }}
                  />{" "}
                  {task.title}
                  {task.due_at && <small> · {new Date(task.due_at).toLocaleDateString()}</small>}
                </label>
              </li>
            ))}
          </ul>
          {writable && <TaskForm caseId={item.id} onDone={done} />}
        </div>
      </div>
    </section>
  );
}

type Done = (problem: unknown) => Promise<void>;

function Triage({ item, onDone }: { item: CaseDetail; onDone: Done }) {
  const t = useT();
  const pickable = item.candidates.some((c) => Array.isArray(c.office_ids) && c.office_ids.length > 0);
  return (
    <div className="candidate">
      <p>{pickable ? t("triageHelp") : t("noStaffedOffice")}</p>
      {item.candidates.map((c, i) => {
        const ids = Array.isArray(c.office_ids) ? (c.office_ids as number[]) : [];
        return (
          <p key={i}>
            <strong>{String(c.district ?? "")}</strong> {String(c.name ?? "")}{" "}
            {ids.map((officeId) => (
              <button
                key={officeId}
                type="button"
                onClick={async () => {
                  const { error } = await api.POST("/api/cases/{case_id}/route", {
                    params: { path: { case_id: item.id } },
                    body: { office_id: officeId },
                  });
                  await onDone(error);
                }}
              >
                {t("routeTo", { district: String(c.district ?? "") })}
              </button>
            ))}
          </p>
        );
      })}
    </div>
  );
}

function ResolveForm({ caseId, onDone }: { caseId: number; onDone: Done }) {
  const t = useT();
  const [text, setText] = useState("");
  async function submit(event: FormEvent) {
    event.preventDefault();
    const { error } = await api.POST("/api/cases/{case_id}/resolve", {
      params: { path: { case_id: caseId } },
      body: { resolution: text },
    });
    if (!error) setText("");
    await onDone(error);
  }
  return (
    <form className="contact" onSubmit={submit} aria-label={t("resolve")}>
      <textarea aria-label={t("resolution")} placeholder={t("resolution")} value={text} onChange={(e) => setText(e.target.value)} />
      <button type="submit">{t("resolve")}</button>
    </form>
  );
}

function EventForm({ caseId, onDone }: { caseId: number; onDone: Done }) {
  const t = useT();
  const [kind, setKind] = useState<"note" | "correspondence" | "referral">("note");
  const [direction, setDirection] = useState<"in" | "out" | "">("");
  const [body, setBody] = useState("");
  const [agency, setAgency] = useState("");
  async function submit(event: FormEvent) {
    event.preventDefault();
    const { error } = await api.POST("/api/cases/{case_id}/events", {
      params: { path: { case_id: caseId } },
      body: {
        kind,
        body,
        direction: kind === "correspondence" ? direction || "out" : "",
        channel: "",
        agency: kind === "referral" ? agency : "",
      },
    });
    if (!error) setBody("");
    await onDone(error);
  }
  return (
    <form className="contact" onSubmit={submit} aria-label={t("addToLog")}>
      <select aria-label={t("kind")} value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
        {(["note", "correspondence", "referral"] as const).map((k) => (
          <option key={k} value={k}>
            {t(`event_${k}` as MessageKey)}
          </option>
        ))}
      </select>
      {kind === "correspondence" && (
        <select aria-label={t("direction")} value={direction} onChange={(e) => setDirection(e.target.value as typeof direction)}>
          <option value="out">{t("direction_out")}</option>
          <option value="in">{t("direction_in")}</option>
        </select>
      )}
      {kind === "referral" && (
        <input aria-label={t("agency")} placeholder={t("agency")} value={agency} onChange={(e) => setAgency(e.target.value)} />
      )}
      <textarea aria-label={t("notes")} placeholder={t("notes")} value={body} onChange={(e) => setBody(e.target.value)} />
      <button type="submit">{t("addToLog")}</button>
    </form>
  );
}

function TaskForm({ caseId, onDone }: { caseId: number; onDone: Done }) {
  const t = useT();
  const [title, setTitle] = useState("");
  const [due, setDue] = useState("");
  async function submit(event: FormEvent) {
    event.preventDefault();
    const { error } = await api.POST("/api/cases/{case_id}/tasks", {
      params: { path: { case_id: caseId } },
      body: { title, due_at: due ? `${due}T17:00:00Z` : null },
    });
    if (!error) setTitle("");
    await onDone(error);
  }
  return (
    <form className="inline" onSubmit={submit} aria-label={t("addTask")}>
      <input aria-label={t("task")} placeholder={t("task")} value={title} onChange={(e) => setTitle(e.target.value)} />
      <input type="date" aria-label={t("due")} value={due} onChange={(e) => setDue(e.target.value)} />
      <button type="submit">{t("addTask")}</button>
    </form>
  );
}
