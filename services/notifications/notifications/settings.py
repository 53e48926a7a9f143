"""Configuration of the notifications service: the SMTP server, the addresses mail is sent from and copied to."""
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr

from shared.settings import ServiceSettings


class NotificationsSettings(ServiceSettings):
    service_name: str = "notifications"
    job_interval_seconds: float = Field(2.0, description="How often queued mail is sent: often, so it leaves promptly.")
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = 10.0
    dkim_private_key: SecretStr | None = Field(None, description=(
        "PEM private key (RSA) that signs every mail with DKIM; COLO_DKIM_PRIVATE_KEY_FILE names a mounted secret. "
        "Without one, mail leaves unsigned."))
    dkim_selector: str = Field("colo", description="The DKIM selector: its public key is at <selector>._domainkey.")
    dkim_domain: str | None = Field(None, description="The signing domain; by default the sender's.")
    bounce_address: str | None = Field(None, description=(
        "The envelope sender (Return-Path) of every mail, where delivery status notifications come back; by "
        "default the From address."))
    inbound_host: str = Field("127.0.0.1", description="Where `colo-bounces` listens for delivery status "
                              "notifications sent back to the bounce address.")
    inbound_port: int = Field(2525, description="Its SMTP port.")
    substitute_address: str | None = Field(None, description=(
        "Test and training platforms: every mail goes to this one mailbox instead of its recipients (the headers "
        "still name them), so that no client is ever mailed from there."))
    sender: str = Field("Colo Vacances <reservations@colo.local>", description="From of every e-mail.")
    customer_service_address: str = Field(
        "service-client@colo.local", description="Reply-To of every e-mail; recipient for clients without e-mail."
    )
    archive_copy_address: str | None = Field(None, description="Receives a blind copy of every e-mail.")
    billing_url: str = Field("http://127.0.0.1:8003", description="Billing, which serves the invoices' and credit "
                             "notes' PDFs that mails carry.")
    attachment_max_bytes: int = Field(5_000_000, ge=0, description=(
        "A document larger than this is not attached: the mail gives a link to it in the family portal."))
    attachment_wait_seconds: float = Field(3600.0, ge=0, description=(
        "How long a mail waits for its document while billing cannot give it; then it leaves with a link."))
    option_reminder_hours: float = Field(48.0, ge=0, description="An option's holder is reminded this long before "
                                         "its deadline.")
    balance_reminder_days: int = Field(30, ge=0, description="An unsettled order's client is reminded of the "
                                       "balance this many days before departure.")
    documents_reminder_days: int = Field(21, ge=0, description="An incomplete file's client is reminded of the "
                                         "missing documents this many days before departure.")
    max_send_attempts: int = Field(5, ge=1)
    send_retry_seconds: float = Field(30.0, gt=0, description="Delay before a refused mail is tried again; doubles.")
    send_batch: int = Field(20, ge=1, description="E-mails sent per job run.")
    send_rate_per_minute: int | None = Field(None, ge=1, description=(
        "The relay's limit: at most this many mails handed to it in any minute, all replicas together; none "
        "without a limit."))
    front_office_url: str = Field("http://127.0.0.1:8080", description="The family portal: where families confirm "
                                  "their e-mail and choose their password, from the links mailed to them.")
    back_office_url: str = Field("http://127.0.0.1:8080/bo", description=(
        "The back-office behind the gateway: where staff users choose their password."))
    information_blocks: dict[str, str] = Field({}, description=(
        "The master entity's dynamic information blocks (seed 004), texts that every template may show as "
        "`blocks.<name>`, as JSON: {\"conditions\": \"...\", \"horaires\": \"...\"}."))
    time_zone: ZoneInfo = Field(ZoneInfo("Europe/Paris"), description=(
        "The organiser's time zone (IANA name): every date and time an e-mail shows is in it."))

    @property
    def signature(self) -> str:
        """The sender's display name, which signs the mail."""
        return parseaddr(self.sender)[0] or "Colo"

    @property
    def sender_address(self) -> str:
        return parseaddr(self.sender)[1] or "reservations@colo.local"

    @property
    def sender_domain(self) -> str:
        return self.sender_address.rpartition("@")[2]
