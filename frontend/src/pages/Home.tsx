/** Home: accounts, open an account, recent transactions and unread notifications, live. */
import { useState } from "react";
import { Link } from "react-router-dom";
import type { AccountType, Transaction } from "../api/types";
import type { Endpoints } from "../api/endpoints";
import { useAuth } from "../auth/AuthContext";
import { useLive } from "../auth/Live";
import { Select } from "../components/Field";
import { ErrorText, Loading } from "../components/Status";
import { TransactionTable } from "../components/TransactionTable";
import { useAction } from "../components/useAction";
import { useLoad } from "../components/useLoad";

const ACCOUNT_TYPES: AccountType[] = ["Savings", "Salary", "Basic", "USD", "EUR"];
const RECENT = 8;

/** The latest movements over all the customer's accounts (a transfer between two shows once). */
async function recentTransactions(api: Endpoints): Promise<Transaction[]> {
  const accounts = (await api.accounts()).results;
  const pages = await Promise.all(accounts.map((a) => api.statement(a.account_number, { page_size: RECENT })));
  const byId = new Map(pages.flatMap((page) => page.results).map((txn) => [txn.id, txn]));
  return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, RECENT);
}

export default function Home() {
  const { api, user } = useAuth();
  const { version } = useLive();
  const accounts = useLoad(() => api.accounts(), [api, version]);
  const unread = useLoad(() => api.notifications({ unread_only: true, page_size: 5 }), [api, version]);
  const recent = useLoad(() => recentTransactions(api), [api, version]);
  const [type, setType] = useState<AccountType>("Savings");
  const { error, run } = useAction(() => Promise.all([accounts.reload(), recent.reload()]));

  const open = () => run(() => api.openAccount(type));

  return (
    <main>
      <h1>Hello, {user?.first_name}</h1>
      <section aria-labelledby="accounts-heading">
        <h2 id="accounts-heading">Your accounts</h2>
        <Loading state={accounts} empty="You have no account yet: open one below." isEmpty={(page) => page.count === 0}>
          {(page) => (
            <ul className="cards">
              {page.results.map((account) => (
                <li key={account.account_number} className="card" data-testid={`account-${account.currency}`}>
                  <span className="muted">
                    {account.type} · {account.mask}
                    {account.is_active ? "" : " · frozen"}
                  </span>
                  <strong className="balance">
                    {account.balance} {account.currency}
                  </strong>
                  <Link to={`/statement/${account.account_number}`}>Statement</Link>
                </li>
              ))}
            </ul>
          )}
        </Loading>
        <div className="inline-form">
          <Select label="Account type" value={type} onChange={(e) => setType(e.target.value as AccountType)}>
            {ACCOUNT_TYPES.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </Select>
          <button type="button" onClick={open}>
            Open account
          </button>
        </div>
        <ErrorText message={error} />
      </section>
      <section aria-labelledby="unread-heading">
        <h2 id="unread-heading">Unread notifications</h2>
        <Loading state={unread} empty="Nothing new." isEmpty={(page) => page.count === 0}>
          {(page) => (
            <ul className="list" data-testid="unread">
              {page.results.map((note) => (
                <li key={note.id}>{note.message}</li>
              ))}
            </ul>
          )}
        </Loading>
        <Link to="/notifications">All notifications</Link>
      </section>
      <section aria-labelledby="recent-heading">
        <h2 id="recent-heading">Recent transactions</h2>
        <Loading state={recent} empty="No transactions yet." isEmpty={(rows) => rows.length === 0}>
          {(rows) => <TransactionTable transactions={rows} caption="Latest movements of your accounts" />}
        </Loading>
      </section>
    </main>
  );
}
