import { useCallback, useEffect, useRef, useState } from 'react';

export interface Polled<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  reload: () => void;
  updatedMs: number | null;
}

/**
 * Loads `load()` now and every `intervalMs` while the component is mounted and the tab is visible (a hidden tab
 * stops polling). `intervalMs` null loads once. Keeps the last good data while a refresh fails.
 */
export function usePolling<T>(load: () => Promise<T>, intervalMs: number | null, deps: readonly unknown[] = []): Polled<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(true);
  const [updatedMs, setUpdatedMs] = useState<number | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const alive = useRef(true);
  const running = useRef(false);

  const run = useCallback(async () => {
    if (running.current) return;
    running.current = true;
    try {
      const d = await loadRef.current();
      if (!alive.current) return;
      setData(d);
      setError(null);
      setUpdatedMs(Date.now());
    } catch (err) {
      if (alive.current) setError(err as Error);
    } finally {
      running.current = false;
      if (alive.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    alive.current = true;
    setLoading(true);
    void run();
    if (intervalMs === null) return () => { alive.current = false; };
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void run();
    }, intervalMs);
    return () => {
      alive.current = false;
      clearInterval(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [intervalMs, run, ...deps]);

  return { data, error, loading, reload: () => void run(), updatedMs };
}
