import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, setCsrfToken, type SessionResponse } from './api-client.js';

/** Who is signed in, shared by every page; `refresh` after signing in or out. */
interface SessionState {
  session: SessionResponse | null;
  refresh(): Promise<void>;
  /** Takes a session the server just returned (sign-in, set-up). */
  adopt(session: SessionResponse): void;
}

const SessionContext = createContext<SessionState>({
  session: null,
  refresh: async () => undefined,
  adopt: () => undefined,
});

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionResponse | null>(null);
  const adopt = useCallback((next: SessionResponse) => {
    setCsrfToken(next.csrfToken);
    setSession(next);
  }, []);
  const refresh = useCallback(async () => {
    adopt(await api.session());
  }, [adopt]);
  useEffect(() => {
    const controller = new AbortController();
    api.session(controller.signal).then(adopt, () => undefined);
    return () => controller.abort();
  }, [adopt]);
  return <SessionContext.Provider value={{ session, refresh, adopt }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  return useContext(SessionContext);
}
