/** A page that fails to draw says so instead of leaving a blank screen. */
import { Component, type ReactNode } from "react";

export class ErrorBoundary extends Component<{ children: ReactNode; resetKey: string }, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  componentDidUpdate(previous: { resetKey: string }) {
    if (previous.resetKey !== this.props.resetKey && this.state.failed) this.setState({ failed: false });
  }

  render() {
    if (this.state.failed) {
      return (
        <p className="error" role="alert">
          This page could not be shown. Try again, or open another page.
        </p>
      );
    }
    return this.props.children;
  }
}
