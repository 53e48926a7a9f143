"""HTTP routes of the notifications service, one module per resource."""
from notifications.api import addresses, emails, senders, templates

routers = [emails.router, templates.router, senders.router, addresses.router]
