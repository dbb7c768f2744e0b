/** Shapes of the Nexus Bank API (docs/API.md, checked against /api/schema/). */

export type Currency = "JOD" | "USD" | "EUR";
export type AccountType = "Savings" | "Salary" | "Basic" | "USD" | "EUR";
export type Money = string;

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export interface Tokens {
  access: string;
  refresh: string;
}

export interface User {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  country: string;
  is_staff: boolean;
  is_active: boolean;
  is_online: boolean;
  date_joined: string;
  last_login: string | null;
}

export interface Registration {
  email: string;
  password: string;
  re_password: string;
  first_name: string;
  last_name?: string;
  country?: string;
}

export interface Account {
  account_number: string;
  mask: string;
  type: AccountType;
  currency: Currency;
  balance: Money;
  display_balance: { currency: Currency; amount: Money };
  is_active: boolean;
  maximum_withdrawal_amount: Money;
  daily_limit: Money;
  card_count: number;
  created_at: string;
}

export interface StaffAccount extends Account {
  owner: { id: number; email: string };
}

export type TransactionKind = "INTERNAL" | "EXTERNAL" | "DEPOSIT" | "BILL";
export type TransactionStatus = "SUCCESS" | "FAILED" | "REVERSED" | "PENDING_OTP";

export interface Transaction {
  id: number;
  kind: TransactionKind;
  status: TransactionStatus;
  amount: Money;
  fee_amount: Money;
  currency: Currency;
  credited_amount: Money;
  credited_currency: Currency;
  sender_account_number: string | null;
  receiver_account_number: string;
  sender_balance_after: Money | null;
  receiver_balance_after: Money | null;
  idempotency_key: string | null;
  failure_reason: string | null;
  otp_expires_at: string | null;
  created_at: string;
}

export interface Card {
  id: number;
  account_number: string;
  card_type: "DEBIT" | "CREDIT";
  last4: string;
  expiration_date: string;
  is_active: boolean;
  created_at: string;
}

export interface Biller {
  id: number;
  name: string;
  category: string;
  description: string;
  fixed_amount: Money;
  currency: Currency;
}

export interface BillPayment {
  id: number;
  account: string;
  biller: number;
  biller_name: string;
  reference_number: string;
  amount: Money;
  currency: Currency;
  biller_amount: Money;
  biller_currency: Currency;
  status: "PAID" | "FAILED";
  transaction_id: number | null;
  created_at: string;
}

export interface Notification {
  id: number;
  message: string;
  notification_type: "TRANSACTION" | "SECURITY" | "ADMIN_ALERT" | "BILL_PAYMENT";
  is_read: boolean;
  related_transaction: number | null;
  created_at: string;
}

export type Severity = "low" | "medium" | "high" | "critical";

export interface Incident {
  id: number;
  user: number | null;
  user_email: string | null;
  ip: string | null;
  country: string;
  attempted_email: string | null;
  event: string;
  rule: string;
  severity: Severity;
  details: Record<string, unknown>;
  gemini_analysis: string | null;
  timestamp: string;
}

export interface LoginEvent {
  id: number;
  user: number | null;
  ip: string | null;
  country: string;
  successful: boolean;
  attempted_email: string;
  user_agent: string;
  source: string;
  failure_reason: string;
  timestamp: string;
}

export interface RiskKpis {
  total_incidents: number;
  critical_alerts: number;
  high_alerts: number;
  failed_logins: number;
  unique_attack_ips: number;
  incidents_last_24h: number;
}

export interface Analysis {
  recommended_action: "TERMINATE" | "FREEZE" | "BLOCK" | "MONITOR";
  analysis: string;
  ai_generated: boolean;
  model: string | null;
}

export interface DailyMetrics {
  id: number | null;
  date: string;
  new_users: number;
  total_users: number;
  active_users: number;
  active_users_7d: number;
  active_users_30d: number;
  total_transactions_success: number;
  total_transactions_failed: number;
  total_transactions_refunded: number;
  total_transferred_amount: Money;
  avg_transaction_value: Money;
  fee_revenue: Money;
  fx_volume: Money;
  fx_spread_revenue: Money;
  bill_payments_count: number;
  bill_payments_amount: Money;
  bill_commission_revenue: Money;
  net_revenue: Money;
  failed_logins: number;
  incidents: number;
  ai_insight: string | null;
}

export interface PeriodMetrics {
  week_start?: string;
  month?: string;
  active_users: number;
  total_transactions_success: number;
  total_transferred_amount: Money;
  net_revenue: Money;
}

export interface CountryMetrics {
  date: string;
  country: string;
  count: number;
  active_users: number;
  tx_count: number;
  tx_amount: Money;
  net_revenue: Money;
}

export interface CurrencyMetrics {
  date: string;
  currency: Currency;
  tx_count: number;
  tx_amount: Money;
  fx_volume: Money;
  fee_revenue: Money;
}

export interface Overview {
  daily: DailyMetrics;
  weekly: PeriodMetrics[];
  monthly: PeriodMetrics[];
  country: CountryMetrics[];
  currency: CurrencyMetrics[];
}

export interface Advice {
  period_type: "daily" | "monthly";
  date_or_month: string;
  model: string | null;
  ai_generated: boolean;
  summary: string;
  recommended_action: string;
}

export interface LedgerCheck {
  ok: boolean;
  currencies: { currency: Currency; entries_total: Money; balanced: boolean }[];
  accounts_checked: number;
  mismatched_accounts: { account_number: string; balance: Money; entries_total: Money }[];
}

/** The contract's error body. */
export interface ErrorBody {
  detail: string;
  code: string;
  errors?: Record<string, string[]>;
  attempts_left?: number;
  transaction_id?: number;
}

/** Messages pushed over /ws/notifications/. */
export type SocketMessage =
  | { type: "connection_established"; groups: string[] }
  | {
      type: "user_notification";
      event: "DEBIT" | "CREDIT" | "BILL_PAYMENT" | "OTP_REQUIRED" | "SECURITY";
      amount?: Money;
      currency?: Currency;
      message: string;
      notification_id?: number;
    }
  | { type: "admin_alert"; severity: Severity; event: string; incident_id: number; message: string }
  | { type: "pong" };
