/** Who is signed in: tokens live in the ApiClient's memory, never in storage. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { ApiClient } from "../api/client";
import { endpoints, type Endpoints } from "../api/endpoints";
import type { Tokens, User } from "../api/types";

interface Auth {
  client: ApiClient;
  api: Endpoints;
  user: User | null;
  /** Why the last session ended, shown on the sign-in page. */
  signedOutReason: string | null;
  completeSignIn: (tokens: Tokens) => Promise<void>;
  signOut: () => Promise<void>;
  endSession: (reason: string) => void;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ client, children }: { client?: ApiClient; children: ReactNode }) {
  const [apiClient] = useState(() => client ?? new ApiClient());
  const api = useMemo(() => endpoints(apiClient), [apiClient]);
  const [user, setUser] = useState<User | null>(null);
  const [signedOutReason, setSignedOutReason] = useState<string | null>(null);

  const endSession = useCallback(
    (reason: string) => {
      apiClient.setTokens(null);
      setUser(null);
      setSignedOutReason(reason);
    },
    [apiClient],
  );

  useEffect(
    () => apiClient.onSignedOut(() => endSession("Your session has ended. Please sign in again.")),
    [apiClient, endSession],
  );

  const completeSignIn = useCallback(
    async (tokens: Tokens) => {
      apiClient.setTokens(tokens);
      setUser(await api.me());
      setSignedOutReason(null);
    },
    [api, apiClient],
  );

  const signOut = useCallback(async () => {
    try {
      await api.logout(apiClient.refreshToken);
    } catch {
      // Signed out locally either way.
    }
    endSession("You have signed out.");
  }, [api, apiClient, endSession]);

  const value = useMemo(
    () => ({ client: apiClient, api, user, signedOutReason, completeSignIn, signOut, endSession }),
    [apiClient, api, user, signedOutReason, completeSignIn, signOut, endSession],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useAuth outside AuthProvider");
  return auth;
}

export function useApi(): Endpoints {
  return useAuth().api;
}
