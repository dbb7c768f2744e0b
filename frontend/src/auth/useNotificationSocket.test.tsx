import { act, screen } from "@testing-library/react";
import App from "../App";
import { CUSTOMER, page, renderPage } from "../test/server";
import { REVOKED, socketUrl } from "./useNotificationSocket";

type FakeSocket = { url: string; onclose: ((event: { code: number }) => void) | null };
const sockets = () => (globalThis.WebSocket as unknown as { instances: FakeSocket[] }).instances;
const REFUSED = { status: 401, body: { detail: "Token is invalid", code: "token_not_valid" } };

/** The page's newest socket, once it has opened more than ``before``: it opens after the greeting may show. */
async function openedSocket(before: number) {
  await vi.waitFor(() => expect(sockets().length).toBeGreaterThan(before));
  return sockets().at(-1)!;
}

test("the socket URL is same-origin with the access token", () => {
  const location = { protocol: "https:", host: "bank.example" } as Location;
  expect(socketUrl("a b", location)).toBe("wss://bank.example/ws/notifications/?token=a%20b");
});

test("a socket closed with 4001 for a blocked user signs the page out", async () => {
  const earlier = sockets().length;
  const server = renderPage(
    <App />,
    {
      // Signed in once; then blocked: every token is refused, the refresh too.
      "GET /auth/users/me/": [{ body: CUSTOMER }, REFUSED],
      "POST /auth/jwt/refresh/": REFUSED,
      "GET /api/accounts": { body: page([]) },
      "GET /api/notifications/": { body: page([]) },
    },
    { pattern: "/*" },
  );
  await screen.findByText("Hello, Rania");
  const socket = await openedSocket(earlier);
  expect(socket.url).toContain("token=access-1");

  await act(async () => socket.onclose?.({ code: REVOKED }));

  expect(await screen.findByRole("heading", { name: "Sign in to Nexus Bank" })).toBeInTheDocument();
  expect(screen.getByText("Your session has ended. Please sign in again.")).toBeInTheDocument();
  expect(server.requests.map((r) => r.path)).toContain("/auth/jwt/refresh/");
});

test("a socket closed with 4001 for a merely expired token refreshes and reconnects", async () => {
  const earlier = sockets().length;
  renderPage(
    <App />,
    {
      "GET /auth/users/me/": [{ body: CUSTOMER }, REFUSED, { body: CUSTOMER }],
      "POST /auth/jwt/refresh/": { body: { access: "access-2", refresh: "refresh-2" } },
      "GET /api/accounts": { body: page([]) },
      "GET /api/notifications/": { body: page([]) },
    },
    { pattern: "/*" },
  );
  await screen.findByText("Hello, Rania");
  const socket = await openedSocket(earlier);
  const before = sockets().length;

  await act(async () => socket.onclose?.({ code: REVOKED }));

  await vi.waitFor(() => expect(sockets().length).toBe(before + 1));
  expect(sockets().at(-1)!.url).toContain("token=access-2");
  expect(screen.getByText("Hello, Rania")).toBeInTheDocument();
});
