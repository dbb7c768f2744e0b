/** The contract's error codes as sentences a customer understands. */
import { ApiError } from "./client";

const SENTENCES: Record<string, string> = {
  insufficient_funds: "The account does not have enough money for this amount and its fee.",
  limit_exceeded: "This amount is above the limit for a single transfer (10,000.00).",
  daily_limit_exceeded: "This would take the account over its daily limit of 50,000.00.",
  account_frozen: "This account is frozen: it can neither send nor receive money.",
  same_account: "Choose two different accounts.",
  invalid_otp: "That code is not right.",
  otp_expired: "That code has expired. Start again to get a new one.",
  otp_locked: "Too many wrong codes: this code no longer works. Start again to get a new one.",
  invalid_state: "This can no longer be done: its state has changed.",
  invalid_credentials: "The email or password is not right.",
  locked_out: "Too many failed sign-in attempts from this connection. Try again in an hour.",
  throttled: "Too many attempts in a short time. Wait a minute and try again.",
  idempotency_conflict: "This submission was already used for a different request. Submit again.",
  permission_denied: "You are not allowed to do this.",
  not_found: "It does not exist or is not yours.",
  has_ledger_history: "This user has money history and cannot be deleted; block them instead.",
  service_unavailable: "The bank is busy right now. Try again in a moment.",
};

/** A sentence for any failure: the code's sentence, else the field messages, else the detail. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return "The bank could not be reached. Check your connection and try again.";
  let sentence = SENTENCES[error.code];
  if (error.code === "invalid_otp" && typeof error.body.attempts_left === "number") {
    const left = error.body.attempts_left;
    sentence = `${sentence} ${left} ${left === 1 ? "try" : "tries"} left.`;
  }
  if (sentence) return sentence;
  const fieldMessages = Object.entries(error.errors).map(([field, messages]) =>
    field === "non_field_errors" ? messages.join(" ") : `${field.replace(/_/g, " ")}: ${messages.join(" ")}`,
  );
  if (fieldMessages.length) return fieldMessages.join(" ");
  return error.message;
}
