// A person's memberships, gifts and direct-debit mandates, and the forms to record them.
import { useId, useState, type FormEvent } from "react";
import { api, type Donation, type Mandate, type Membership } from "../api/client";
import { usePersonChange } from "../api/people";
import { unwrap } from "../api/query";
import { ErrorMessage } from "../components/QueryStatus";
import { useFormat } from "../format";
import { useT, type MessageKey } from "../i18n";
import { label } from "../labels";
import { useSession } from "../session";
import { useBranches } from "./Branches";

function cents(text: string): number {
  return Math.round(Number(text.replace(",", ".")) * 100);
}

function isoDay(day: Date): string {
  return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, "0")}-${String(day.getDate()).padStart(2, "0")}`;
}

export function Memberships({
  personId,
  memberships,
  canWrite,
}: {
  personId: number;
  memberships: Membership[];
  canWrite: boolean;
}) {
  const t = useT();
  const format = useFormat();
  const [branch, setBranch] = useState("");
  const { can } = useSession();
  const branches = useBranches(canWrite && can("branches.read"));
  const branchListId = useId();
  // a name picked from the list is that branch (its id); other text is kept as it is typed
  const picked = branches.data?.find((b) => b.active && b.name === branch.trim());
  const [since, setSince] = useState("");
  const [until, setUntil] = useState("");
  const [dues, setDues] = useState("");
  const join = usePersonChange(personId, () =>
    unwrap(
      api.POST("/api/people/{person_id}/memberships", {
        params: { path: { person_id: personId } },
        body: { branch, branch_id: picked?.id ?? null, since: since || null, until: until || null, dues_cents: dues ? cents(dues) : 0, plan: "" },
      }),
    ),
  );
  const change = usePersonChange(personId, ({ id, body }: { id: number; body: { until?: string; cancelled_on?: string } }) =>
    unwrap(api.PATCH("/api/memberships/{membership_id}", { params: { path: { membership_id: id } }, body })),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    join.mutate(undefined);
  }

  const nextYear = (day: string | null) => {
    const base = day ? new Date(`${day}T12:00:00`) : new Date();
    base.setFullYear(base.getFullYear() + 1);
    return isoDay(base);
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
            {canWrite && <th>{t("action")}</th>}
          </tr>
        </thead>
        <tbody>
          {memberships.map((m) => (
            <tr key={m.id}>
              <td>{format.date(m.since)}</td>
              <td>{m.cancelled_on ? `${t("cancelledOn")} ${format.date(m.cancelled_on)}` : m.until ? format.date(m.until) : ""}</td>
              <td>{m.branch_name || m.branch}</td>
              <td>{label(t, "membership", m.status)}</td>
              {canWrite && (
                <td>
                  {m.status !== "cancelled" && (
                    <>
                      <button
                        type="button"
                        disabled={change.isPending}
                        onClick={() => change.mutate({ id: m.id, body: { until: nextYear(m.until) } })}
                      >
                        {t("renewYear")}
                      </button>{" "}
                      <button
                        type="button"
                        disabled={change.isPending}
                        onClick={() => change.mutate({ id: m.id, body: { cancelled_on: isoDay(new Date()) } })}
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
      <ErrorMessage error={change.error} fallback="saveFailed" />
      {canWrite && (
        <form className="inline" onSubmit={submit} aria-label={t("addMembership")}>
          <input
            aria-label={t("branch")}
            placeholder={t("branch")}
            list={branchListId}
            autoComplete="off"
            value={branch}
            onChange={(e) => setBranch(e.target.value)}
          />
          <datalist id={branchListId}>
            {branches.data
              ?.filter((b) => b.active)
              .map((b) => (
                <option key={b.id} value={b.name} />
              ))}
          </datalist>
          <label>
            {t("since")} <input type="date" value={since} onChange={(e) => setSince(e.target.value)} />
          </label>
          <label>
            {t("until")} <input type="date" value={until} onChange={(e) => setUntil(e.target.value)} />
          </label>
          <input aria-label={t("dues")} placeholder={t("dues")} inputMode="decimal" value={dues} onChange={(e) => setDues(e.target.value)} />
          <button type="submit" disabled={join.isPending}>
            {t("addMembership")}
          </button>
          <ErrorMessage error={join.error} fallback="saveFailed" />
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
}: {
  personId: number;
  donations: Donation[];
  mandates: Mandate[];
  canWrite: boolean;
}) {
  const t = useT();
  const format = useFormat();
  const [amount, setAmount] = useState("");
  const [campaign, setCampaign] = useState("");
  const [iban, setIban] = useState("");
  const [monthly, setMonthly] = useState("");
  const [frequency, setFrequency] = useState<"monthly" | "quarterly" | "yearly">("monthly");
  const gift = usePersonChange(personId, () =>
    unwrap(
      api.POST("/api/people/{person_id}/donations", {
        params: { path: { person_id: personId } },
        body: { amount_cents: cents(amount), campaign, currency: "EUR" },
      }),
    ),
  );
  const mandate = usePersonChange(personId, () =>
    unwrap(
      api.POST("/api/people/{person_id}/mandates", {
        params: { path: { person_id: personId } },
        body: { iban, amount_cents: cents(monthly), frequency, currency: "EUR" },
      }),
    ),
  );
  const cancel = usePersonChange(personId, (id: number) =>
    unwrap(api.POST("/api/mandates/{mandate_id}/cancel", { params: { path: { mandate_id: id } } })),
  );

  function addGift(event: FormEvent) {
    event.preventDefault();
    gift.mutate(undefined, { onSuccess: () => setAmount("") });
  }

  function addMandate(event: FormEvent) {
    event.preventDefault();
    mandate.mutate(undefined, { onSuccess: () => setIban("") });
  }

  return (
    <>
      <table aria-label={t("gifts")}>
        <tbody>
          {donations.map((d) => (
            <tr key={d.id}>
              <td>{format.date(d.received_on)}</td>
              <td>{format.money(d.amount_cents, d.currency)}</td>
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
                {format.money(m.amount_cents, m.currency)} / {t(`frequency_${m.frequency}` as MessageKey)}
              </td>
              <td>{label(t, "mandate", m.status)}</td>
              {canWrite && (
                <td>
                  {m.status !== "cancelled" && (
                    <button type="button" disabled={cancel.isPending} onClick={() => cancel.mutate(m.id)}>
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
      <ErrorMessage error={cancel.error} fallback="saveFailed" />
      {canWrite && (
        <>
          <form className="inline" onSubmit={addGift} aria-label={t("recordGift")}>
            <input aria-label={t("amount")} placeholder={t("amount")} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
            <input aria-label={t("campaign")} placeholder={t("campaign")} value={campaign} onChange={(e) => setCampaign(e.target.value)} />
            <button type="submit" disabled={gift.isPending}>
              {t("recordGift")}
            </button>
            <ErrorMessage error={gift.error} fallback="saveFailed" />
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
            <button type="submit" disabled={mandate.isPending}>
              {t("newMandate")}
            </button>
            <ErrorMessage error={mandate.error} fallback="saveFailed" />
          </form>
        </>
      )}
    </>
  );
}
