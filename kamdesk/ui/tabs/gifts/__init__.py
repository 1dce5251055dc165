"""The Gifts & Visits tab: one module per page, its dialogs in dialogs/, the register's table model in models/."""
