/** Statement per account (API.md §4.3): date range, kind and status filters; CSV download. */
import { useState } from "react";
import { useNavigate, useParams } from "react-router-dom";
import { transactionsCsv } from "../api/csv";
import type { Query } from "../api/endpoints";
import { describeError } from "../api/messages";
import type { Transaction } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { Field, Select } from "../components/Field";
import { ErrorText, Loading } from "../components/Status";
import { TransactionTable } from "../components/TransactionTable";
import { useLoad } from "../components/useLoad";

const MAX_PAGE = 100;

export default function Statement() {
  const { api } = useAuth();
  const { accountNumber = "" } = useParams();
  const navigate = useNavigate();
  const accounts = useLoad(() => api.accounts(), [api]);
  const [filters, setFilters] = useState({ date_from: "", date_to: "", kind: "", status: "" });
  const [page, setPage] = useState(1);
  const [error, setError] = useState<string | null>(null);
  const current = accountNumber || accounts.data?.results[0]?.account_number || "";
  const query: Query = { ...filters, page };
  const statement = useLoad(
    async () => (current ? api.statement(current, query) : null),
    [api, current, JSON.stringify(query)],
  );

  const setFilter = (name: keyof typeof filters) => (event: { target: { value: string } }) => {
    setFilters((old) => ({ ...old, [name]: event.target.value }));
    setPage(1);
  };

  const download = async () => {
    setError(null);
    try {
      const rows: Transaction[] = [];
      for (let next = 1; ; next += 1) {
        const result = await api.statement(current, { ...filters, page: next, page_size: MAX_PAGE });
        rows.push(...result.results);
        if (!result.next) break;
      }
      const url = URL.createObjectURL(new Blob([transactionsCsv(rows)], { type: "text/csv" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = `statement-${current}.csv`;
      link.click();
      URL.revokeObjectURL(url);
    } catch (caught) {
      setError(describeError(caught));
    }
  };

  return (
    <main>
      <h1>Statement</h1>
      <div className="filters">
        <Select label="Account" value={current} onChange={(e) => navigate(`/statement/${e.target.value}`)}>
          {accounts.data?.results.map((account) => (
            <option key={account.account_number} value={account.account_number}>
              {account.type} {account.mask} ({account.currency})
            </option>
          ))}
        </Select>
        <Field label="From date" type="date" value={filters.date_from} onChange={setFilter("date_from")} />
        <Field label="To date" type="date" value={filters.date_to} onChange={setFilter("date_to")} />
        <Select label="Kind" value={filters.kind} onChange={setFilter("kind")}>
          <option value="">All</option>
          {["INTERNAL", "EXTERNAL", "DEPOSIT", "BILL"].map((kind) => (
            <option key={kind}>{kind}</option>
          ))}
        </Select>
        <Select label="Status" value={filters.status} onChange={setFilter("status")}>
          <option value="">All</option>
          {["SUCCESS", "FAILED", "REVERSED", "PENDING_OTP"].map((status) => (
            <option key={status}>{status}</option>
          ))}
        </Select>
      </div>
      <button type="button" className="secondary" onClick={download} disabled={!current}>
        Download CSV
      </button>
      <ErrorText message={error} />
      <Loading
        state={statement}
        empty="No transactions match these filters."
        isEmpty={(result) => !result || result.count === 0}
      >
        {(result) =>
          result && (
            <>
              <TransactionTable transactions={result.results} caption={`${result.count} transactions`} />
              <nav className="pager" aria-label="Pages">
                <button type="button" className="secondary" disabled={!result.previous} onClick={() => setPage(page - 1)}>
                  Previous
                </button>
                <span>Page {page}</span>
                <button type="button" className="secondary" disabled={!result.next} onClick={() => setPage(page + 1)}>
                  Next
                </button>
              </nav>
            </>
          )
        }
      </Loading>
    </main>
  );
}
