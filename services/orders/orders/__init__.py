"""Colo orders: bookings through their whole lifecycle, payments, invoicing requests, workflow log."""
