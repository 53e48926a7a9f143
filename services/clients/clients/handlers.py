"""Event handlers of the clients service."""
from clients.wallet_services import on_cashback_used
from shared import events
from shared.bus import Handler
from shared.events import Event

HANDLERS: dict[type[Event], Handler] = {
    events.CashbackUsed: on_cashback_used,
}
