"""The Account Plans tab (PlansTab in tab.py): the plan editor's section pages, reviews and one person's actions."""
