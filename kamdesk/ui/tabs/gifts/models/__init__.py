"""The Gifts & Visits table models."""
