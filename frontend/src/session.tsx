// The signed-in session: who the user is, their permissions and the CSRF token.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useMemo, type ReactNode } from "react";
import { api, setCsrfToken, type Session } from "./api/client";
import { ApiError, unwrap } from "./api/query";

type SessionState = {
  session: Session | null;
  loading: boolean;
  signIn: (session: Session) => void;
  signOut: () => Promise<void>;
  can: (permission: string) => boolean;
};

const SessionContext = createContext<SessionState | null>(null);
const SESSION_KEY = ["session"] as const;

async function currentSession(): Promise<Session | null> {
  try {
    const session = await unwrap(api.GET("/api/auth/me"));
    setCsrfToken(session.csrf_token);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: SESSION_KEY, queryFn: currentSession, staleTime: Infinity });
  const session = query.data ?? null;

  const signIn = useCallback(
    (value: Session) => {
      setCsrfToken(value.csrf_token);
      queryClient.setQueryData(SESSION_KEY, value);
    },
    [queryClient],
  );

  const signOut = useCallback(async () => {
    await api.POST("/api/auth/logout");
    setCsrfToken("");
    queryClient.setQueryData(SESSION_KEY, null);
    // nothing read as this user stays in the cache for the next one
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_KEY[0] });
  }, [queryClient]);

  const can = useCallback(
    (permission: string) =>
      !!session &&
      (session.permissions.includes("*") || session.permissions.includes(permission)),
    [session],
  );

  const value = useMemo(
    () => ({ session, loading: query.isPending, signIn, signOut, can }),
    [session, query.isPending, signIn, signOut, can],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error("useSession outside SessionProvider");
  return state;
}
