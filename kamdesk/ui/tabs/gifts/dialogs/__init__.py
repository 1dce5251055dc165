"""The Gifts & Visits dialogs: a register entry and a visit."""
