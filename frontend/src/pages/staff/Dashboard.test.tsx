import { screen } from "@testing-library/react";
import { CUSTOMER, page, renderPage } from "../../test/server";
import Dashboard, { fillDays } from "./Dashboard";

const STAFF = { ...CUSTOMER, is_staff: true };
const ZERO_DAY = {
  id: null,
  date: "2026-03-01",
  total_transactions_success: 0,
  total_transactions_failed: 0,
  total_transferred_amount: "0.00",
  fee_revenue: "0.00",
  bill_payments_count: 0,
  net_revenue: "0.00",
  active_users: 0,
  new_users: 0,
  failed_logins: 0,
  incidents: 0,
};

test("a day without data is a zeroed day with empty breakdowns, not a crash", async () => {
  renderPage(
    <Dashboard />,
    {
      "GET /business/overview/": { body: { daily: ZERO_DAY, weekly: [], monthly: [], country: [], currency: [], active: [] } },
      "GET /business/daily/": { body: page([]) },
    },
    { user: STAFF },
  );

  expect(await screen.findByText("Key figures of 2026-03-01")).toBeInTheDocument();
  expect(screen.getByTestId("kpis")).toHaveTextContent("Fee revenue (JOD)0.00");
  expect(screen.getByText("By country: nothing recorded that day.")).toBeInTheDocument();
  expect(screen.getByText("Weekly: no data yet.")).toBeInTheDocument();
});

test("missing days are drawn as zero", () => {
  const points = fillDays([{ ...ZERO_DAY, id: 1, date: "2026-03-02", total_transactions_success: 4 } as never], "2026-03-01", "2026-03-03");

  expect(points.map((point) => point.transactions)).toEqual([0, 4, 0]);
});

test("a failing overview is announced", async () => {
  renderPage(
    <Dashboard />,
    {
      "GET /business/overview/": { status: 403, body: { detail: "No", code: "permission_denied" } },
      "GET /business/daily/": { body: page([]) },
    },
    { user: STAFF },
  );

  expect(await screen.findByRole("alert")).toHaveTextContent("You are not allowed to do this.");
});
