import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { page, renderPage } from "../test/server";
import Transfer from "./Transfer";

const JOD = { account_number: "111111111111", mask: "********1111", type: "Savings", currency: "JOD", balance: "1000.00" };
const USD = { account_number: "222222222222", mask: "********2222", type: "USD", currency: "USD", balance: "0.00" };
const DONE = {
  id: 9,
  status: "SUCCESS",
  amount: "100.00",
  fee_amount: "0.00",
  currency: "JOD",
  credited_amount: "141.00",
  credited_currency: "USD",
};

async function fillInternal(amount: string) {
  const user = userEvent.setup();
  await user.selectOptions(await screen.findByLabelText("To account"), USD.account_number);
  await user.type(screen.getByLabelText("Amount (JOD)"), amount);
  return user;
}

test("shows the FX quote before sending", async () => {
  renderPage(<Transfer />, { "GET /api/accounts": { body: page([JOD, USD]) } });

  await fillInternal("100");

  const quote = screen.getByTestId("quote");
  expect(quote).toHaveTextContent("1 JOD = 1.4100 USD");
  expect(quote).toHaveTextContent("141.00 USD");
  expect(quote).toHaveTextContent("Fee0.00 JOD");
});

test("each submission carries a fresh idempotency key; a double click sends once", async () => {
  const server = renderPage(<Transfer />, {
    "GET /api/accounts": { body: page([JOD, USD]) },
    "POST /api/transfers/internal/": { status: 201, body: DONE },
  });
  const user = await fillInternal("100");

  await user.dblClick(screen.getByRole("button", { name: "Send" }));
  await screen.findByText(/Sent 100.00 JOD/);
  await user.selectOptions(screen.getByLabelText("To account"), USD.account_number);
  await user.type(screen.getByLabelText("Amount (JOD)"), "100");
  await user.click(screen.getByRole("button", { name: "Send" }));
  await waitFor(() => expect(server.requests.filter((r) => r.method === "POST")).toHaveLength(2));

  const keys = server.requests.filter((r) => r.method === "POST").map((r) => (r.body as { idempotency_key: string }).idempotency_key);
  expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
  expect(keys[1]).not.toBe(keys[0]);
});

test("sending again after a lost answer reuses the key, so it cannot pay twice", async () => {
  const server = renderPage(<Transfer />, {
    "GET /api/accounts": { body: page([JOD, USD]) },
    "POST /api/transfers/internal/": [
      () => Promise.reject(new TypeError("Failed to fetch")),
      { status: 200, body: DONE },
    ],
  });
  const user = await fillInternal("100");

  await user.click(screen.getByRole("button", { name: "Send" }));
  expect(await screen.findByRole("alert")).toHaveTextContent(/could not be reached/);
  await user.click(screen.getByRole("button", { name: "Send" }));
  await screen.findByText(/Sent 100.00 JOD/);

  const posts = server.requests.filter((r) => r.method === "POST");
  expect(posts).toHaveLength(2);
  expect(posts[1].body).toEqual(posts[0].body);
});

test("a business refusal is a sentence", async () => {
  renderPage(<Transfer />, {
    "GET /api/accounts": { body: page([JOD, USD]) },
    "POST /api/transfers/internal/": {
      status: 400,
      body: { detail: "Insufficient funds.", code: "insufficient_funds", errors: { non_field_errors: ["Insufficient funds."] } },
    },
  });
  const user = await fillInternal("5000");

  await user.click(screen.getByRole("button", { name: "Send" }));

  expect(await screen.findByRole("alert")).toHaveTextContent("The account does not have enough money for this amount and its fee.");
});

test("over 500 asks for the emailed code and confirms with it", async () => {
  const server = renderPage(<Transfer />, {
    "GET /api/accounts": { body: page([JOD, USD]) },
    "POST /api/transfers/external/": { status: 202, body: { ...DONE, status: "PENDING_OTP", amount: "600.00", fee_amount: "6.00", receiver_account_number: "333333333333" } },
    "POST /api/transfers/confirm/": [
      { status: 400, body: { detail: "Invalid code.", code: "invalid_otp", attempts_left: 2 } },
      { body: { ...DONE, amount: "600.00", fee_amount: "6.00", credited_amount: "600.00", credited_currency: "JOD" } },
    ],
  });
  const user = userEvent.setup();
  await user.click(await screen.findByLabelText("Another customer"));
  await user.type(screen.getByLabelText(/Receiver's account number/), "333333333333");
  await user.type(screen.getByLabelText("Amount (JOD)"), "600");
  await user.click(screen.getByRole("button", { name: "Send" }));

  await user.type(await screen.findByLabelText("6-digit code"), "111111");
  await user.click(screen.getByRole("button", { name: "Confirm transfer" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("That code is not right. 2 tries left.");
  await user.clear(screen.getByLabelText("6-digit code"));
  await user.type(screen.getByLabelText("6-digit code"), "123456");
  await user.click(screen.getByRole("button", { name: "Confirm transfer" }));

  await screen.findByText(/Sent 600.00 JOD \(fee 6.00\)/);
  expect(server.requests.at(-2)?.body).toEqual({ transaction_id: 9, otp_code: "123456" });
});
