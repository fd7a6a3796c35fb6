/** Who is signed in: loaded at start from /api/auth/session, set at login, cleared at logout or when a session ends. */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError, api, setCsrfToken, setUnauthenticatedHandler, type Me } from './api.ts';

interface AuthState {
  me: Me | null;
  loading: boolean;
  /** Why the user is at the login page: the session ended by itself, or a password change. */
  notice: 'expired' | 'password-changed' | null;
  login(username: string, password: string): Promise<Me>;
  logout(): Promise<void>;
  passwordChanged(): void;
  can(permission: string): boolean;
  canAny(permissions: readonly string[]): boolean;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const [notice, setNotice] = useState<AuthState['notice']>(null);

  const meRef = useRef<Me | null>(null);
  const accept = useCallback((m: Me | null) => {
    setCsrfToken(m?.csrfToken ?? '');
    meRef.current = m;
    setMe(m);
  }, []);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      if (meRef.current !== null) setNotice('expired');
      accept(null);
    });
    // A slow or restarting gateway is not a signed-out user: try a few times before showing the login page.
    const probe = async (): Promise<void> => {
      for (let attempt = 0; ; attempt++) {
        try {
          const s = await api.get<{ authenticated: boolean } & Partial<Me>>('/api/auth/session');
          accept(s.authenticated ? (s as Me) : null);
          return;
        } catch (err) {
          if (attempt >= 3 || (err instanceof ApiError && err.status < 500)) {
            accept(null);
            return;
          }
          await new Promise((r) => setTimeout(r, 1000 * (attempt + 1)));
        }
      }
    };
    void probe().finally(() => setLoading(false));
  }, [accept]);

  const value = useMemo<AuthState>(() => {
    const perms = new Set(me?.user.permissions ?? []);
    return {
      me,
      loading,
      notice,
      async login(username, password) {
        const m = await api.post<Me>('/api/auth/login', { username, password });
        setNotice(null);
        accept(m);
        return m;
      },
      async logout() {
        try {
          await api.post('/api/auth/logout');
        } finally {
          accept(null);
        }
      },
      passwordChanged() {
        setNotice('password-changed');
        accept(null);
      },
      can: (p) => perms.has(p),
      canAny: (ps) => ps.length === 0 || ps.some((p) => perms.has(p)),
    };
  }, [me, loading, notice, accept]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (ctx === null) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
