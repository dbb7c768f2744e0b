import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { CUSTOMER, page, renderPage } from "../../test/server";
import Users from "./Users";

const STAFF = { ...CUSTOMER, id: 1, email: "admin@nexus.local", is_staff: true };
const LEDGER = { ok: true, currencies: [], accounts_checked: 3, mismatched_accounts: [] };

test("block asks first, then acts and shows the list as the server now has it", async () => {
  const server = renderPage(
    <Users />,
    {
      "GET /auth/users/": [{ body: page([CUSTOMER]) }, { body: page([{ ...CUSTOMER, is_active: false }]) }],
      "GET /api/admin/ledger/verify/": { body: LEDGER },
      "POST /api/admin/users/7/block/": { body: { detail: "User blocked." } },
    },
    { user: STAFF },
  );
  const user = userEvent.setup();
  const row = await screen.findByTestId(`user-${CUSTOMER.email}`);
  expect(screen.getByTestId("ledger")).toHaveTextContent("Ledger balanced: 3 accounts checked.");

  await user.click(within(row).getByRole("button", { name: "Block" }));
  expect(server.requests.some((r) => r.method === "POST")).toBe(false);
  expect(within(row).getByText(`Block ${CUSTOMER.email} and end their sessions?`)).toBeInTheDocument();
  await user.click(within(row).getByRole("button", { name: "Yes, block" }));

  expect(await screen.findByText("User blocked.")).toBeInTheDocument();
  expect(screen.getByTestId(`user-${CUSTOMER.email}`)).toHaveTextContent("blocked");
  expect(server.requests.filter((r) => r.path.startsWith("/auth/users/?"))).toHaveLength(2);
});

test("a refused action is announced and the list still refreshed", async () => {
  const server = renderPage(
    <Users />,
    {
      "GET /auth/users/": { body: page([CUSTOMER]) },
      "GET /api/admin/ledger/verify/": { body: LEDGER },
      "POST /api/admin/users/7/terminate-session/": { status: 403, body: { detail: "No", code: "permission_denied" } },
    },
    { user: STAFF },
  );
  const user = userEvent.setup();
  const row = await screen.findByTestId(`user-${CUSTOMER.email}`);

  await user.click(within(row).getByRole("button", { name: "End sessions" }));
  await user.click(within(row).getByRole("button", { name: "Yes, end sessions" }));

  expect(await screen.findByText("You are not allowed to do this.")).toHaveAttribute("role", "alert");
  await vi.waitFor(() => expect(server.requests.filter((r) => r.path.startsWith("/auth/users/?"))).toHaveLength(2));
});
