"""Colo notifications: the e-mails a client must receive, queued by events and sent by a job over SMTP."""
