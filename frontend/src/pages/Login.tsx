import { useState, type FormEvent } from "react";
import { Navigate } from "react-router-dom";
import { api, problemText } from "../api/client";
import { LanguageSwitch } from "../LanguageSwitch";
import { useT } from "../i18n";
import { useSession } from "../session";

export function LoginPage() {
  const t = useT();
  const { session, signIn } = useSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  if (session) return <Navigate to="/" replace />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError("");
    const { data, error: problem } = await api.POST("/api/auth/login", {
      body: { email, password },
    });
    setBusy(false);
    if (data) signIn(data);
    else setError(problemText(problem, t("signInFailed")));
  }

  return (
    <main className="login">
      <h1>{t("appName")}</h1>
      <form onSubmit={submit}>
        <label htmlFor="email">{t("email")}</label>
        <input id="email" type="email" autoComplete="username" required value={email}
          onChange={(e) => setEmail(e.target.value)} />
        <label htmlFor="password">{t("password")}</label>
        <input id="password" type="password" autoComplete="current-password" required
          value={password} onChange={(e) => setPassword(e.target.value)} />
        {error && <p role="alert" className="error">{error}</p>}
        <button type="submit" disabled={busy}>{busy ? t("signingIn") : t("signIn")}</button>
      </form>
      <LanguageSwitch />
    </main>
  );
}
