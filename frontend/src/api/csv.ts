/** Statement rows as CSV (RFC 4180 quoting), built in the browser from the API's JSON. */
import type { Transaction } from "./types";

const COLUMNS: (keyof Transaction)[] = [
  "id",
  "created_at",
  "kind",
  "status",
  "sender_account_number",
  "receiver_account_number",
  "amount",
  "fee_amount",
  "currency",
  "credited_amount",
  "credited_currency",
  "failure_reason",
];

function cell(value: unknown): string {
  const text = value === null || value === undefined ? "" : String(value);
  // A leading = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function transactionsCsv(rows: Transaction[]): string {
  return [COLUMNS.join(","), ...rows.map((row) => COLUMNS.map((column) => cell(row[column])).join(","))].join("\r\n") + "\r\n";
}
