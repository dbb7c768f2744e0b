import { ApiError } from "./client";
import { describeError } from "./messages";

test("business refusals read as sentences", () => {
  expect(describeError(new ApiError(400, { code: "insufficient_funds", detail: "x" }))).toMatch(/not have enough money/);
  expect(describeError(new ApiError(400, { code: "account_frozen", detail: "x" }))).toMatch(/frozen/);
  expect(describeError(new ApiError(400, { code: "daily_limit_exceeded", detail: "x" }))).toMatch(/daily limit/);
  expect(describeError(new ApiError(429, { code: "locked_out", detail: "x" }))).toMatch(/Try again in an hour/);
});

test("a wrong code says how many tries are left", () => {
  expect(describeError(new ApiError(400, { code: "invalid_otp", detail: "x", attempts_left: 1 }))).toBe(
    "That code is not right. 1 try left.",
  );
});

test("validation errors name their field; a network failure says so", () => {
  const error = new ApiError(400, { code: "validation_error", detail: "x", errors: { re_password: ["Passwords differ."] } });
  expect(describeError(error)).toBe("re password: Passwords differ.");
  expect(describeError(new TypeError("Failed to fetch"))).toMatch(/could not be reached/);
});
