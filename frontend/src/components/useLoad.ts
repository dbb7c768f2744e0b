/**
 * Loads data for a page and exposes loading / error / data plus a reload. Reloads can
 * overlap (live events arrive in bursts): only the latest one's answer is shown.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { describeError } from "../api/messages";

export interface Loaded<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload: () => Promise<void>;
}

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const latest = useRef(0);

  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);

  const reload = useCallback(async () => {
    const request = ++latest.current;
    setLoading(true);
    try {
      const result = await run();
      if (request !== latest.current) return;
      setData(result);
      setError(null);
    } catch (caught) {
      if (request !== latest.current) return;
      setError(describeError(caught));
    } finally {
      if (request === latest.current) setLoading(false);
    }
  }, [run]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { data, error, loading, reload };
}
