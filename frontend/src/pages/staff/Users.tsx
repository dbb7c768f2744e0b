/**
 * Staff users and accounts (API.md §7): every action asks for confirmation, then the
 * lists are loaded again so what is shown is what the server now holds.
 */
import { useState } from "react";
import type { User } from "../../api/types";
import { useAuth } from "../../auth/AuthContext";
import { ConfirmButton } from "../../components/ConfirmButton";
import { Field } from "../../components/Field";
import { ErrorText, Loading, Notice } from "../../components/Status";
import { Table } from "../../components/Table";
import { TransactionTable } from "../../components/TransactionTable";
import { useAction } from "../../components/useAction";
import { useLoad } from "../../components/useLoad";

export default function Users() {
  const { api } = useAuth();
  const [search, setSearch] = useState("");
  const [selected, setSelected] = useState<User | null>(null);
  const needle = search.trim();
  // The server searches every user (email or name); the list shows its first 100 matches.
  const users = useLoad(() => api.users({ page_size: 100, ...(needle ? { search: needle } : {}) }), [api, needle]);
  const ledger = useLoad(() => api.verifyLedger(), [api]);
  const { error, notice, run } = useAction(() => Promise.all([users.reload(), ledger.reload()]));

  return (
    <main>
      <h1>Users and accounts</h1>
      <Loading state={ledger} empty="">
        {(check) => (
          <p className={check.ok ? "ok" : "error"} data-testid="ledger">
            Ledger {check.ok ? "balanced" : "NOT balanced"}: {check.accounts_checked} accounts checked
            {check.mismatched_accounts.length ? `, ${check.mismatched_accounts.length} mismatched` : ""}.
          </p>
        )}
      </Loading>
      <Field label="Search users (email or name)" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
      <ErrorText message={error} />
      <Notice message={notice} />
      <Loading state={users} empty="No users." isEmpty={(page) => page.count === 0}>
        {(page) => (
          <Table
            caption={`Users (first ${page.results.length} of ${page.count})`}
            headers={["Email", "Name", "Status", "Actions"]}
            rows={page.results.map((user) => ({
              key: user.id,
              testId: `user-${user.email}`,
              cells: [
                user.email,
                `${user.first_name} ${user.last_name}`,
                userStatus(user),
                <UserActions user={user} run={run} onAccounts={() => setSelected(user)} />,
              ],
            }))}
          />
        )}
      </Loading>
      {selected && <UserAccounts user={selected} />}
    </main>
  );
}

function userStatus(user: User): string {
  return [user.is_active ? "active" : "blocked", user.is_online && "online", user.is_staff && "staff"].filter(Boolean).join(", ");
}

type Run = ReturnType<typeof useAction>["run"];

function UserActions({ user, run, onAccounts }: { user: User; run: Run; onAccounts: () => void }) {
  const { api } = useAuth();
  return (
    <span className="actions">
      <button type="button" className="link" onClick={onAccounts}>
        Accounts
      </button>
      {user.is_active ? (
        <ConfirmButton
          label="Block"
          question={`Block ${user.email} and end their sessions?`}
          onConfirm={() => run(() => api.userAction(user.id, "block"), "Blocked.")}
        />
      ) : (
        <ConfirmButton
          label="Unblock"
          question={`Unblock ${user.email}?`}
          onConfirm={() => run(() => api.userAction(user.id, "unblock"), "Unblocked.")}
        />
      )}
      <ConfirmButton
        label="End sessions"
        question={`Sign ${user.email} out everywhere?`}
        onConfirm={() => run(() => api.userAction(user.id, "terminate-session"), "Sessions ended.")}
      />
    </span>
  );
}

function UserAccounts({ user }: { user: User }) {
  const { api } = useAuth();
  const accounts = useLoad(() => api.staffAccounts({ user: user.id, page_size: 100 }), [api, user.id]);
  const transactions = useLoad(() => api.staffTransactions({ user: user.id, page_size: 20 }), [api, user.id]);
  const { error, notice, run } = useAction(() => Promise.all([accounts.reload(), transactions.reload()]));
  const [amounts, setAmounts] = useState<Record<string, string>>({});

  return (
    <section className="panel" aria-labelledby="user-accounts-heading">
      <h2 id="user-accounts-heading">Accounts of {user.email}</h2>
      <ErrorText message={error} />
      <Notice message={notice} />
      <Loading state={accounts} empty="This user has no account." isEmpty={(page) => page.count === 0}>
        {(page) => (
          <ul className="list">
            {page.results.map((account) => {
              const amount = amounts[account.account_number] ?? "";
              return (
                <li key={account.account_number} data-testid={`staff-account-${account.currency}`}>
                  <strong>
                    {account.account_number} · {account.type} · {account.balance} {account.currency}
                  </strong>{" "}
                  {account.is_active ? "active" : "frozen"}
                  <div className="actions">
                    {account.is_active ? (
                      <ConfirmButton
                        label="Freeze"
                        question={`Freeze ${account.account_number}?`}
                        onConfirm={() => run(() => api.accountAction(account.account_number, "freeze"), "Frozen.")}
                      />
                    ) : (
                      <ConfirmButton
                        label="Unfreeze"
                        question={`Unfreeze ${account.account_number}?`}
                        onConfirm={() => run(() => api.accountAction(account.account_number, "unfreeze"), "Unfrozen.")}
                      />
                    )}
                    <Field
                      label={`Deposit amount (${account.currency})`}
                      inputMode="decimal"
                      value={amount}
                      onChange={(e) => setAmounts({ ...amounts, [account.account_number]: e.target.value })}
                    />
                    <ConfirmButton
                      label="Deposit"
                      question={`Deposit ${amount || "?"} ${account.currency} into ${account.account_number}?`}
                      onConfirm={() =>
                        run(() => api.deposit(account.account_number, amount), `Deposited ${amount} ${account.currency}.`)
                      }
                    />
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </Loading>
      <h3>Latest transactions</h3>
      <Loading state={transactions} empty="No transactions." isEmpty={(page) => page.count === 0}>
        {(page) => (
          <>
            <TransactionTable transactions={page.results} caption={`Transactions of ${user.email}`} />
            <ul className="list">
              {page.results
                .filter((txn) => txn.status === "SUCCESS")
                .map((txn) => (
                  <li key={txn.id}>
                    #{txn.id} {txn.kind} {txn.amount} {txn.currency}{" "}
                    <ConfirmButton
                      label="Reverse"
                      question={`Reverse transaction ${txn.id}?`}
                      onConfirm={() => run(() => api.reverse(txn.id, "Reversed by staff"), "Reversed.")}
                    />
                  </li>
                ))}
            </ul>
          </>
        )}
      </Loading>
    </section>
  );
}
