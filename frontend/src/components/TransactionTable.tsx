import type { Transaction } from "../api/types";

export function formatDate(iso: string): string {
  return new Date(iso).toLocaleString();
}

export function TransactionTable({ transactions, caption }: { transactions: Transaction[]; caption: string }) {
  return (
    <div className="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Kind</th>
            <th scope="col">Status</th>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Amount</th>
            <th scope="col">Fee</th>
            <th scope="col">Credited</th>
          </tr>
        </thead>
        <tbody>
          {transactions.map((txn) => (
            <tr key={txn.id}>
              <td>{formatDate(txn.created_at)}</td>
              <td>{txn.kind}</td>
              <td>{txn.status}</td>
              <td>{txn.sender_account_number ?? "Bank"}</td>
              <td>{txn.receiver_account_number}</td>
              <td>
                {txn.amount} {txn.currency}
              </td>
              <td>{txn.fee_amount}</td>
              <td>
                {txn.credited_amount} {txn.credited_currency}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
