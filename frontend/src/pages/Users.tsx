// Staff accounts for user managers: the list, a new account (with its invitation link),
// one account's role, scope and state, and the sign-in policy per role.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent, type ReactElement } from "react";
import { Link, useParams } from "react-router-dom";
import { api } from "../api/client";
import { fieldErrors } from "../api/people";
import { unwrap } from "../api/query";
import type { components } from "../api/schema";
import { Field } from "../components/Field";
import { ErrorMessage, QueryStatus } from "../components/QueryStatus";
import { useFormat } from "../format";
import { useT, type T } from "../i18n";
import { label } from "../labels";
import { useSession } from "../session";

type User = components["schemas"]["User"];
type Role = components["schemas"]["UserCreate"]["role"];
type PasswordLink = components["schemas"]["PasswordLink"];

export const ROLES: Role[] = ["admin", "organiser", "regional_organiser", "representative", "caseworker", "volunteer"];
export const USERS_KEY = ["users"] as const;
const OFFICES_KEY = ["offices"] as const;

const regionList = (text: string) =>
  text
    .split(",")
    .map((r) => r.trim().toUpperCase())
    .filter(Boolean);

function useOffices() {
  return useQuery({ queryKey: OFFICES_KEY, queryFn: () => unwrap(api.GET("/api/offices")) });
}

/** ``field(key, text, input, help)``: a Field showing the API's message for ``key``. */
function useField(errors: Record<string, string>) {
  return (key: string, text: string, input: ReactElement<Record<string, unknown>>, help?: string) => (
    <Field text={text} error={errors[key]} help={help}>
      {input}
    </Field>
  );
}

/** The link to hand over, with a button that copies it. */
function LinkToHandOver({ link, text }: { link: PasswordLink; text: string }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  return (
    <div role="status" className="handover">
      <p>{text}</p>
      <input readOnly value={link.url} aria-label={t("passwordLink")} onFocus={(e) => e.target.select()} />
      <button
        type="button"
        onClick={() => void navigator.clipboard?.writeText(link.url).then(() => setCopied(true))}
      >
        {copied ? t("copied") : t("copyLink")}
      </button>
    </div>
  );
}

function officeName(offices: { id: number; name: string }[] | undefined, id: number | null | undefined) {
  if (id == null) return "–";
  return offices?.find((o) => o.id === id)?.name ?? `#${id}`;
}

function lastSignIn(t: T, format: ReturnType<typeof useFormat>, user: User) {
  return user.last_login_at ? format.dateTime(user.last_login_at) : t("neverSignedIn");
}

/** An account's role, office and regions, as the forms hold them and as the API takes them. */
function useScope(user: User | null) {
  const [role, setRole] = useState<Role>((user?.role as Role | undefined) ?? "caseworker");
  const [office, setOffice] = useState(user?.office_id == null ? "" : String(user.office_id));
  const [regions, setRegions] = useState((user?.regions ?? []).join(", "));
  const body = { role, regions: regionList(regions), office_id: office ? Number(office) : null };
  return { role, setRole, office, setOffice, regions, setRegions, body, current: user?.office_id ?? null };
}

function ScopeFields({ scope, errors }: { scope: ReturnType<typeof useScope>; errors: Record<string, string> }) {
  const t = useT();
  const offices = useOffices();
  const listed = offices.data?.some((o) => o.id === scope.current) ?? false;
  return (
    <>
      <Field text={t("accountRole")} error={errors.role}>
        <select value={scope.role} onChange={(e) => scope.setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {label(t, "userRole", r)}
            </option>
          ))}
        </select>
      </Field>
      <Field text={t("accountOffice")} error={errors.office_id}>
        <select value={scope.office} onChange={(e) => scope.setOffice(e.target.value)}>
          <option value="">{t("noOffice")}</option>
          {offices.data?.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
          {scope.current != null && !listed && <option value={scope.current}>#{scope.current}</option>}
        </select>
      </Field>
      <Field text={t("accountRegions")} error={errors.regions} help={t("accountRegionsHelp")}>
        <input value={scope.regions} onChange={(e) => scope.setRegions(e.target.value)} />
      </Field>
    </>
  );
}

export function UsersPage() {
  const t = useT();
  const format = useFormat();
  const { can } = useSession();
  const users = useQuery({ queryKey: USERS_KEY, queryFn: () => unwrap(api.GET("/api/users")) });
  const offices = useOffices();
  return (
    <section>
      <h1>{t("staff")}</h1>
      <p>{t("staffHelp")}</p>
      <QueryStatus isPending={users.isPending} error={users.error} />
      {users.data && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t("accountName")}</th>
              <th scope="col">{t("accountEmail")}</th>
              <th scope="col">{t("accountRole")}</th>
              <th scope="col">{t("accountOffice")}</th>
              <th scope="col">{t("accountRegions")}</th>
              <th scope="col">{t("status")}</th>
              <th scope="col">{t("lastSignIn")}</th>
              <th scope="col">{t("secondFactor")}</th>
            </tr>
          </thead>
          <tbody>
            {users.data.map((u) => (
              <tr key={u.id}>
                <td>
                  <Link to={`/users/${u.id}`}>{u.name}</Link>
                </td>
                <td>{u.email}</td>
                <td>{label(t, "userRole", u.role)}</td>
                <td>{officeName(offices.data, u.office_id)}</td>
                <td>{(u.regions ?? []).join(", ") || "–"}</td>
                <td>
                  {u.active ? t("accountActive") : t("accountInactive")}
                  {u.waiting_for_password && ` (${t("waitingForPassword")})`}
                </td>
                <td>{lastSignIn(t, format, u)}</td>
                <td>{u.second_factor ? t("secondFactorOn") : t("secondFactorOff")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {can("users.manage") && <NewAccount />}
      {can("users.manage") && <SecurityPolicy />}
    </section>
  );
}

function NewAccount() {
  const t = useT();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const scope = useScope(null);
  const [language, setLanguage] = useState<"nl" | "en">("nl");
  const create = useMutation({
    mutationFn: async () => {
      const user = await unwrap(
        api.POST("/api/users", {
          body: { name, email, language, ...scope.body },
        }),
      );
      const link = await unwrap(
        api.POST("/api/users/{user_id}/password-link", { params: { path: { user_id: user.id } } }),
      );
      return { user, link };
    },
    onSuccess: () => {
      setName("");
      setEmail("");
      scope.setRegions("");
      return queryClient.invalidateQueries({ queryKey: USERS_KEY });
    },
  });
  const errors = fieldErrors(create.error);
  const field = useField(errors);
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }
  return (
    <section aria-labelledby="new-account">
      <h2 id="new-account">{t("newAccount")}</h2>
      <form onSubmit={submit} aria-labelledby="new-account" className="person-form">
      {field("name", t("accountName"), <input required value={name} onChange={(e) => setName(e.target.value)} />)}
      {field(
        "email",
        t("accountEmail"),
        <input required type="email" value={email} onChange={(e) => setEmail(e.target.value)} />,
      )}
      <ScopeFields scope={scope} errors={errors} />
      {field(
        "language",
        t("language"),
        <select value={language} onChange={(e) => setLanguage(e.target.value as "nl" | "en")}>
          <option value="nl">{t("language_nl")}</option>
          <option value="en">{t("language_en")}</option>
        </select>,
      )}
      <ErrorMessage error={create.error} fallback="saveFailed" />
      <button type="submit" disabled={create.isPending}>
        {t("createAccount")}
      </button>
      </form>
      {create.data && (
        <LinkToHandOver link={create.data.link} text={t("accountCreated", { name: create.data.user.name })} />
      )}
    </section>
  );
}

function SecurityPolicy() {
  const t = useT();
  const queryClient = useQueryClient();
  const policy = useQuery({
    queryKey: ["security-policy"],
    queryFn: () => unwrap(api.GET("/api/users/security-policy")),
  });
  const change = useMutation({
    mutationFn: ({ role, required }: { role: string; required: boolean }) =>
      unwrap(
        api.PUT("/api/users/security-policy/{role}", {
          params: { path: { role } },
          body: { mfa_required: required },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["security-policy"] }),
  });
  return (
    <section aria-labelledby="security-policy">
      <h2 id="security-policy">{t("securityPolicy")}</h2>
      <p>{t("securityPolicyHelp")}</p>
      <QueryStatus isPending={policy.isPending} error={policy.error} />
      <ErrorMessage error={change.error} fallback="saveFailed" />
      {policy.data && (
        <fieldset className="choices">
          <legend>{t("needsSecondFactor")}</legend>
          {policy.data.map((p) => (
            <label key={p.role}>
              <input
                type="checkbox"
                checked={p.mfa_required}
                disabled={change.isPending}
                onChange={(e) => change.mutate({ role: p.role, required: e.target.checked })}
              />{" "}
              {label(t, "userRole", p.role)}
              {p.is_default && ` (${t("policyDefault")})`}
            </label>
          ))}
        </fieldset>
      )}
    </section>
  );
}

export function UserPage() {
  const t = useT();
  const userId = Number(useParams().userId);
  const user = useQuery({
    queryKey: [...USERS_KEY, userId],
    queryFn: () => unwrap(api.GET("/api/users/{user_id}", { params: { path: { user_id: userId } } })),
  });
  return (
    <section>
      <p>
        <Link to="/users">{t("backToStaff")}</Link>
      </p>
      {user.error ? (
        <ErrorMessage error={user.error} fallback="noSuchAccount" />
      ) : user.isPending ? (
        <p className="loading">{t("loading")}</p>
      ) : (
        // keyed by what was stored: after saving, the form starts again from it
        <AccountForm key={JSON.stringify(user.data)} user={user.data} />
      )}
    </section>
  );
}

function AccountForm({ user }: { user: User }) {
  const t = useT();
  const format = useFormat();
  const queryClient = useQueryClient();
  const { can, session } = useSession();
  const [name, setName] = useState(user.name);
  const scope = useScope(user);
  const [message, setMessage] = useState("");
  const manage = can("users.manage");
  const own = session?.user.id === user.id; // one's own password and state: the account page
  const refresh = () => queryClient.invalidateQueries({ queryKey: USERS_KEY });
  const path = { params: { path: { user_id: user.id } } };

  const save = useMutation({
    mutationFn: (body: components["schemas"]["UserUpdate"]) =>
      unwrap(api.PATCH("/api/users/{user_id}", { ...path, body })),
    onSuccess: () => {
      setMessage(t("accountSaved"));
      return refresh();
    },
  });
  const link = useMutation({
    mutationFn: () => unwrap(api.POST("/api/users/{user_id}/password-link", path)),
    onSuccess: refresh,
  });
  const removeFactor = useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/users/{user_id}/mfa", path)),
    onSuccess: () => {
      setMessage(t("secondFactorRemoved"));
      return refresh();
    },
  });
  const errors = fieldErrors(save.error);
  const field = useField(errors);
  function submit(event: FormEvent) {
    event.preventDefault();
    setMessage("");
    save.mutate({ name, ...scope.body });
  }
  const ask = (text: string, then: () => void) => {
    if (window.confirm(text)) then();
  };

  return (
    <>
      <h1>{user.name}</h1>
      <dl>
        <dt>{t("accountEmail")}</dt>
        <dd>{user.email}</dd>
        <dt>{t("status")}</dt>
        <dd>
          {user.active ? t("accountActive") : t("accountInactive")}
          {user.waiting_for_password && ` (${t("waitingForPassword")})`}
        </dd>
        <dt>{t("lastSignIn")}</dt>
        <dd>{lastSignIn(t, format, user)}</dd>
        <dt>{t("secondFactor")}</dt>
        <dd>{user.second_factor ? t("secondFactorOn") : t("secondFactorOff")}</dd>
      </dl>
      {message && <p role="status">{message}</p>}
      {manage && (
        <form onSubmit={submit} className="person-form" aria-label={user.name}>
          {field("name", t("accountName"), <input required value={name} onChange={(e) => setName(e.target.value)} />)}
          <ScopeFields scope={scope} errors={errors} />
          <ErrorMessage error={save.error ?? link.error ?? removeFactor.error} fallback="saveFailed" />
          <div className="actions">
            <button type="submit" disabled={save.isPending}>
              {t("save")}
            </button>
            {!own && (
              <button
                type="button"
                disabled={!user.active || link.isPending}
                onClick={() => ask(t("passwordLinkConfirm", { name: user.name }), () => link.mutate())}
              >
                {t("passwordLink")}
              </button>
            )}
            {user.second_factor && (
              <button
                type="button"
                onClick={() =>
                  ask(t("removeSecondFactorConfirm", { name: user.name }), () => removeFactor.mutate())
                }
              >
                {t("removeSecondFactor")}
              </button>
            )}
            {own ? null : user.active ? (
              <button
                type="button"
                className="danger"
                onClick={() => ask(t("deactivateConfirm", { name: user.name }), () => save.mutate({ active: false }))}
              >
                {t("deactivate")}
              </button>
            ) : (
              <button type="button" onClick={() => save.mutate({ active: true })}>
                {t("activate")}
              </button>
            )}
          </div>
          {own && (
            <p>
              <Link to="/account">{t("ownAccountHint")}</Link>
            </p>
          )}
        </form>
      )}
      {link.data && (
        <LinkToHandOver
          link={link.data}
          text={t("linkMade", { name: user.name, until: format.dateTime(link.data.expires_at) })}
        />
      )}
    </>
  );
}
