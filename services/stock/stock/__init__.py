"""Colo stock: stays, departures and their places, which go down and up with the order lifecycle."""
