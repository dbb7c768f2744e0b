import { ApiClient, ApiError } from "./client";
import { endpoints } from "./endpoints";
import { fakeFetch, json } from "../test/server";

const TOKENS = { access: "access-1", refresh: "refresh-1" };
const ROTATED = { access: "access-2", refresh: "refresh-2" };
const EXPIRED = { status: 401, body: { detail: "Token is invalid or expired", code: "token_not_valid" } };

function signedIn(routes: Parameters<typeof fakeFetch>[0]) {
  const server = fakeFetch(routes);
  const client = new ApiClient(server.fetchImpl);
  client.setTokens(TOKENS);
  const signedOut = vi.fn();
  client.onSignedOut(signedOut);
  return { ...server, client, signedOut };
}

test("a 401 refreshes once with the rotating token and retries the same request", async () => {
  const { client, requests, signedOut } = signedIn({
    "POST /api/transfers/internal/": [EXPIRED, { status: 201, body: { id: 1, status: "SUCCESS" } }],
    "POST /auth/jwt/refresh/": { body: ROTATED },
  });

  const txn = await endpoints(client).internalTransfer("111111111111", "222222222222", "10.00", "key-1");

  expect(txn).toEqual({ id: 1, status: "SUCCESS" });
  expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
    "POST /api/transfers/internal/",
    "POST /auth/jwt/refresh/",
    "POST /api/transfers/internal/",
  ]);
  expect(requests[1].body).toEqual({ refresh: "refresh-1" });
  expect(requests[1].headers.Authorization).toBeUndefined();
  expect(requests[2].headers.Authorization).toBe("Bearer access-2");
  // The retry is the same submission: same body, same idempotency key.
  expect(requests[2].body).toEqual(requests[0].body);
  expect(client.refreshToken).toBe("refresh-2");
  expect(signedOut).not.toHaveBeenCalled();
});

test("a refused refresh signs out after one try", async () => {
  const { client, requests, signedOut } = signedIn({
    "GET /auth/users/me/": EXPIRED,
    "POST /auth/jwt/refresh/": EXPIRED,
  });

  await expect(endpoints(client).me()).rejects.toMatchObject({ status: 401, code: "token_not_valid" });

  expect(requests).toHaveLength(2);
  expect(signedOut).toHaveBeenCalledTimes(1);
  expect(client.accessToken).toBeNull();
});

test("a 401 after a successful refresh signs out without a second refresh (blocked user)", async () => {
  const { client, requests, signedOut } = signedIn({
    "GET /auth/users/me/": EXPIRED,
    "POST /auth/jwt/refresh/": { body: ROTATED },
  });

  await expect(endpoints(client).me()).rejects.toBeInstanceOf(ApiError);

  expect(requests.map((r) => r.path)).toEqual(["/auth/users/me/", "/auth/jwt/refresh/", "/auth/users/me/"]);
  expect(signedOut).toHaveBeenCalledTimes(1);
});

test("concurrent 401s share one refresh (the old refresh token dies on use)", async () => {
  const { client, requests } = signedIn({
    "GET /api/accounts": [EXPIRED, EXPIRED, { body: { count: 0, results: [] } }],
    "POST /auth/jwt/refresh/": { body: ROTATED },
  });
  const api = endpoints(client);

  await Promise.all([api.accounts(), api.accounts()]);

  expect(requests.filter((r) => r.path === "/auth/jwt/refresh/")).toHaveLength(1);
});

test("anonymous calls never refresh: a wrong password is just an error", async () => {
  const { client, requests, signedOut } = signedIn({
    "POST /auth/login/init/": { status: 401, body: { detail: "Invalid email or password.", code: "invalid_credentials" } },
  });

  await expect(endpoints(client).loginInit("a@b.c", "nope")).rejects.toMatchObject({ code: "invalid_credentials" });

  expect(requests).toHaveLength(1);
  expect(signedOut).not.toHaveBeenCalled();
});

test("errors keep the contract's body: code, field errors, extras", async () => {
  const server = fakeFetch({
    "POST /api/transfers/confirm/": () =>
      json({ detail: "Invalid code.", code: "invalid_otp", errors: { otp_code: ["Invalid code."] }, attempts_left: 2 }, 400),
  });
  const api = endpoints(new ApiClient(server.fetchImpl));

  const error = await api.confirmTransfer(5, "000000").catch((caught) => caught);

  expect(error).toBeInstanceOf(ApiError);
  expect(error.code).toBe("invalid_otp");
  expect(error.errors).toEqual({ otp_code: ["Invalid code."] });
  expect(error.body.attempts_left).toBe(2);
});
