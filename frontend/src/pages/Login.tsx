// Signing in: the password, then the second factor's code, or setting the second factor up
// (the secret shown once, then the recovery codes shown once) where the role needs one.
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, Navigate } from "react-router-dom";
import { api, type Session } from "../api/client";
import type { components } from "../api/schema";
import { ApiError, unwrap } from "../api/query";
import { ErrorMessage } from "../components/QueryStatus";
import { LanguageSwitch } from "../LanguageSwitch";
import { useT } from "../i18n";
import { useSession } from "../session";

type Challenge = components["schemas"]["MfaChallenge"];
type Enrolment = components["schemas"]["Enrolment"];
type EnrolledSession = components["schemas"]["EnrolledSession"];

function isChallenge(answer: Session | Challenge): answer is Challenge {
  return "mfa_required" in answer && answer.mfa_required;
}

/** The secret in groups of four, easier to type into an authenticator app. */
function grouped(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(" ") ?? secret;
}

export function LoginPage() {
  const t = useT();
  const { session, signIn } = useSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [challenge, setChallenge] = useState<Challenge | null>(null);
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [enrolled, setEnrolled] = useState<EnrolledSession | null>(null);
  const [notice, setNotice] = useState("");

  function startOver(message: string) {
    setChallenge(null);
    setEnrolment(null);
    setCode("");
    setPassword("");
    setNotice(message);
  }

  /** An expired pending sign-in sends the user back to the password with a word why. */
  function onStepError(error: unknown) {
    if (error instanceof ApiError && error.problem.type?.endsWith(":login-expired")) {
      startOver(error.message);
    }
  }

  const enrol = useMutation({
    mutationFn: (pending: string) =>
      unwrap(api.POST("/api/auth/login/enrol", { body: { pending_token: pending } })),
    onSuccess: setEnrolment,
    onError: onStepError,
  });

  const passwordStep = useMutation({
    mutationFn: () => unwrap(api.POST("/api/auth/login", { body: { email, password } })),
    onSuccess: (answer) => {
      setNotice("");
      if (!isChallenge(answer)) return signIn(answer);
      setChallenge(answer);
      setCode("");
      if (answer.step === "enrol") enrol.mutate(answer.pending_token);
    },
  });

  const codeStep = useMutation({
    mutationFn: (pending: string) =>
      unwrap(api.POST("/api/auth/login/code", { body: { pending_token: pending, code } })),
    onSuccess: signIn,
    onError: onStepError,
  });

  const confirmStep = useMutation({
    mutationFn: (pending: string) =>
      unwrap(api.POST("/api/auth/login/enrol/confirm", { body: { pending_token: pending, code } })),
    onSuccess: setEnrolled,
    onError: onStepError,
  });

  if (session) return <Navigate to="/" replace />;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!challenge) passwordStep.mutate();
    else if (challenge.step === "code") codeStep.mutate(challenge.pending_token);
    else confirmStep.mutate(challenge.pending_token);
  }

  const codeField = (
    <>
      <label htmlFor="code">{t(challenge?.step === "code" ? "mfaCodeOrRecovery" : "mfaCode")}</label>
      <input id="code" type="text" inputMode={challenge?.step === "code" ? "text" : "numeric"}
        autoComplete="one-time-code" required autoFocus maxLength={64} value={code}
        aria-describedby="code-help" onChange={(e) => setCode(e.target.value)} />
    </>
  );

  let body;
  if (enrolled) {
    body = (
      <section aria-labelledby="recovery-title">
        <h2 id="recovery-title">{t("mfaRecoveryTitle")}</h2>
        <p id="recovery-help">{t("mfaRecoveryHelp")}</p>
        <ol aria-describedby="recovery-help">
          {enrolled.recovery_codes.map((c) => (
            <li key={c}><code>{c}</code></li>
          ))}
        </ol>
        <button type="button" autoFocus onClick={() => {
          const { recovery_codes: _shown, ...signedIn } = enrolled;
          signIn(signedIn);
        }}>
          {t("mfaRecoverySaved")}
        </button>
      </section>
    );
  } else if (!challenge) {
    body = (
      <form onSubmit={submit}>
        <label htmlFor="email">{t("email")}</label>
        <input id="email" type="email" autoComplete="username" required value={email}
          onChange={(e) => setEmail(e.target.value)} />
        <label htmlFor="password">{t("password")}</label>
        <input id="password" type="password" autoComplete="current-password" required
          value={password} onChange={(e) => setPassword(e.target.value)} />
        {notice && <p role="status">{notice}</p>}
        <ErrorMessage error={passwordStep.error} fallback="signInFailed" />
        <button type="submit" disabled={passwordStep.isPending}>
          {passwordStep.isPending ? t("signingIn") : t("signIn")}
        </button>
      </form>
    );
  } else if (challenge.step === "code") {
    body = (
      <form onSubmit={submit} aria-labelledby="code-title">
        <h2 id="code-title">{t("mfaCodeTitle")}</h2>
        {codeField}
        <p id="code-help">{t("mfaCodeHelp")}</p>
        <ErrorMessage error={codeStep.error} fallback="signInFailed" />
        <button type="submit" disabled={codeStep.isPending}>
          {codeStep.isPending ? t("signingIn") : t("mfaVerify")}
        </button>
        <button type="button" className="link" onClick={() => startOver("")}>
          {t("mfaStartOver")}
        </button>
      </form>
    );
  } else {
    body = (
      <form onSubmit={submit} aria-labelledby="enrol-title">
        <h2 id="enrol-title">{t("mfaEnrolTitle")}</h2>
        <p>{t("mfaEnrolIntro")}</p>
        <ErrorMessage error={enrol.error} fallback="signInFailed" />
        {enrolment && (
          <>
            <p id="secret-label">{t("mfaEnrolSecret")}</p>
            <p><code aria-labelledby="secret-label">{grouped(enrolment.secret)}</code></p>
            <p>
              <a href={enrolment.provisioning_uri}>{t("mfaEnrolOpenApp")}</a>
            </p>
            {codeField}
            <p id="code-help">{t("mfaEnrolCodeHelp")}</p>
            <ErrorMessage error={confirmStep.error} fallback="signInFailed" />
            <button type="submit" disabled={confirmStep.isPending}>
              {confirmStep.isPending ? t("signingIn") : t("mfaEnrolConfirm")}
            </button>
          </>
        )}
        <button type="button" className="link" onClick={() => startOver("")}>
          {t("mfaStartOver")}
        </button>
      </form>
    );
  }

  return (
    <main className="login">
      <h1>{t("appName")}</h1>
      {body}
      <p className="public-link">
        <Link to="/form">{t("contactRepresentative")}</Link>
      </p>
      <LanguageSwitch />
    </main>
  );
}
