"""`colo-smtp-sink`: a local SMTP server that keeps every mail it receives as a .eml file to read, and its text part
decoded in a .txt file beside it (mail is quoted-printable: a link in it is found by grep only there)."""
import argparse
import asyncio
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller


class MaildirHandler:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        message = message_from_bytes(envelope.content, policy=policy.default)
        path = self.directory / f"{time.strftime('%Y%m%d-%H%M%S')}-{abs(hash(envelope.content)) % 10**8:08d}.eml"
        path.write_bytes(envelope.content)
        path.with_suffix(".txt").write_text(readable(message, envelope.rcpt_tos))
        print(f"mail to {', '.join(envelope.rcpt_tos)}: {message['Subject']} -> {path}", flush=True)
        return "250 Message accepted for delivery"


def readable(message: EmailMessage, recipients: list[str]) -> str:
    """Who it went to, its subject, and its text part decoded."""
    body = message.get_body(("plain",))
    text = body.get_content() if body is not None else ""
    return f"To: {', '.join(recipients)}\nSubject: {message['Subject']}\n\n{text}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1025)
    parser.add_argument("--dir", type=Path, default=Path("var/mail"))
    args = parser.parse_args()
    controller = Controller(MaildirHandler(args.dir), hostname=args.host, port=args.port)
    controller.start()
    print(f"SMTP sink on {args.host}:{args.port}, mail kept in {args.dir}", flush=True)
    try:
        asyncio.run(asyncio.Event().wait())
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
