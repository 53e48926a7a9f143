"""Event handlers of the clients service: none yet; orders and billing events will feed deletion guards."""
from shared.bus import Handler
from shared.events import Event

HANDLERS: dict[type[Event], Handler] = {}
