import type { Transaction } from "../api/types";
import { Table } from "./Table";

export function formatDate(iso: string): string {
  return new Date(iso).toLocaleString();
}

const HEADERS = ["Date", "Kind", "Status", "From", "To", "Amount", "Fee", "Credited"];

export function TransactionTable({ transactions, caption }: { transactions: Transaction[]; caption: string }) {
  return (
    <Table
      caption={caption}
      headers={HEADERS}
      rows={transactions.map((txn) => ({
        key: txn.id,
        cells: [
          formatDate(txn.created_at),
          txn.kind,
          txn.status,
          txn.sender_account_number ?? "Bank",
          txn.receiver_account_number,
          `${txn.amount} ${txn.currency}`,
          txn.fee_amount,
          `${txn.credited_amount} ${txn.credited_currency}`,
        ],
      }))}
    />
  );
}
