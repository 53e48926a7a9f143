"""Colo clients: who signs the sales contract (private, professional, prospect) and the participants who go."""
