/** Sign in: email + password, then the emailed 6-digit code (API.md §3.4–3.5). */
import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router-dom";
import { describeError } from "../api/messages";
import { useAuth } from "../auth/AuthContext";
import { CodeField } from "../components/CodeField";
import { Field } from "../components/Field";
import { ErrorText, Notice } from "../components/Status";
import { googleSignInEnabled } from "./SocialSignIn";

export default function SignIn() {
  const { api, completeSignIn, signedOutReason } = useAuth();
  const navigate = useNavigate();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [step, setStep] = useState<"password" | "code">("password");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(signedOutReason);

  const sendCode = async () => {
    await api.loginInit(email, password);
    setStep("code");
    setCode("");
    setNotice(`We emailed a 6-digit code to ${email}. It works for 5 minutes, 3 tries.`);
  };

  const run = (action: () => Promise<void>) => async (event?: FormEvent) => {
    event?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };

  const verify = async () => {
    await completeSignIn(await api.loginVerify(email, code));
    navigate("/", { replace: true });
  };

  return (
    <main className="narrow">
      <h1>Sign in to Nexus Bank</h1>
      <Notice message={notice} />
      {step === "password" ? (
        <form onSubmit={run(sendCode)}>
          <Field label="Email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
          <Field label="Password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
          <button type="submit" disabled={busy}>
            Continue
          </button>
        </form>
      ) : (
        <form onSubmit={run(verify)}>
          <CodeField value={code} onChange={setCode} />
          <button type="submit" disabled={busy}>
            Sign in
          </button>
          <button type="button" className="secondary" disabled={busy} onClick={() => void run(sendCode)()}>
            Send a new code
          </button>
          <button type="button" className="link" onClick={() => setStep("password")}>
            Use another account
          </button>
        </form>
      )}
      <ErrorText message={error} />
      <p>
        New to Nexus Bank? <Link to="/register">Open an account</Link>
      </p>
      {googleSignInEnabled() && (
        <p>
          <a href="/accounts/google/login/">Sign in with Google</a>
        </p>
      )}
    </main>
  );
}
