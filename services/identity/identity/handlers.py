"""Event handlers of the identity service: clients' announcements of its clients and client types, kept as the copy
that decides front-office logins (identity.front_office)."""
from identity import front_office
from shared import events
from shared.bus import Handler
from shared.events import Event

HANDLERS: dict[type[Event], Handler] = {
    **{cls: front_office.on_client for cls in (events.ClientCreated, events.ClientUpdated, events.ClientDeleted,
                                               events.ClientRestored, events.ClientAnonymised)},
    events.ClientTypeCreated: front_office.on_client_type,
    events.ClientTypeUpdated: front_office.on_client_type,
}
