/** Pay bills (API.md §6.2–6.3): biller, reference, account; and the payment history. */
import { useState, type FormEvent } from "react";
import { useAuth } from "../auth/AuthContext";
import { Field, Select } from "../components/Field";
import { ErrorText, Loading, Notice } from "../components/Status";
import { Table } from "../components/Table";
import { formatDate } from "../components/TransactionTable";
import { useLoad } from "../components/useLoad";
import { useSubmission } from "../components/useSubmission";

export default function Bills() {
  const { api } = useAuth();
  const accounts = useLoad(() => api.accounts(), [api]);
  const billers = useLoad(() => api.billers(), [api]);
  const history = useLoad(() => api.billPayments(), [api]);
  const [account, setAccount] = useState("");
  const [biller, setBiller] = useState("");
  const [reference, setReference] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const { busy, error, submit, changed } = useSubmission();

  const edit = (setter: (value: string) => void) => (event: { target: { value: string } }) => {
    setter(event.target.value);
    changed();
  };

  const pay = async (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    await submit(async (key) => {
      const payment = await api.payBill(account, Number(biller), reference, key);
      setNotice(`Paid ${payment.biller_name}: ${payment.amount} ${payment.currency}.`);
      setReference("");
    });
    // A refused payment (insufficient funds) is in the history too.
    await Promise.all([history.reload(), accounts.reload()]);
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
          <Table
            caption="Your bill payments"
            headers={["Date", "Biller", "Reference", "Amount", "Status"]}
            rows={page.results.map((payment) => ({
              key: payment.id,
              cells: [
                formatDate(payment.created_at),
                payment.biller_name,
                payment.reference_number,
                `${payment.amount} ${payment.currency}`,
                payment.status,
              ],
            }))}
          />
        )}
      </Loading>
    </main>
  );
}
