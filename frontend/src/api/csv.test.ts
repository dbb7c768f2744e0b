import { transactionsCsv } from "./csv";
import type { Transaction } from "./types";

const ROW = {
  id: 3,
  created_at: "2026-11-30T07:00:00+03:00",
  kind: "EXTERNAL",
  status: "FAILED",
  sender_account_number: "111111111111",
  receiver_account_number: "222222222222",
  amount: "600.00",
  fee_amount: "6.00",
  currency: "JOD",
  credited_amount: "600.00",
  credited_currency: "JOD",
  failure_reason: '=HYPERLINK("x"), said "no"',
} as Transaction;

test("a header line, one line per transaction, quoted where needed and never a formula", () => {
  const [header, line, end] = transactionsCsv([ROW]).split("\r\n");

  expect(header).toBe(
    "id,created_at,kind,status,sender_account_number,receiver_account_number,amount,fee_amount,currency,credited_amount,credited_currency,failure_reason",
  );
  expect(line).toBe(
    `3,2026-11-30T07:00:00+03:00,EXTERNAL,FAILED,111111111111,222222222222,600.00,6.00,JOD,600.00,JOD,"'=HYPERLINK(""x""), said ""no"""`,
  );
  expect(end).toBe("");
});
