import { quoteTransfer, toCents } from "./money";

test.each([
  ["100.00", "JOD", "USD", "141.00"],
  ["100.00", "USD", "JOD", "70.92"],
  ["100.00", "USD", "EUR", "92.90"],
  ["100.00", "EUR", "JOD", "76.33"],
  ["0.02", "EUR", "JOD", "0.01"],
] as const)("%s %s credits %s %s as the contract's examples", (amount, from, to, credited) => {
  expect(quoteTransfer(amount, from, to, false)?.credited).toBe(credited);
});

test("the external fee is 1% rounded half-up, on top of the amount", () => {
  expect(quoteTransfer("100.00", "JOD", "JOD", true)).toMatchObject({ fee: "1.00", total: "101.00" });
  expect(quoteTransfer("0.50", "JOD", "JOD", true)).toMatchObject({ fee: "0.01", total: "0.51" });
  expect(quoteTransfer("600", "JOD", "JOD", true)).toMatchObject({ fee: "6.00", total: "606.00" });
});

test("no quote for what the server would refuse", () => {
  expect(quoteTransfer("", "JOD", "USD", false)).toBeNull();
  expect(quoteTransfer("1.005", "JOD", "USD", false)).toBeNull();
  expect(quoteTransfer("0", "JOD", "USD", false)).toBeNull();
  expect(toCents("-3")).toBeNull();
});
