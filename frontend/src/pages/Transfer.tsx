/**
 * Transfers (API.md §5): the quote before sending, the emailed code above 500, and one
 * idempotency key per submission (useSubmission).
 */
import { useMemo, useState, type FormEvent } from "react";
import { ApiError } from "../api/client";
import { describeError } from "../api/messages";
import { quoteTransfer } from "../api/money";
import type { Account, Transaction } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { useLive } from "../auth/Live";
import { CodeField } from "../components/CodeField";
import { Field, Select } from "../components/Field";
import { ErrorText, Loading, Notice } from "../components/Status";
import { useLoad } from "../components/useLoad";
import { useSubmission } from "../components/useSubmission";

type Mode = "internal" | "external";

export default function Transfer() {
  const { api } = useAuth();
  const { version } = useLive();
  const accounts = useLoad(() => api.accounts(), [api, version]);
  return (
    <main>
      <h1>Send money</h1>
      <Loading state={accounts} empty="Open an account first." isEmpty={(page) => page.count === 0}>
        {(page) => <TransferForm accounts={page.results} onDone={accounts.reload} />}
      </Loading>
    </main>
  );
}

function TransferForm({ accounts, onDone }: { accounts: Account[]; onDone: () => Promise<void> }) {
  const { api } = useAuth();
  const [mode, setMode] = useState<Mode>("internal");
  const [sender, setSender] = useState(accounts[0].account_number);
  const [receiver, setReceiver] = useState(accounts[1]?.account_number ?? "");
  const [amount, setAmount] = useState("");
  const [pending, setPending] = useState<Transaction | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { busy, error, submit: send, changed } = useSubmission();

  const from = accounts.find((account) => account.account_number === sender);
  const to = accounts.find((account) => account.account_number === receiver);
  const quote = useMemo(
    () => (from ? quoteTransfer(amount, from.currency, mode === "internal" && to ? to.currency : from.currency, mode === "external") : null),
    [amount, from, to, mode],
  );

  const edit = <T,>(setter: (value: T) => void) => (value: T) => {
    setter(value);
    changed();
  };

  const finished = async (txn: Transaction) => {
    setNotice(
      `Sent ${txn.amount} ${txn.currency} (fee ${txn.fee_amount}); credited ${txn.credited_amount} ${txn.credited_currency}.`,
    );
    setAmount("");
    setPending(null);
    await onDone();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    void send(async (key) => {
      const txn =
        mode === "internal"
          ? await api.internalTransfer(sender, receiver, amount, key)
          : await api.externalTransfer(sender, receiver.trim(), amount, key);
      if (txn.status === "PENDING_OTP") {
        setPending(txn);
        setNotice("Amounts over 500 need the 6-digit code we just emailed you.");
      } else {
        await finished(txn);
      }
    });
  };

  if (pending) {
    return <ConfirmStep transaction={pending} onConfirmed={finished} onAbandon={() => setPending(null)} notice={notice} />;
  }

  return (
    <form onSubmit={submit}>
      <fieldset className="tabs">
        <legend>Send to</legend>
        <label>
          <input type="radio" name="mode" checked={mode === "internal"} onChange={() => edit(setMode)("internal")} /> My own account
        </label>
        <label>
          <input
            type="radio"
            name="mode"
            checked={mode === "external"}
            onChange={() => {
              edit(setMode)("external");
              setReceiver("");
            }}
          />{" "}
          Another customer
        </label>
      </fieldset>
      <Select label="From account" value={sender} onChange={(e) => edit(setSender)(e.target.value)}>
        {accounts.map((account) => (
          <option key={account.account_number} value={account.account_number}>
            {account.type} {account.mask} · {account.balance} {account.currency}
          </option>
        ))}
      </Select>
      {mode === "internal" ? (
        <Select label="To account" value={receiver} onChange={(e) => edit(setReceiver)(e.target.value)}>
          <option value="">Choose…</option>
          {accounts.map((account) => (
            <option key={account.account_number} value={account.account_number}>
              {account.type} {account.mask} · {account.currency}
            </option>
          ))}
        </Select>
      ) : (
        <Field
          label="Receiver's account number (12 digits)"
          inputMode="numeric"
          pattern="\d{12}"
          required
          value={receiver}
          onChange={(e) => edit(setReceiver)(e.target.value)}
        />
      )}
      <Field
        label={`Amount${from ? ` (${from.currency})` : ""}`}
        inputMode="decimal"
        required
        value={amount}
        onChange={(e) => edit(setAmount)(e.target.value)}
      />
      {quote && (
        <dl className="quote" aria-label="Quote" data-testid="quote">
          <dt>Fee</dt>
          <dd>
            {quote.fee} {from?.currency}
          </dd>
          <dt>Total debited</dt>
          <dd>
            {quote.total} {from?.currency}
          </dd>
          {mode === "internal" && to && (
            <>
              <dt>Rate</dt>
              <dd>{quote.rate ?? "Same currency"}</dd>
              <dt>Credited</dt>
              <dd>
                {quote.credited} {to.currency}
              </dd>
            </>
          )}
          {mode === "external" && (
            <>
              <dt>Credited</dt>
              <dd>{quote.amount}, converted at the fixed rates if the receiver's currency differs</dd>
            </>
          )}
        </dl>
      )}
      <button type="submit" disabled={busy}>
        {busy ? "Sending…" : "Send"}
      </button>
      <ErrorText message={error} />
      <Notice message={notice} />
    </form>
  );
}

function ConfirmStep({
  transaction,
  onConfirmed,
  onAbandon,
  notice,
}: {
  transaction: Transaction;
  onConfirmed: (txn: Transaction) => Promise<void>;
  onAbandon: () => void;
  notice: string | null;
}) {
  const { api } = useAuth();
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [dead, setDead] = useState(false);

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onConfirmed(await api.confirmTransfer(transaction.id, code));
    } catch (caught) {
      setError(describeError(caught));
      if (caught instanceof ApiError && caught.code !== "invalid_otp") setDead(true);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={confirm}>
      <Notice message={notice} />
      <p>
        Confirm sending {transaction.amount} {transaction.currency} (fee {transaction.fee_amount}) to{" "}
        {transaction.receiver_account_number}.
      </p>
      <CodeField value={code} onChange={setCode} />
      <button type="submit" disabled={busy || dead}>
        Confirm transfer
      </button>
      <button type="button" className="secondary" onClick={onAbandon}>
        {dead ? "Start again" : "Cancel"}
      </button>
      <ErrorText message={error} />
    </form>
  );
}
