"""Queries and documents for reports: what the staff report pages and the CLI
read and write. Calculations live in `flows.reporting` (pure)."""
