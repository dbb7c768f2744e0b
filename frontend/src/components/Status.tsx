/** Loading, empty and error states, announced to screen readers. */
import type { ReactNode } from "react";
import type { Loaded } from "./useLoad";

export function ErrorText({ message }: { message: string | null }) {
  return (
    <p className="error" role="alert" aria-live="assertive">
      {message ?? ""}
    </p>
  );
}

export function Notice({ message }: { message: string | null }) {
  return (
    <p className="notice" role="status" aria-live="polite">
      {message ?? ""}
    </p>
  );
}

/** Renders `children(data)` once loaded; the loading, error and empty states otherwise. */
export function Loading<T>({
  state,
  empty,
  isEmpty,
  children,
}: {
  state: Loaded<T>;
  empty: string;
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}) {
  if (state.error) return <ErrorText message={state.error} />;
  if (state.data === undefined) return <p role="status">Loading…</p>;
  if (isEmpty?.(state.data)) return <p className="empty">{empty}</p>;
  return <>{children(state.data)}</>;
}
