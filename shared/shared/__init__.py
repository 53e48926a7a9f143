"""Colo's backbone, written once and used by every service."""
