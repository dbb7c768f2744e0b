import { screen } from "@testing-library/react";
import { page, renderPage } from "../test/server";
import Home from "./Home";

const JOD = { account_number: "111111111111", mask: "********1111", type: "Savings", currency: "JOD", balance: "250.00", is_active: true };

test("loading, then accounts with masked numbers and balances", async () => {
  renderPage(<Home />, {
    "GET /api/accounts": { body: page([JOD]) },
    "GET /api/notifications/": { body: page([{ id: 1, message: "Received 10.00 JOD", is_read: false }]) },
    "GET /api/accounts/111111111111/transactions/": { body: page([]) },
  });

  expect(await screen.findAllByText("Loading…")).not.toHaveLength(0);
  const card = await screen.findByTestId("account-JOD");
  expect(card).toHaveTextContent("Savings · ********1111");
  expect(card).toHaveTextContent("250.00 JOD");
  expect(card).not.toHaveTextContent("111111111111 ");
  expect(await screen.findByText("Received 10.00 JOD")).toBeInTheDocument();
  expect(await screen.findByText("No transactions yet.")).toBeInTheDocument();
});

test("a new customer sees the empty states", async () => {
  renderPage(<Home />, {
    "GET /api/accounts": { body: page([]) },
    "GET /api/notifications/": { body: page([]) },
  });

  expect(await screen.findByText("You have no account yet: open one below.")).toBeInTheDocument();
  expect(await screen.findByText("Nothing new.")).toBeInTheDocument();
});

test("an error is announced, not a blank page", async () => {
  renderPage(<Home />, {
    "GET /api/accounts": { status: 503, body: { detail: "Busy", code: "service_unavailable" } },
    "GET /api/notifications/": { body: page([]) },
  });

  const messages = await screen.findAllByText("The bank is busy right now. Try again in a moment.");
  messages.forEach((message) => expect(message).toHaveAttribute("role", "alert"));
  expect(screen.queryByTestId("account-JOD")).toBeNull();
});
