/** Notifications (API.md §6.4–6.5): newest first, mark one or all read. */
import { useAuth } from "../auth/AuthContext";
import { useLive } from "../auth/Live";
import { ErrorText, Loading } from "../components/Status";
import { formatDate } from "../components/TransactionTable";
import { useAction } from "../components/useAction";
import { useLoad } from "../components/useLoad";

export default function Notifications() {
  const { api } = useAuth();
  const { version } = useLive();
  const notes = useLoad(() => api.notifications({ page_size: 50 }), [api, version]);
  const { error, run } = useAction(notes.reload);
  const act = (action: () => Promise<unknown>) => () => run(action);

  return (
    <main>
      <h1>Notifications</h1>
      <button type="button" className="secondary" onClick={act(api.markAllRead)}>
        Mark all read
      </button>
      <ErrorText message={error} />
      <Loading state={notes} empty="No notifications yet." isEmpty={(page) => page.count === 0}>
        {(page) => (
          <ul className="list">
            {page.results.map((note) => (
              <li key={note.id} className={note.is_read ? "read" : "unread"}>
                <span className="muted">
                  {formatDate(note.created_at)} · {note.notification_type}
                </span>{" "}
                {note.message}{" "}
                {!note.is_read && (
                  <button type="button" className="link" onClick={act(() => api.markRead(note.id))}>
                    Mark read
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </Loading>
    </main>
  );
}
