/** The end of "Sign in with Google" (API.md §3.9): a one-time code in the URL fragment. */
import { useEffect, useRef, useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { describeError } from "../api/messages";
import { useAuth } from "../auth/AuthContext";
import { ErrorText } from "../components/Status";

export function googleSignInEnabled(): boolean {
  return document.querySelector('meta[name="nexus-google-sign-in"]') !== null;
}

export function SocialSuccess() {
  const { api, completeSignIn } = useAuth();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return; // The code works once, even under StrictMode's double effect.
    started.current = true;
    const code = new URLSearchParams(window.location.hash.slice(1)).get("code") ?? "";
    window.history.replaceState(null, "", window.location.pathname);
    api
      .socialToken(code)
      .then(completeSignIn)
      .then(() => navigate("/", { replace: true }))
      .catch((caught) => setError(describeError(caught)));
  }, [api, completeSignIn, navigate]);

  return (
    <main className="narrow">
      <h1>Signing you in…</h1>
      <ErrorText message={error} />
      {error && <Link to="/signin">Back to sign in</Link>}
    </main>
  );
}

export function SocialError() {
  return (
    <main className="narrow">
      <h1>Google sign-in did not complete</h1>
      <p>
        <Link to="/signin">Back to sign in</Link>
      </p>
    </main>
  );
}
