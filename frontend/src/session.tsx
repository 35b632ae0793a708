// The signed-in session: who the user is, their permissions and the CSRF token.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { api, setCsrfToken, type Session } from "./api/client";

type SessionState = {
  session: Session | null;
  loading: boolean;
  signIn: (session: Session) => void;
  signOut: () => Promise<void>;
  can: (permission: string) => boolean;
};

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    api.GET("/api/auth/me").then(({ data }) => {
      if (data) {
        setCsrfToken(data.csrf_token);
        setSession(data);
      }
      setLoading(false);
    });
  }, []);

  const signIn = useCallback((value: Session) => {
    setCsrfToken(value.csrf_token);
    setSession(value);
  }, []);

  const signOut = useCallback(async () => {
    await api.POST("/api/auth/logout");
    setCsrfToken("");
    setSession(null);
  }, []);

  const can = useCallback(
    (permission: string) =>
      !!session &&
      (session.permissions.includes("*") || session.permissions.includes(permission)),
    [session],
  );

  return (
    <SessionContext.Provider value={{ session, loading, signIn, signOut, can }}>
      {children}
    </SessionContext.Provider>
  );
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error("useSession outside SessionProvider");
  return state;
}
