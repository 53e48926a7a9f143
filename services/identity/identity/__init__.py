"""Colo identity: every credential, the sessions and the keys that sign tokens."""
