/**
 * The transfer quote shown before sending (API.md §1.3, §5.3), in integer cents so
 * nothing is lost to floating point. The server computes the same and has the last word.
 */
import type { Currency } from "./types";

/** Units of each currency bought by one JOD, as integers over 100. */
const RATE_PER_JOD: Record<Currency, bigint> = { JOD: 100n, USD: 141n, EUR: 131n };
const FEE_RATE_BASIS_POINTS = 100n; // 1%

export function toCents(amount: string): bigint | null {
  const match = /^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(amount);
  if (!match) return null;
  return BigInt(match[1]) * 100n + BigInt((match[2] ?? "").padEnd(2, "0"));
}

export function formatCents(cents: bigint): string {
  const sign = cents < 0n ? "-" : "";
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
}

/** Converts, rounding down (the customer's credit), through JOD as the contract does. */
export function convert(cents: bigint, from: Currency, to: Currency): bigint {
  if (from === to) return cents;
  const jod = from === "JOD" ? cents : (cents * 100n) / RATE_PER_JOD[from];
  return to === "JOD" ? jod : (jod * RATE_PER_JOD[to]) / 100n;
}

export interface Quote {
  amount: string;
  fee: string;
  total: string;
  credited: string;
  rate: string | null;
}

export function quoteTransfer(amount: string, from: Currency, to: Currency, external: boolean): Quote | null {
  const cents = toCents(amount);
  if (cents === null || cents <= 0n) return null;
  // Half-up to the cent: (cents * 100 + 5000) / 10000 with basis points of 1%.
  const fee = external ? (cents * FEE_RATE_BASIS_POINTS + 5000n) / 10000n : 0n;
  return {
    amount: formatCents(cents),
    fee: formatCents(fee),
    total: formatCents(cents + fee),
    credited: formatCents(convert(cents, from, to)),
    rate: from === to ? null : `1 ${from} = ${rateText(from, to)} ${to}`,
  };
}

function rateText(from: Currency, to: Currency): string {
  const rate = Number(RATE_PER_JOD[to]) / Number(RATE_PER_JOD[from]);
  return rate.toFixed(4);
}
