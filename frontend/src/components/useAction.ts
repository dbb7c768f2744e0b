/** Runs a user's action, reports its outcome as a sentence, then reloads what it changed. */
import { useState } from "react";
import { describeError } from "../api/messages";

export function useAction(refresh: () => Promise<unknown>) {
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const run = async (action: () => Promise<unknown>, done?: string) => {
    setError(null);
    setNotice(null);
    try {
      const result = (await action()) as { detail?: string } | undefined;
      if (done) setNotice(result?.detail ?? done);
    } catch (caught) {
      setError(describeError(caught));
    }
    await refresh();
  };
  return { error, notice, run };
}
