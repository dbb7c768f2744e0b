/**
 * One idempotency key per submission of a money form. A submission whose answer never
 * arrived (network failure) keeps its key, so sending it again cannot pay twice; an
 * answer, or any change to the form, starts a new one. A second click while one is in
 * flight does nothing.
 */
import { useRef, useState } from "react";
import { ApiError, newIdempotencyKey } from "../api/client";
import { describeError } from "../api/messages";

export function useSubmission() {
  const key = useRef<string | null>(null);
  const inFlight = useRef(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (send: (key: string) => Promise<void>) => {
    if (inFlight.current) return;
    inFlight.current = true;
    key.current ??= newIdempotencyKey();
    setBusy(true);
    setError(null);
    try {
      await send(key.current);
      key.current = null;
    } catch (caught) {
      if (caught instanceof ApiError) key.current = null;
      setError(describeError(caught));
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  /** The form changed: the next submission is a new one. */
  const changed = () => {
    key.current = null;
  };

  return { busy, error, submit, changed };
}
