/** Routes: the public sign-in pages, the customer pages, and staff pages for `is_staff` only. */
import { lazy, Suspense, type ReactNode } from "react";
import { Navigate, Route, Routes } from "react-router-dom";
import { useAuth } from "./auth/AuthContext";
import { LiveProvider } from "./auth/Live";
import { Layout } from "./components/Layout";
import Bills from "./pages/Bills";
import Cards from "./pages/Cards";
import Home from "./pages/Home";
import Notifications from "./pages/Notifications";
import Register from "./pages/Register";
import SignIn from "./pages/SignIn";
import { SocialError, SocialSuccess } from "./pages/SocialSignIn";
import Statement from "./pages/Statement";
import Transfer from "./pages/Transfer";

// Staff pages (and the chart library) load only for staff.
const Dashboard = lazy(() => import("./pages/staff/Dashboard"));
const Risk = lazy(() => import("./pages/staff/Risk"));
const Users = lazy(() => import("./pages/staff/Users"));

function SignedIn({ children }: { children: ReactNode }) {
  const { user } = useAuth();
  return user ? <LiveProvider>{children}</LiveProvider> : <Navigate to="/signin" replace />;
}

function StaffOnly({ children }: { children: ReactNode }) {
  const { user } = useAuth();
  if (!user?.is_staff) return <Navigate to="/" replace />;
  return <Suspense fallback={<p role="status">Loading…</p>}>{children}</Suspense>;
}

export default function App() {
  return (
    <Routes>
      <Route path="/signin" element={<SignIn />} />
      <Route path="/register" element={<Register />} />
      <Route path="/auth/social/success" element={<SocialSuccess />} />
      <Route path="/auth/social/error" element={<SocialError />} />
      <Route
        element={
          <SignedIn>
            <Layout />
          </SignedIn>
        }
      >
        <Route index element={<Home />} />
        <Route path="transfer" element={<Transfer />} />
        <Route path="bills" element={<Bills />} />
        <Route path="cards" element={<Cards />} />
        <Route path="statement/:accountNumber?" element={<Statement />} />
        <Route path="notifications" element={<Notifications />} />
        <Route path="staff/dashboard" element={<StaffOnly><Dashboard /></StaffOnly>} />
        <Route path="staff/risk" element={<StaffOnly><Risk /></StaffOnly>} />
        <Route path="staff/users" element={<StaffOnly><Users /></StaffOnly>} />
      </Route>
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}
