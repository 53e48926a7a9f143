"""HTTP routes of the notifications service, one module per resource."""
from notifications.api import emails, templates

routers = [emails.router, templates.router]
