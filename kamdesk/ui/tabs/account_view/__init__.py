"""The account workspace: one page per account, with Back and Forward between the accounts visited."""
