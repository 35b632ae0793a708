// One's own account: language, password, second factor and API tokens; and the public page
// where an invitation or reset link sets a password.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useContext, useId, useState, type FormEvent } from "react";
import { Link, useParams } from "react-router-dom";
import { api } from "../api/client";
import { fieldErrors } from "../api/people";
import { ApiError, unwrap } from "../api/query";
import type { components } from "../api/schema";
import { ErrorMessage, QueryStatus } from "../components/QueryStatus";
import { useFormat } from "../format";
import { LanguageContext, useT, type Language } from "../i18n";
import { LanguageSwitch } from "../LanguageSwitch";

type NewToken = components["schemas"]["NewToken"];
type Enrolment = components["schemas"]["Enrolment"];

const TOKENS_KEY = ["tokens"] as const;
const MFA_KEY = ["mfa"] as const;

export function AccountPage() {
  const t = useT();
  return (
    <section>
      <h1>{t("myAccount")}</h1>
      <MyLanguage />
      <ChangePassword />
      <SecondFactor />
      <Tokens />
    </section>
  );
}

function MyLanguage() {
  const t = useT();
  const { setLanguage } = useContext(LanguageContext);
  const save = useMutation({
    mutationFn: (value: Language) => unwrap(api.PATCH("/api/auth/me", { body: { language: value } })),
    onSuccess: (user) => setLanguage(user.language as Language),
  });
  return (
    <section aria-labelledby="my-language">
      <h2 id="my-language">{t("myLanguage")}</h2>
      <LanguageSwitch onChange={(value) => save.mutate(value)} disabled={save.isPending} />
      {save.isSuccess && <p role="status">{t("myLanguageSaved")}</p>}
      <ErrorMessage error={save.error} fallback="saveFailed" />
    </section>
  );
}

function PasswordInput({
  id,
  text,
  value,
  onChange,
  error,
  autoComplete,
}: {
  id: string;
  text: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  autoComplete: string;
}) {
  return (
    <label htmlFor={id}>
      {text}
      <input
        id={id}
        type="password"
        required
        autoComplete={autoComplete}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        {...(error ? { "aria-invalid": true, "aria-describedby": `${id}-error` } : {})}
      />
      {error && (
        <small className="error" id={`${id}-error`}>
          {error}
        </small>
      )}
    </label>
  );
}

function ChangePassword() {
  const t = useT();
  const id = useId();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [again, setAgain] = useState("");
  const change = useMutation({
    mutationFn: () =>
      unwrap(api.POST("/api/auth/password", { body: { current_password: current, new_password: next } })),
    onSuccess: () => {
      setCurrent("");
      setNext("");
      setAgain("");
    },
  });
  const errors = fieldErrors(change.error);
  const differ = again !== "" && again !== next;
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!differ) change.mutate();
  }
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("changePassword")}</h2>
      <form onSubmit={submit} aria-labelledby={`${id}-title`} className="person-form">
      <PasswordInput id={`${id}-current`} text={t("currentPassword")} value={current} onChange={setCurrent}
        error={errors.current_password} autoComplete="current-password" />
      <PasswordInput id={`${id}-new`} text={t("newPassword")} value={next} onChange={setNext}
        error={errors.new_password} autoComplete="new-password" />
      <PasswordInput id={`${id}-again`} text={t("repeatPassword")} value={again} onChange={setAgain}
        error={differ ? t("passwordsDiffer") : undefined} autoComplete="new-password" />
      {change.isSuccess && <p role="status">{t("passwordChanged")}</p>}
      <ErrorMessage error={change.error} fallback="saveFailed" />
      <div className="actions">
        <button type="submit" disabled={change.isPending || differ}>
          {t("changePassword")}
        </button>
      </div>
      </form>
    </section>
  );
}

function SecondFactor() {
  const t = useT();
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: MFA_KEY, queryFn: () => unwrap(api.GET("/api/auth/mfa")) });
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [code, setCode] = useState("");
  const start = useMutation({
    mutationFn: () => unwrap(api.POST("/api/auth/mfa")),
    onSuccess: setEnrolment,
  });
  const confirm = useMutation({
    mutationFn: () =>
      unwrap(api.POST("/api/auth/mfa/confirm", { body: { code, enrolment_token: enrolment?.enrolment_token ?? "" } })),
    onSuccess: () => {
      setEnrolment(null);
      setCode("");
      return queryClient.invalidateQueries({ queryKey: MFA_KEY });
    },
  });
  return (
    <section aria-labelledby="my-second-factor">
      <h2 id="my-second-factor">{t("mySecondFactor")}</h2>
      <QueryStatus isPending={status.isPending} error={status.error} />
      {status.data && (
        <p>
          {status.data.enabled
            ? t("secondFactorStatusOn", { count: status.data.recovery_codes_left })
            : t("secondFactorStatusOff")}{" "}
          {status.data.required && t("secondFactorRequired")}
        </p>
      )}
      {status.data && !status.data.enabled && !enrolment && (
        <button type="button" disabled={start.isPending} onClick={() => start.mutate()}>
          {t("setUpSecondFactor")}
        </button>
      )}
      <ErrorMessage error={start.error ?? confirm.error} fallback="saveFailed" />
      {enrolment && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            confirm.mutate();
          }}
        >
          <p>{t("mfaEnrolIntro")}</p>
          <p id="own-secret-label">{t("mfaEnrolSecret")}</p>
          <p>
            <code aria-labelledby="own-secret-label">{enrolment.secret.match(/.{1,4}/g)?.join(" ")}</code>
          </p>
          <p>
            <a href={enrolment.provisioning_uri}>{t("mfaEnrolOpenApp")}</a>
          </p>
          <label>
            {t("mfaCode")}
            <input inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} />
          </label>
          <button type="submit" disabled={confirm.isPending}>
            {t("confirmSecondFactor")}
          </button>
        </form>
      )}
      {confirm.data && (
        <div role="status">
          <p>{t("mfaRecoveryHelp")}</p>
          <ul className="codes">
            {confirm.data.recovery_codes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function Tokens() {
  const t = useT();
  const format = useFormat();
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: TOKENS_KEY, queryFn: () => unwrap(api.GET("/api/auth/tokens")) });
  const [name, setName] = useState("");
  const [made, setMade] = useState<NewToken | null>(null);
  const create = useMutation({
    mutationFn: () => unwrap(api.POST("/api/auth/tokens", { body: { name, expires_in_days: 90 } })),
    onSuccess: (token) => {
      setMade(token);
      setName("");
      return queryClient.invalidateQueries({ queryKey: TOKENS_KEY });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: number) => unwrap(api.DELETE("/api/auth/tokens/{token_id}", { params: { path: { token_id: id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: TOKENS_KEY }),
  });
  const errors = fieldErrors(create.error);
  return (
    <section aria-labelledby="my-tokens">
      <h2 id="my-tokens">{t("apiTokens")}</h2>
      <p>{t("apiTokensHelp")}</p>
      <QueryStatus isPending={tokens.isPending} error={tokens.error} />
      {tokens.data?.length === 0 && <p>{t("noTokens")}</p>}
      {tokens.data && tokens.data.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t("tokenName")}</th>
              <th scope="col">{t("tokenCreated")}</th>
              <th scope="col">{t("tokenLastUsed")}</th>
              <th scope="col">{t("tokenExpires")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("revokeToken")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.map((token) => (
              <tr key={token.id}>
                <td>
                  {token.name} <code>{token.prefix}…</code>
                </td>
                <td>{format.dateTime(token.created_at)}</td>
                <td>{format.dateTime(token.last_used_at)}</td>
                <td>{format.dateTime(token.expires_at)}</td>
                <td>
                  <button type="button" disabled={revoke.isPending} onClick={() => revoke.mutate(token.id)}>
                    {t("revokeToken")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <label>
          {t("tokenName")}{" "}
          <input required value={name} onChange={(e) => setName(e.target.value)}
            {...(errors.name ? { "aria-invalid": true } : {})} />
        </label>
        <button type="submit" disabled={create.isPending}>
          {t("createToken")}
        </button>
      </form>
      <ErrorMessage error={create.error ?? revoke.error} fallback="saveFailed" />
      {made && (
        <div role="status">
          <p>{t("tokenSecret", { name: made.token.name })}</p>
          <p>
            <code>{made.secret}</code>
          </p>
        </div>
      )}
    </section>
  );
}

export function SetPasswordPage() {
  const t = useT();
  const token = useParams().token ?? "";
  const id = useId();
  const [password, setPassword] = useState("");
  const [again, setAgain] = useState("");
  const set = useMutation({
    mutationFn: () =>
      unwrap(api.POST("/api/auth/password-link/{token}", { params: { path: { token } }, body: { password } })),
  });
  const errors = fieldErrors(set.error);
  const differ = again !== "" && again !== password;
  const spent = set.error instanceof ApiError && [404, 410].includes(set.error.status);
  return (
    <main className="public">
      <LanguageSwitch />
      <h1>{t("setPasswordTitle")}</h1>
      {set.isSuccess ? (
        <>
          <p role="status">{t("passwordSet")}</p>
          <p>
            <Link to="/login">{t("goToSignIn")}</Link>
          </p>
        </>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!differ) set.mutate();
          }}
          className="person-form"
        >
          <p>{t("setPasswordHelp")}</p>
          <PasswordInput id={`${id}-new`} text={t("newPassword")} value={password} onChange={setPassword}
            error={errors.password} autoComplete="new-password" />
          <PasswordInput id={`${id}-again`} text={t("repeatPassword")} value={again} onChange={setAgain}
            error={differ ? t("passwordsDiffer") : undefined} autoComplete="new-password" />
          {spent ? (
            <p role="alert" className="error">
              {t("linkNotValid")}
            </p>
          ) : (
            <ErrorMessage error={set.error} fallback="saveFailed" />
          )}
          <button type="submit" disabled={set.isPending || differ}>
            {t("setPassword")}
          </button>
        </form>
      )}
    </main>
  );
}
