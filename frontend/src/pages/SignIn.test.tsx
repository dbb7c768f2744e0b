import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router-dom";
import { ApiClient } from "../api/client";
import { AuthProvider } from "../auth/AuthContext";
import { fakeFetch, type Answer } from "../test/server";
import SignIn from "./SignIn";

function renderSignIn(routes: Record<string, Answer | Answer[]>) {
  const server = fakeFetch(routes);
  render(
    <MemoryRouter>
      <AuthProvider client={new ApiClient(server.fetchImpl)}>
        <SignIn />
      </AuthProvider>
    </MemoryRouter>,
  );
  return server;
}

async function enterPassword() {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText("Email"), "rania@example.com");
  await user.type(screen.getByLabelText("Password"), "secret-enough");
  await user.click(screen.getByRole("button", { name: "Continue" }));
  return user;
}

test("the code step says how many tries are left, and a new code can be sent", async () => {
  const server = renderSignIn({
    "POST /auth/login/init/": { body: { detail: "Verification code sent." } },
    "POST /auth/login/verify/": { status: 400, body: { detail: "Invalid verification code.", code: "invalid_otp", attempts_left: 2 } },
  });
  const user = await enterPassword();

  expect(await screen.findByText(/We emailed a 6-digit code to rania@example.com/)).toBeInTheDocument();
  await user.type(screen.getByLabelText("6-digit code"), "000000");
  await user.click(screen.getByRole("button", { name: "Sign in" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("That code is not right. 2 tries left.");

  await user.click(screen.getByRole("button", { name: "Send a new code" }));
  expect(server.requests.filter((r) => r.path === "/auth/login/init/")).toHaveLength(2);
});

test.each([
  [429, "locked_out", "Too many failed sign-in attempts from this connection. Try again in an hour."],
  [429, "throttled", "Too many attempts in a short time. Wait a minute and try again."],
  [401, "invalid_credentials", "The email or password is not right."],
])("a %i %s is said plainly", async (status, code, sentence) => {
  renderSignIn({ "POST /auth/login/init/": { status, body: { detail: "x", code } } });

  await enterPassword();

  expect(await screen.findByRole("alert")).toHaveTextContent(sentence);
  expect(screen.queryByLabelText("6-digit code")).toBeNull();
});
