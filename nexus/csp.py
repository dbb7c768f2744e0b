"""The web app's Content-Security-Policy (free of Django imports: settings use it)."""


def content_security_policy(host=None):
    """Only this origin; the WebSocket of the same host named explicitly for older browsers."""
    sockets = f" ws://{host} wss://{host}" if host else ""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            f"connect-src 'self'{sockets}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def add_csp_to_html(headers, path, url):
    """WhiteNoise hook: ``/index.html`` served as a file gets the same policy."""
    if path.endswith(".html"):
        headers["Content-Security-Policy"] = content_security_policy()
