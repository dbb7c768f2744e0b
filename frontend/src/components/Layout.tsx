/** The signed-in frame: navigation (staff links from `is_staff`), sign out, the page. */
import { NavLink, Outlet, useLocation } from "react-router-dom";
import { useAuth } from "../auth/AuthContext";
import { ErrorBoundary } from "./ErrorBoundary";

const CUSTOMER_LINKS = [
  ["/", "Home"],
  ["/transfer", "Transfer"],
  ["/bills", "Bills"],
  ["/cards", "Cards"],
  ["/statement", "Statement"],
  ["/notifications", "Notifications"],
];
const STAFF_LINKS = [
  ["/staff/dashboard", "Dashboard"],
  ["/staff/risk", "Risk"],
  ["/staff/users", "Users"],
];

export function Layout() {
  const { user, signOut } = useAuth();
  const location = useLocation();
  const links = user?.is_staff ? [...CUSTOMER_LINKS, ...STAFF_LINKS] : CUSTOMER_LINKS;
  return (
    <>
      <a className="skip" href="#content">
        Skip to content
      </a>
      <header>
        <span className="brand">Nexus Bank</span>
        <nav aria-label="Main">
          {links.map(([to, label]) => (
            <NavLink key={to} to={to} end={to === "/"}>
              {label}
            </NavLink>
          ))}
        </nav>
        <span className="who">{user?.email}</span>
        <button type="button" className="secondary" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <div id="content">
        <ErrorBoundary resetKey={location.pathname}>
          <Outlet />
        </ErrorBoundary>
      </div>
    </>
  );
}
