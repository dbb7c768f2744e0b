/**
 * The scenario in a real browser: register → sign in with the code → open JOD
 * and USD accounts → staff deposit → own-account transfer with the FX quote → external
 * transfer over 500 with the code → pay a bill → the receiver's open page shows it live →
 * the staff dashboard shows today's transfers and fees → staff block the customer → the
 * customer's page signs out. Screenshots of each page go to frontend/test-results/screenshots/
 * (SCREENSHOTS_DIR overrides it: `SCREENSHOTS_DIR=$PWD/../docs/screenshots` refreshes the README's).
 */
import { expect, test, type Browser, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Mailbox } from "./mailbox";

const SHOTS = process.env.SCREENSHOTS_DIR || fileURLToPath(new URL("../test-results/screenshots", import.meta.url));
const STAFF = { email: "admin@nexus.local", password: "Nexus-Admin-2026" };
const PASSWORD = "Blue-Harbour-2026";
const run = Date.now().toString(36);
const CUSTOMER = { email: `rania.${run}@example.com`, first: "Rania", last: "Haddad" };
const RECEIVER = { email: `omar.${run}@example.com`, first: "Omar", last: "Khalil" };

let mailbox: Mailbox;
/** Script errors and CSP violations of any page: the run fails on any. */
const problems: string[] = [];

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function newPage(browser: Browser, phone = false): Promise<Page> {
  const context = await browser.newContext({
    baseURL: process.env.E2E_BASE_URL,
    viewport: phone ? { width: 390, height: 844 } : { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) {
      problems.push(`CSP violation: ${message.text()}`);
    }
  });
  return page;
}

async function signIn(page: Page, email: string, password: string, screenshot?: string): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  mailbox.mark();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("status").filter({ hasText: "We emailed a 6-digit code" })).toBeVisible();
  await page.getByLabel("6-digit code").fill(await mailbox.code(email));
  if (screenshot) await shot(page, screenshot);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Hello/ })).toBeVisible();
}

async function register(page: Page, who: typeof CUSTOMER, screenshot?: string): Promise<void> {
  await page.goto("/register");
  await page.getByLabel("First name").fill(who.first);
  await page.getByLabel("Last name").fill(who.last);
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Country (2 letters, optional)").fill("JO");
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Repeat password").fill(PASSWORD);
  if (screenshot) await shot(page, screenshot);
  await page.getByRole("button", { name: "Register" }).click();
  await expect(page.getByText(`Welcome, ${who.first}.`)).toBeVisible();
}

async function openAccount(page: Page, type: string): Promise<void> {
  await page.getByLabel("Account type").selectOption(type);
  await page.getByRole("button", { name: "Open account" }).click();
}

async function accountNumber(page: Page, currency: string): Promise<string> {
  const href = await page.getByTestId(`account-${currency}`).getByRole("link", { name: "Statement" }).getAttribute("href");
  return href!.split("/").pop()!;
}

test("a customer banks in the browser; staff watch and act", async ({ browser }) => {
  mailbox = new Mailbox(process.env.E2E_MAIL_DIR!);
  const customer = await newPage(browser);

  await test.step("register and sign in with the emailed code", async () => {
    await register(customer, CUSTOMER, "register");
    await signIn(customer, CUSTOMER.email, PASSWORD, "sign-in-code");
  });

  await test.step("open JOD and USD accounts", async () => {
    await expect(customer.getByText("You have no account yet")).toBeVisible();
    await openAccount(customer, "Savings");
    await expect(customer.getByTestId("account-JOD")).toContainText("0.00 JOD");
    await openAccount(customer, "USD");
    await expect(customer.getByTestId("account-USD")).toContainText("0.00 USD");
  });
  const jodAccount = await accountNumber(customer, "JOD");
  const usdAccount = await accountNumber(customer, "USD");

  const receiver = await newPage(browser, true);
  await test.step("the receiver has an account and keeps their page open", async () => {
    await register(receiver, RECEIVER);
    await signIn(receiver, RECEIVER.email, PASSWORD);
    await openAccount(receiver, "Basic");
    await expect(receiver.getByTestId("account-JOD")).toContainText("0.00 JOD");
  });
  const receiverAccount = await accountNumber(receiver, "JOD");

  const staff = await newPage(browser);
  await test.step("staff deposit 2,000.00 JOD, with a confirmation; the customer sees it live", async () => {
    await signIn(staff, STAFF.email, STAFF.password);
    await staff.getByRole("link", { name: "Users" }).click();
    await staff.getByLabel("Search users (email or name)").fill(CUSTOMER.email);
    await staff.getByTestId(`user-${CUSTOMER.email}`).getByRole("button", { name: "Accounts" }).click();
    const account = staff.getByTestId("staff-account-JOD");
    await account.getByLabel("Deposit amount (JOD)").fill("2000");
    await account.getByRole("button", { name: "Deposit" }).click();
    await expect(account.getByText(`Deposit 2000 JOD into ${jodAccount}?`)).toBeVisible();
    await account.getByRole("button", { name: "Yes, deposit" }).click();
    await expect(staff.getByTestId("staff-account-JOD")).toContainText("2000.00 JOD");
    await expect(customer.getByTestId("account-JOD")).toContainText("2000.00 JOD");
    await shot(customer, "home");
  });

  await test.step("transfer between own accounts with the FX quote", async () => {
    await customer.getByRole("link", { name: "Transfer" }).click();
    await customer.getByLabel("From account").selectOption(jodAccount);
    await customer.getByLabel("To account").selectOption(usdAccount);
    await customer.getByLabel("Amount (JOD)").fill("100");
    await expect(customer.getByTestId("quote")).toContainText("1 JOD = 1.4100 USD");
    await expect(customer.getByTestId("quote")).toContainText("141.00 USD");
    await shot(customer, "transfer-quote");
    await customer.getByRole("button", { name: "Send" }).click();
    await expect(customer.getByText("Sent 100.00 JOD (fee 0.00); credited 141.00 USD.")).toBeVisible();
  });

  await test.step("external transfer over 500 with the emailed code; the receiver sees it live", async () => {
    await customer.getByLabel("Another customer").check();
    await customer.getByLabel("Receiver's account number (12 digits)").fill(receiverAccount);
    await customer.getByLabel("Amount (JOD)").fill("600");
    await expect(customer.getByTestId("quote")).toContainText("606.00 JOD");
    mailbox.mark();
    await customer.getByRole("button", { name: "Send" }).click();
    await customer.getByLabel("6-digit code").fill(await mailbox.code(CUSTOMER.email));
    await shot(customer, "transfer-code");
    await customer.getByRole("button", { name: "Confirm transfer" }).click();
    await expect(customer.getByText("Sent 600.00 JOD (fee 6.00); credited 600.00 JOD.")).toBeVisible();

    await expect(receiver.locator(".toast").filter({ hasText: "600.00" })).toBeVisible();
    await expect(receiver.getByTestId("account-JOD")).toContainText("600.00 JOD");
    await expect(receiver.getByTestId("unread")).toContainText("600.00");
    await expect(receiver.getByRole("table")).toContainText("EXTERNAL");
    await shot(receiver, "receiver-live-phone");
  });

  await test.step("pay a bill", async () => {
    await customer.getByRole("link", { name: "Bills" }).click();
    const biller = customer.getByLabel("Biller");
    await expect(biller.locator("option")).not.toHaveCount(1);
    await biller.selectOption({ index: 1 });
    await customer.getByLabel("Reference number").fill("ELEC-778812");
    await customer.getByLabel("From account").selectOption(jodAccount);
    await customer.getByRole("button", { name: "Pay" }).click();
    await expect(customer.locator("p.notice", { hasText: /^Paid / })).toBeVisible();
    await expect(customer.getByRole("table")).toContainText("ELEC-778812");
    await shot(customer, "bills");
  });

  await test.step("statement, cards and notifications", async () => {
    await customer.getByRole("link", { name: "Statement" }).first().click();
    // The router renders the new page in a transition: until the heading shows, "Account" would
    // also match the bills page's "From account" select, still on screen.
    await expect(customer.getByRole("heading", { name: "Statement", exact: true })).toBeVisible();
    await customer.getByLabel("Account", { exact: true }).selectOption(jodAccount);
    await expect(customer.getByRole("table")).toContainText("EXTERNAL");
    await customer.getByLabel("Kind").selectOption("DEPOSIT");
    await expect(customer.getByRole("table")).not.toContainText("EXTERNAL");
    const download = customer.waitForEvent("download");
    await customer.getByRole("button", { name: "Download CSV" }).click();
    expect((await download).suggestedFilename()).toBe(`statement-${jodAccount}.csv`);
    await shot(customer, "statement");

    await customer.getByRole("link", { name: "Cards" }).click();
    await customer.getByRole("button", { name: "Issue card" }).first().click();
    await expect(customer.getByText(/DEBIT •••• \d{4}/)).toBeVisible();
    await shot(customer, "cards");

    await customer.getByRole("link", { name: "Notifications" }).click();
    await expect(customer.getByRole("listitem").filter({ hasText: "600.00" }).first()).toBeVisible();
    await shot(customer, "notifications");
  });

  await test.step("the staff dashboard shows today's transfers and fee revenue", async () => {
    await staff.getByRole("link", { name: "Dashboard" }).click();
    const kpis = staff.getByTestId("kpis");
    await expect(kpis).toContainText("Transfers2");
    await expect(kpis).toContainText("Fee revenue (JOD)6.00");
    await staff.getByRole("button", { name: /^Read / }).click();
    await expect(staff.getByText(/Deterministic reading|Generated by AI/)).toBeVisible();
    await shot(staff, "staff-dashboard");

    await staff.getByRole("link", { name: "Risk" }).click();
    await expect(staff.getByRole("heading", { name: "Incidents" })).toBeVisible();
    await expect(staff.getByText("No incidents match.").or(staff.locator(".severity").first())).toBeVisible();
    await shot(staff, "staff-risk");
  });

  await test.step("staff block the customer; the customer's page signs out", async () => {
    await customer.getByRole("link", { name: "Home" }).click();
    await staff.getByRole("link", { name: "Users" }).click();
    await staff.getByLabel("Search users (email or name)").fill(CUSTOMER.email);
    const row = staff.getByTestId(`user-${CUSTOMER.email}`);
    await row.getByRole("button", { name: "Block" }).click();
    await row.getByRole("button", { name: "Yes, block" }).click();
    await expect(staff.getByTestId(`user-${CUSTOMER.email}`)).toContainText("blocked");
    await shot(staff, "staff-users");

    await expect(customer.getByRole("heading", { name: "Sign in to Nexus Bank" })).toBeVisible({ timeout: 10_000 });
    await expect(customer.getByText(/session has ended/)).toBeVisible();
    await shot(customer, "signed-out");
  });

  expect(problems).toEqual([]);
});
