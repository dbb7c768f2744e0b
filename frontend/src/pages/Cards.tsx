/** Cards (API.md §4.4–4.5): per account; issue, freeze and unfreeze. */
import { useState } from "react";
import type { Account } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { Select } from "../components/Field";
import { ErrorText, Loading } from "../components/Status";
import { useAction } from "../components/useAction";
import { useLoad } from "../components/useLoad";

export default function Cards() {
  const { api } = useAuth();
  const accounts = useLoad(() => api.accounts(), [api]);
  return (
    <main>
      <h1>Cards</h1>
      <Loading state={accounts} empty="Open an account first: cards belong to accounts." isEmpty={(page) => page.count === 0}>
        {(page) => page.results.map((account) => <AccountCards key={account.account_number} account={account} />)}
      </Loading>
    </main>
  );
}

function AccountCards({ account }: { account: Account }) {
  const { api } = useAuth();
  const cards = useLoad(() => api.cards(account.account_number), [api, account.account_number]);
  const [cardType, setCardType] = useState("DEBIT");
  const { error, run } = useAction(cards.reload);
  const act = (action: () => Promise<unknown>) => () => run(action);

  return (
    <section aria-label={`Cards of ${account.mask}`}>
      <h2>
        {account.type} {account.mask} ({account.currency})
      </h2>
      <Loading state={cards} empty="No cards on this account." isEmpty={(page) => page.count === 0}>
        {(page) => (
          <ul className="list">
            {page.results.map((card) => (
              <li key={card.id}>
                {card.card_type} •••• {card.last4}, expires {card.expiration_date}, {card.is_active ? "active" : "frozen"}{" "}
                <button type="button" className="secondary" onClick={act(() => api.setCardActive(card.id, !card.is_active))}>
                  {card.is_active ? "Freeze" : "Unfreeze"}
                </button>
              </li>
            ))}
          </ul>
        )}
      </Loading>
      <div className="inline-form">
        <Select label="Card type" value={cardType} onChange={(e) => setCardType(e.target.value)}>
          <option>DEBIT</option>
          <option>CREDIT</option>
        </Select>
        <button type="button" onClick={act(() => api.issueCard(account.account_number, cardType))}>
          Issue card
        </button>
      </div>
      <ErrorText message={error} />
    </section>
  );
}
