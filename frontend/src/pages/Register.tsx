/** Registration (API.md §3.1): the user can sign in at once afterwards. */
import { useState, type FormEvent } from "react";
import { Link } from "react-router-dom";
import { describeError } from "../api/messages";
import type { Registration } from "../api/types";
import { useApi } from "../auth/AuthContext";
import { Field } from "../components/Field";
import { ErrorText, Notice } from "../components/Status";

const EMPTY: Registration = { email: "", password: "", re_password: "", first_name: "", last_name: "", country: "" };

export default function Register() {
  const api = useApi();
  const [form, setForm] = useState(EMPTY);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const set = (name: keyof Registration) => (event: { target: { value: string } }) =>
    setForm((current) => ({ ...current, [name]: event.target.value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const user = await api.register({ ...form, country: form.country?.toUpperCase() || undefined });
      setDone(`Welcome, ${user.first_name}. Your profile is ready: sign in with ${user.email}.`);
      setForm(EMPTY);
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="narrow">
      <h1>Open your Nexus Bank profile</h1>
      <Notice message={done} />
      <form onSubmit={submit}>
        <Field label="First name" required value={form.first_name} onChange={set("first_name")} />
        <Field label="Last name" value={form.last_name} onChange={set("last_name")} />
        <Field label="Email" type="email" autoComplete="email" required value={form.email} onChange={set("email")} />
        <Field label="Country (2 letters, optional)" maxLength={2} value={form.country} onChange={set("country")} />
        <Field label="Password" type="password" autoComplete="new-password" required value={form.password} onChange={set("password")} />
        <Field label="Repeat password" type="password" autoComplete="new-password" required value={form.re_password} onChange={set("re_password")} />
        <button type="submit" disabled={busy}>
          Register
        </button>
      </form>
      <ErrorText message={error} />
      <p>
        Already a customer? <Link to="/signin">Sign in</Link>
      </p>
    </main>
  );
}
