// A person's memberships, gifts and direct-debit mandates, and the forms to record them.
import { useState, type FormEvent, type ReactNode } from "react";
import { api, money, problemText, type Donation, type Mandate, type Membership } from "../api/client";
import { useT, type MessageKey } from "../i18n";

type Saved = () => Promise<void>;

function cents(text: string): number {
  return Math.round(Number(text.replace(",", ".")) * 100);
}

function useProblem() {
  const t = useT();
  const [error, setError] = useState("");
  const report = (problem: unknown) => setError(problem ? problemText(problem, t("saveFailed")) : "");
  const shown: ReactNode = error ? (
    <p role="alert" className="error">
      {error}
    </p>
  ) : null;
  return { report, shown };
}

export function Memberships({
  personId,
  memberships,
  canWrite,
  onSaved,
}: {
  personId: number;
  memberships: Membership[];
  canWrite: boolean;
  onSaved: Saved;
}) {
  const t = useT();
  const [branch, setBranch] = useState("");
  const [since, setSince] = useState("");
  const [until, setUntil] = useState("");
  const [dues, setDues] = useState("");
  const { report, shown } = useProblem();

  async function join(event: FormEvent) {
    event.preventDefault();
    const { error } = await api.POST("/api/people/{person_id}/memberships", {
      params: { path: { person_id: personId } },
      body: { branch, since: since || null, until: until || null, dues_cents: dues ? cents(dues) : 0, plan: "" },
    });
    report(error);
    if (!error) await onSaved();
  }

  async function change(id: number, body: { until?: string; cancelled_on?: string }) {
    const { error } = await api.PATCH("/api/memberships/{membership_id}", {
      params: { path: { membership_id: id } },
      body,
    });
    report(error);
    if (!error) await onSaved();
  }

  const nextYear = (day: string | null) => {
    const base = day ? new Date(day) : new Date();
    base.setFullYear(base.getFullYear() + 1);
    return base.toISOString().slice(0, 10);
  };

  return (
    <>
      <table aria-label={t("memberships")}>
        <thead>
          <tr>
            <th>{t("since")}</th>
            <th>{t("until")}</th>
            <th>{t("branch")}</th>
            <th>{t("status")}</th>
            {canWrite && <th />}
          </tr>
        </thead>
        <tbody>
          {memberships.map((m) => (
            <tr key={m.id}>
              <td>{m.since}</td>
              <td>{m.cancelled_on ? `${t("cancelledOn")} ${m.cancelled_on}` : (m.until ?? "")}</td>
              <td>{m.branch}</td>
              <td>{t(`membership_${m.status}` as MessageKey)}</td>
              {canWrite && (
                <td>
                  {m.status !== "cancelled" && (
                    <>
                      <button type="button" onClick={() => void change(m.id, { until: nextYear(m.until) })}>
                        {t("renewYear")}
                      </button>{" "}
                      <button
                        type="button"
                        onClick={() => void change(m.id, { cancelled_on: new Date().toISOString().slice(0, 10) })}
                      >
                        {t("cancelMembership")}
                      </button>
                    </>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {canWrite && (
        <form className="inline" onSubmit={join} aria-label={t("addMembership")}>
          <input aria-label={t("branch")} placeholder={t("branch")} value={branch} onChange={(e) => setBranch(e.target.value)} />
          <label>
            {t("since")} <input type="date" value={since} onChange={(e) => setSince(e.target.value)} />
          </label>
          <label>
            {t("until")} <input type="date" value={until} onChange={(e) => setUntil(e.target.value)} />
          </label>
          <input aria-label={t("dues")} placeholder={t("dues")} inputMode="decimal" value={dues} onChange={(e) => setDues(e.target.value)} />
          <button type="submit">{t("addMembership")}</button>
          {shown}
        </form>
      )}
    </>
  );
}

export function Giving({
  personId,
  donations,
  mandates,
  canWrite,
  onSaved,
}: {
  personId: number;
  donations: Donation[];
  mandates: Mandate[];
  canWrite: boolean;
  onSaved: Saved;
}) {
  const t = useT();
  const [amount, setAmount] = useState("");
  const [campaign, setCampaign] = useState("");
  const [iban, setIban] = useState("");
  const [monthly, setMonthly] = useState("");
  const [frequency, setFrequency] = useState<"monthly" | "quarterly" | "yearly">("monthly");
  const gift = useProblem();
  const mandate = useProblem();

  async function addGift(event: FormEvent) {
    event.preventDefault();
    const { error } = await api.POST("/api/people/{person_id}/donations", {
      params: { path: { person_id: personId } },
      body: { amount_cents: cents(amount), campaign, currency: "EUR" },
    });
    gift.report(error);
    if (!error) {
      setAmount("");
      await onSaved();
    }
  }

  async function addMandate(event: FormEvent) {
    event.preventDefault();
    const { error } = await api.POST("/api/people/{person_id}/mandates", {
      params: { path: { person_id: personId } },
      body: { iban, amount_cents: cents(monthly), frequency, currency: "EUR" },
    });
    mandate.report(error);
    if (!error) {
      setIban("");
      await onSaved();
    }
  }

  async function cancel(id: number) {
    const { error } = await api.POST("/api/mandates/{mandate_id}/cancel", {
      params: { path: { mandate_id: id } },
    });
    mandate.report(error);
    if (!error) await onSaved();
  }

  return (
    <>
      <table aria-label={t("gifts")}>
        <tbody>
          {donations.map((d) => (
            <tr key={d.id}>
              <td>{d.received_on}</td>
              <td>{money(d.amount_cents, d.currency)}</td>
              <td>{d.kind === "recurring" ? t("recurring") : d.campaign}</td>
              {canWrite && <td />}
            </tr>
          ))}
          {mandates.map((m) => (
            <tr key={`m${m.id}`}>
              <td>
                {m.reference}
                <br />
                <small>{m.iban}</small>
              </td>
              <td>
                {money(m.amount_cents, m.currency)} / {t(`frequency_${m.frequency}` as MessageKey)}
              </td>
              <td>{t(`mandate_${m.status}` as MessageKey)}</td>
              {canWrite && (
                <td>
                  {m.status !== "cancelled" && (
                    <button type="button" onClick={() => void cancel(m.id)}>
                      {t("cancelMandate")}
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {donations.length + mandates.length === 0 && <p>{t("noEntries")}</p>}
      {canWrite && (
        <>
          <form className="inline" onSubmit={addGift} aria-label={t("recordGift")}>
            <input aria-label={t("amount")} placeholder={t("amount")} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
            <input aria-label={t("campaign")} placeholder={t("campaign")} value={campaign} onChange={(e) => setCampaign(e.target.value)} />
            <button type="submit">{t("recordGift")}</button>
            {gift.shown}
          </form>
          <form className="inline" onSubmit={addMandate} aria-label={t("newMandate")}>
            <input aria-label="IBAN" placeholder="IBAN" value={iban} onChange={(e) => setIban(e.target.value)} />
            <input aria-label={t("amount")} placeholder={t("amount")} inputMode="decimal" value={monthly} onChange={(e) => setMonthly(e.target.value)} />
            <select aria-label={t("frequency")} value={frequency} onChange={(e) => setFrequency(e.target.value as typeof frequency)}>
              {(["monthly", "quarterly", "yearly"] as const).map((f) => (
                <option key={f} value={f}>
                  {t(`frequency_${f}` as MessageKey)}
                </option>
              ))}
            </select>
            <button type="submit">{t("newMandate")}</button>
            {mandate.shown}
          </form>
        </>
      )}
    </>
  );
}
