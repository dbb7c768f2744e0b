/** A fake bank for page tests: routes "METHOD /path" to answers, records every request. */
import { render } from "@testing-library/react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { ApiClient } from "../api/client";
import type { User } from "../api/types";
import { AuthProvider, useAuth } from "../auth/AuthContext";
import { ToastProvider } from "../components/Toasts";

export type Answer = { status?: number; body?: unknown } | (() => Promise<Response> | Response);

export interface Recorded {
  method: string;
  path: string;
  body: unknown;
  headers: Record<string, string>;
}

export const CUSTOMER: User = {
  id: 7,
  email: "rania@example.com",
  first_name: "Rania",
  last_name: "Haddad",
  country: "JO",
  is_staff: false,
  is_active: true,
  is_online: true,
  date_joined: "2026-01-01T10:00:00+03:00",
  last_login: null,
};

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

export function page<T>(results: T[]) {
  return { count: results.length, next: null, previous: null, results };
}

/** `routes` keys are "GET /api/accounts" (query string ignored); arrays answer in turn. */
export function fakeFetch(routes: Record<string, Answer | Answer[]>) {
  const requests: Recorded[] = [];
  const used: Record<string, number> = {};
  const fetchImpl = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), "http://bank.test");
    const method = init.method ?? "GET";
    const key = `${method} ${url.pathname}`;
    requests.push({
      method,
      path: url.pathname + url.search,
      body: init.body ? JSON.parse(String(init.body)) : undefined,
      headers: (init.headers ?? {}) as Record<string, string>,
    });
    const route = routes[key];
    if (!route) return json({ detail: `No fake for ${key}`, code: "not_found" }, 404);
    const answers = Array.isArray(route) ? route : [route];
    const answer = answers[Math.min(used[key] ?? 0, answers.length - 1)];
    used[key] = (used[key] ?? 0) + 1;
    if (typeof answer === "function") return answer();
    return json(answer.body ?? {}, answer.status ?? 200);
  };
  return { fetchImpl: fetchImpl as typeof fetch, requests };
}

function SignedInAs({ children }: { children: ReactNode }) {
  const { completeSignIn } = useAuth();
  const [ready, setReady] = useState(false);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void completeSignIn({ access: "access-1", refresh: "refresh-1" }).then(() => setReady(true));
  }, [completeSignIn]);
  return ready ? <>{children}</> : null;
}

/** Renders a page at `path` for a signed-in user against the fake bank. */
export function renderPage(
  element: ReactNode,
  routes: Record<string, Answer | Answer[]>,
  { path = "/", pattern = "/", user = CUSTOMER }: { path?: string; pattern?: string; user?: User } = {},
) {
  const server = fakeFetch({ "GET /auth/users/me/": { body: user }, ...routes });
  const client = new ApiClient(server.fetchImpl);
  render(
    <MemoryRouter initialEntries={[path]}>
      <AuthProvider client={client}>
        <ToastProvider>
          <SignedInAs>
            <Routes>
              <Route path={pattern} element={element} />
              <Route path="*" element={<p>elsewhere</p>} />
            </Routes>
          </SignedInAs>
        </ToastProvider>
      </AuthProvider>
    </MemoryRouter>,
  );
  return server;
}
