/**
 * The live channel (API.md §10.1): one socket per session. A close with 4001 means
 * the token is no longer accepted: revoked, user blocked, or merely expired. One
 * authenticated call tells which: it refreshes an expired token (then we reconnect)
 * and signs out a revoked session or a blocked user (the client's 401 rule).
 */
import { useEffect, useRef } from "react";
import type { SocketMessage } from "../api/types";
import { useAuth } from "./AuthContext";

export const REVOKED = 4001;
const RECONNECT_MS = 3000;

export function socketUrl(token: string, location: Location = window.location): string {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.host}/ws/notifications/?token=${encodeURIComponent(token)}`;
}

export function useNotificationSocket(onMessage: (message: SocketMessage) => void): void {
  const { client, api, user } = useAuth();
  const handler = useRef(onMessage);
  handler.current = onMessage;

  useEffect(() => {
    if (!user) return;
    let socket: WebSocket | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;

    const connect = () => {
      const token = client.accessToken;
      if (!token || stopped) return;
      socket = new WebSocket(socketUrl(token));
      socket.onmessage = (event) => {
        try {
          handler.current(JSON.parse(event.data) as SocketMessage);
        } catch {
          // Not JSON: ignored.
        }
      };
      socket.onclose = (event) => {
        if (stopped) return;
        const later = () => {
          retry = setTimeout(connect, RECONNECT_MS);
        };
        if (event.code === REVOKED) {
          api.me().then(connect, later);
        } else {
          later();
        }
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      socket?.close();
    };
  }, [client, api, user]);
}
