"""The development email backend: each email as Django prints it, then its code on one line.

Under ``make run`` the login and transfer codes are found in one look in the
server console, e.g. ``LOGIN CODE for ann@example.com: 123456``.
"""
import re

from django.core.mail.backends.console import EmailBackend

# A standalone run of six digits; in a transfer email the code comes after the transfer's id.
CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")


def code_line(message):
    """``<KIND> CODE for <recipients>: <code>`` for an email that carries a code, else None."""
    codes = CODE.findall(message.body or "")
    if not codes:
        return None
    kind = "TRANSFER" if "transfer" in (message.subject or "").lower() else "LOGIN"
    return f"{kind} CODE for {', '.join(message.to)}: {codes[-1]}"


class ConsoleEmailBackend(EmailBackend):
    def write_message(self, message):
        super().write_message(message)
        line = code_line(message)
        if line:
            self.stream.write(f"{line}\n")
