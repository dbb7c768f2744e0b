/** Live events for every page: a toast per push, a version pages reload on, staff alerts. */
import { createContext, useContext, useState, type ReactNode } from "react";
import type { SocketMessage } from "../api/types";
import { useToast } from "../components/Toasts";
import { useNotificationSocket } from "./useNotificationSocket";

type AdminAlert = Extract<SocketMessage, { type: "admin_alert" }>;

interface Live {
  /** Grows by one each time money moved or a notification arrived. */
  version: number;
  alerts: AdminAlert[];
}

const MAX_ALERTS = 20;
const LiveContext = createContext<Live>({ version: 0, alerts: [] });

export function LiveProvider({ children }: { children: ReactNode }) {
  const toast = useToast();
  const [live, setLive] = useState<Live>({ version: 0, alerts: [] });

  useNotificationSocket((message) => {
    if (message.type === "user_notification") {
      toast(message.message);
      setLive((current) => ({ ...current, version: current.version + 1 }));
    } else if (message.type === "admin_alert") {
      toast(`Alert (${message.severity}): ${message.event}`);
      setLive((current) => ({ ...current, alerts: [message, ...current.alerts].slice(0, MAX_ALERTS) }));
    }
  });

  return <LiveContext.Provider value={live}>{children}</LiveContext.Provider>;
}

export function useLive(): Live {
  return useContext(LiveContext);
}
