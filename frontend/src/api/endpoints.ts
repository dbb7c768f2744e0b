/** One typed function per endpoint the pages use (API.md section in each comment). */
import { ApiClient, newIdempotencyKey } from "./client";
import type {
  Account,
  Advice,
  Analysis,
  BillPayment,
  Biller,
  Card,
  CountryMetrics,
  CurrencyMetrics,
  DailyMetrics,
  Incident,
  LedgerCheck,
  LoginEvent,
  Notification,
  Overview,
  Page,
  PeriodMetrics,
  Registration,
  RiskKpis,
  StaffAccount,
  Tokens,
  Transaction,
  User,
} from "./types";

export type Query = Record<string, string | number | boolean | undefined>;

export function endpoints(api: ApiClient) {
  const get = <T>(path: string, query?: Query) => api.request<T>(path, { query });
  const post = <T>(path: string, body: unknown = {}) => api.request<T>(path, { method: "POST", body });

  return {
    // §3 authentication
    register: (data: Registration) =>
      api.request<User>("/auth/users/", { method: "POST", body: data, anonymous: true }),
    loginInit: (email: string, password: string) =>
      api.request<{ detail: string }>("/auth/login/init/", {
        method: "POST",
        body: { email, password },
        anonymous: true,
      }),
    loginVerify: (email: string, code: string) =>
      api.request<Tokens>("/auth/login/verify/", { method: "POST", body: { email, code }, anonymous: true }),
    socialToken: (code: string) =>
      api.request<Tokens>("/auth/social/token/", { method: "POST", body: { code }, anonymous: true }),
    logout: (refresh: string | null) => post<{ detail: string }>("/auth/logout/", refresh ? { refresh } : {}),
    me: () => get<User>("/auth/users/me/"),
    users: (query: Query) => get<Page<User>>("/auth/users/", query),

    // §4 accounts and cards
    accounts: () => get<Page<Account>>("/api/accounts", { page_size: 100 }),
    openAccount: (type: string) => post<Account>("/api/accounts", { type }),
    statement: (accountNumber: string, query: Query) =>
      get<Page<Transaction>>(`/api/accounts/${accountNumber}/transactions/`, query),
    cards: (accountNumber: string) => get<Page<Card>>(`/api/accounts/${accountNumber}/cards/`),
    issueCard: (accountNumber: string, cardType: string) =>
      post<Card>(`/api/accounts/${accountNumber}/cards/`, { card_type: cardType }),
    setCardActive: (id: number, isActive: boolean) =>
      api.request<Card>(`/api/cards/${id}/`, { method: "PATCH", body: { is_active: isActive } }),

    // §5 transfers: every call takes the key of its submission (one per form submit)
    internalTransfer: (sender: string, receiver: string, amount: string, key: string) =>
      post<Transaction>("/api/transfers/internal/", {
        sender_account: sender,
        receiver_account: receiver,
        amount,
        idempotency_key: key,
      }),
    externalTransfer: (sender: string, receiver: string, amount: string, key: string) =>
      post<Transaction>("/api/transfers/external/", {
        sender_account: sender,
        receiver_account_number: receiver,
        amount,
        idempotency_key: key,
      }),
    confirmTransfer: (transactionId: number, code: string) =>
      post<Transaction>("/api/transfers/confirm/", { transaction_id: transactionId, otp_code: code }),

    // §6 bills and notifications
    billers: () => get<Page<Biller>>("/api/billers/", { page_size: 100 }),
    payBill: (account: string, biller: number, reference: string, key: string) =>
      post<BillPayment>("/api/bill/", { account, biller, reference_number: reference, idempotency_key: key }),
    billPayments: () => get<Page<BillPayment>>("/api/bill/"),
    notifications: (query: Query = {}) => get<Page<Notification>>("/api/notifications/", query),
    markRead: (id: number) => post<Notification>(`/api/notifications/${id}/read/`),
    markAllRead: () => post<{ updated: number }>("/api/notifications/read-all/"),

    // §7 staff operations
    staffAccounts: (query: Query) => get<Page<StaffAccount>>("/api/admin/accounts/", query),
    staffTransactions: (query: Query) => get<Page<Transaction>>("/api/admin/transactions/", query),
    userAction: (id: number, action: "block" | "unblock" | "terminate-session") =>
      post<{ detail: string }>(`/api/admin/users/${id}/${action}/`),
    accountAction: (accountNumber: string, action: "freeze" | "unfreeze") =>
      post<{ detail: string }>(`/api/admin/accounts/${accountNumber}/${action}/`),
    deposit: (accountNumber: string, amount: string) =>
      post<Transaction>(`/api/admin/accounts/${accountNumber}/deposit/`, {
        amount,
        idempotency_key: newIdempotencyKey(),
      }),
    reverse: (id: number, reason: string) => post<Transaction>(`/api/admin/transactions/${id}/reverse/`, { reason }),
    verifyLedger: () => get<LedgerCheck>("/api/admin/ledger/verify/"),

    // §8 risk
    incidents: (query: Query) => get<Page<Incident>>("/risk/incidents/", query),
    logins: (query: Query) => get<Page<LoginEvent>>("/risk/logins/", query),
    riskKpis: () => get<RiskKpis>("/risk/kpis/"),
    analyze: (incidentId: number) => post<Analysis>("/risk/analyze/", { incident_id: incidentId }),
    unlockIp: (ip: string) => post<{ detail: string }>("/risk/axes/unlock-ip/", { ip }),

    // §9 business
    overview: (date: string) => get<Overview>("/business/overview/", { date }),
    daily: (query: Query) => get<Page<DailyMetrics>>("/business/daily/", query),
    weekly: () => get<Page<PeriodMetrics>>("/business/weekly/"),
    monthly: () => get<Page<PeriodMetrics>>("/business/monthly/"),
    countries: (date: string) => get<Page<CountryMetrics>>("/business/countries/", { date }),
    currencies: (date: string) => get<Page<CurrencyMetrics>>("/business/currencies/", { date }),
    advisor: (date: string) => post<Advice>("/business/ai/advisor/", { period_type: "daily", date }),
  };
}

export type Endpoints = ReturnType<typeof endpoints>;
