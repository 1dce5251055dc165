"""The Contacts & Org Map tab's pages: the contact list, the org map and our team."""
