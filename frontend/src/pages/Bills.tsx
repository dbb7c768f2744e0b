/** Pay bills (API.md §6.2–6.3): biller, reference, account; and the payment history. */
import { useState, type FormEvent } from "react";
import { ApiError, newIdempotencyKey } from "../api/client";
import { describeError } from "../api/messages";
import { useAuth } from "../auth/AuthContext";
import { Field, Select } from "../components/Field";
import { ErrorText, Loading, Notice } from "../components/Status";
import { formatDate } from "../components/TransactionTable";
import { useLoad } from "../components/useLoad";

export default function Bills() {
  const { api } = useAuth();
  const accounts = useLoad(() => api.accounts(), [api]);
  const billers = useLoad(() => api.billers(), [api]);
  const history = useLoad(() => api.billPayments(), [api]);
  const [account, setAccount] = useState("");
  const [biller, setBiller] = useState("");
  const [reference, setReference] = useState("");
  const [pendingKey, setPendingKey] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const edit = (setter: (value: string) => void) => (event: { target: { value: string } }) => {
    setter(event.target.value);
    setPendingKey(null);
  };

  const pay = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const key = pendingKey ?? newIdempotencyKey();
    setPendingKey(key);
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const payment = await api.payBill(account, Number(biller), reference, key);
      setPendingKey(null);
      setNotice(`Paid ${payment.biller_name}: ${payment.amount} ${payment.currency}.`);
      setReference("");
      await Promise.all([history.reload(), accounts.reload()]);
    } catch (caught) {
      if (caught instanceof ApiError) setPendingKey(null);
      setError(describeError(caught));
      await history.reload();
    } finally {
      setBusy(false);
    }
  };

  return (
    <main>
      <h1>Pay bills</h1>
      <Loading state={billers} empty="No billers available." isEmpty={(page) => page.count === 0}>
        {(billerPage) => (
          <form onSubmit={pay}>
            <Select label="Biller" required value={biller} onChange={edit(setBiller)}>
              <option value="">Choose…</option>
              {billerPage.results.map((item) => (
                <option key={item.id} value={item.id}>
                  {item.name} ({item.category}) · {item.fixed_amount} {item.currency}
                </option>
              ))}
            </Select>
            <Field label="Reference number" required maxLength={30} value={reference} onChange={edit(setReference)} />
            <Select label="From account" required value={account} onChange={edit(setAccount)}>
              <option value="">Choose…</option>
              {accounts.data?.results.map((item) => (
                <option key={item.account_number} value={item.account_number}>
                  {item.type} {item.mask} · {item.balance} {item.currency}
                </option>
              ))}
            </Select>
            <button type="submit" disabled={busy}>
              Pay
            </button>
            <ErrorText message={error} />
            <Notice message={notice} />
          </form>
        )}
      </Loading>
      <h2>Payment history</h2>
      <Loading state={history} empty="No bill payments yet." isEmpty={(page) => page.count === 0}>
        {(page) => (
          <div className="table-wrap">
            <table>
              <caption>Your bill payments</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Biller</th>
                  <th scope="col">Reference</th>
                  <th scope="col">Amount</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {page.results.map((payment) => (
                  <tr key={payment.id}>
                    <td>{formatDate(payment.created_at)}</td>
                    <td>{payment.biller_name}</td>
                    <td>{payment.reference_number}</td>
                    <td>
                      {payment.amount} {payment.currency}
                    </td>
                    <td>{payment.status}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loading>
    </main>
  );
}
