/**
 * The HTTP client: JSON over fetch with the access token in memory only.
 *
 * A 401 on an authenticated call triggers exactly one refresh (the refresh token
 * rotates) and one retry of the same request, same body and same idempotency key;
 * if that fails too, the session is over and `onSignedOut` fires.
 */
import type { ErrorBody, Tokens } from "./types";

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: Record<string, string[]>;
  readonly body: Partial<ErrorBody>;

  constructor(status: number, body: Partial<ErrorBody>) {
    super(body.detail || `Request failed (${status}).`);
    this.status = status;
    this.code = body.code || "error";
    this.errors = body.errors || {};
    this.body = body;
  }
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined | null>;
  /** Anonymous calls (login, register, refresh) never send nor refresh a token. */
  anonymous?: boolean;
}

type Fetch = typeof fetch;

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

export function withQuery(path: string, query: RequestOptions["query"]): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export class ApiClient {
  private tokens: Tokens | null = null;
  private refreshing: Promise<boolean> | null = null;
  private listeners = new Set<() => void>();

  constructor(private readonly fetchImpl: Fetch = (...args) => fetch(...args)) {}

  get accessToken(): string | null {
    return this.tokens?.access ?? null;
  }

  get refreshToken(): string | null {
    return this.tokens?.refresh ?? null;
  }

  setTokens(tokens: Tokens | null): void {
    this.tokens = tokens;
  }

  /** Called once when the session ends because the server refused it. */
  onSignedOut(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  signOutLocally(): void {
    const hadSession = this.tokens !== null;
    this.tokens = null;
    if (hadSession) this.listeners.forEach((listener) => listener());
  }

  async request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const url = withQuery(path, options.query);
    const response = await this.send(url, options);
    if (response.status !== 401 || options.anonymous || !this.tokens) return this.parse<T>(response);

    if (await this.refresh()) {
      const retried = await this.send(url, options);
      if (retried.status !== 401) return this.parse<T>(retried);
    }
    this.signOutLocally();
    return this.parse<T>(response);
  }

  /** Sends one request with the access token held at that moment. */
  private async send(url: string, options: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    if (!options.anonymous && this.tokens) headers.Authorization = `Bearer ${this.tokens.access}`;
    return this.fetchImpl(url, {
      method: options.method ?? "GET",
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  }

  /** One refresh at a time: concurrent 401s share it (the old refresh token dies on use). */
  private refresh(): Promise<boolean> {
    if (!this.refreshing) {
      this.refreshing = this.doRefresh().finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  private async doRefresh(): Promise<boolean> {
    const refresh = this.tokens?.refresh;
    if (!refresh) return false;
    const response = await this.send("/auth/jwt/refresh/", { method: "POST", body: { refresh }, anonymous: true });
    if (!response.ok) return false;
    this.tokens = (await response.json()) as Tokens;
    return true;
  }

  private async parse<T>(response: Response): Promise<T> {
    const text = await response.text();
    let body: unknown = null;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = { detail: text.slice(0, 200) };
      }
    }
    if (!response.ok) throw new ApiError(response.status, (body as Partial<ErrorBody>) ?? {});
    return body as T;
  }
}
