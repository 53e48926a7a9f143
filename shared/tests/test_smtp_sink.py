"""The local SMTP sink of `make up`: each mail kept as received, and its text decoded beside it for grep."""
from email.message import EmailMessage

import aiosmtplib
from aiosmtpd.controller import Controller

from shared.cli.smtp_sink import MaildirHandler
from shared.testing import free_port


async def test_a_mail_is_kept_as_received_and_its_text_decoded_beside_it(tmp_path):
    port = free_port()
    controller = Controller(MaildirHandler(tmp_path), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        message = EmailMessage()
        message["Subject"], message["From"], message["To"] = "Confirmez votre adresse", "colo@colo.local", "a@b.fr"
        link = "http://127.0.0.1:8000/confirmation-inscription?jeton=" + "AbC-dEf_123xyz" * 4
        message.set_content(f"Merci de votre inscription, à très bientôt. Ouvrez ce lien :\n\n{link}\n")
        message.add_alternative(f'<a href="{link}">Confirmer</a>', subtype="html")
        await aiosmtplib.send(message, hostname="127.0.0.1", port=port)
    finally:
        controller.stop()
    [eml] = tmp_path.glob("*.eml")
    assert link not in eml.read_text(), "quoted-printable: the raw mail cuts and encodes the link"
    text = eml.with_suffix(".txt").read_text()
    assert text.startswith("To: a@b.fr\nSubject: Confirmez votre adresse\n\nMerci de votre inscription, à très")
    assert f"\n{link}\n" in text
