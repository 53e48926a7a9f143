"""Colo billing: numbered, immutable invoices and credit notes for orders, and their French PDFs."""
