"""The questions a blank account plan (the worksheet) asks in each section, after the practice's own question
bank for writing a key-account plan (seed 003, part 3): what to find out about the customer, the competitors
and ourselves before setting objectives. Written in kamdesk's words; translated like every other text."""

from __future__ import annotations

from kamdesk.i18n import N_

#: Section key → the questions printed above its writing space, in order.
PROMPTS: dict[str, tuple[str, ...]] = {
    "summary": (
        N_("In two or three sentences: what do we want from this account in this period, and which way are we taking "
           "it — grow, hold or defend?"),
    ),
    "business": (
        N_("What do they make or sell, to whom, and how is their business doing?"),
    ),
    "markets": (
        N_("How will their market develop, and are they ready for the changes coming?"),
        N_("How hard is it for newcomers to enter their market, and are their products threatened by substitutes? "
           "Can our product help them on either count?"),
        N_("How strong are their own buyers and suppliers, and how fierce is the competition among their rivals? "
           "What edge does our product give them?"),
    ),
    "strategy": (
        N_("What is their mission, and how do they position themselves in their market?"),
        N_("What are they planning in the short term, which openings are they looking for, and what threatens them?"),
        N_("What is their long-term strategy, and does it fit where their market is going?"),
    ),
    "trends": (
        N_("Which changes in their industry, customers, prices or regulation will matter to them (and to us)?"),
    ),
    "needs": (
        N_("What do they need our product or service to do for them, and how have those needs changed?"),
        N_("Looking at the past, the present and what is coming: how much will they need from us next year?"),
    ),
    "key_people": (
        N_("Who decides? Who influences the decision: users, advisers, gatekeepers, outsiders?"),
        N_("Who supports us, and why?"),
    ),
    "buying_process": (
        N_("How do they usually buy what we sell, and how do they settle on the need and the specification?"),
        N_("Can the buyer decide alone, or who must approve? How do they evaluate tenders, and what counts most "
           "when they choose a supplier?"),
    ),
    "performance": (
        N_("What are their business goals, how do they measure results, and are they reaching them?"),
        N_("How sound are their finances? What are their core strengths, and how do they set themselves apart?"),
    ),
    "competitors": (
        N_("For each competitor: what business do they do with this customer now, and how did it come about?"),
        N_("What can they do, with which resources, and what is their strategy here?"),
        N_("Where are they strong and where weak, how does the customer see them, and how much does the customer "
           "prefer them to us?"),
    ),
    "our_business": (
        N_("What have we supplied them in the past, and what do we supply now? What would changing supplier cost "
           "them?"),
        N_("What are our sales to them, and what share of their spend do we hold?"),
    ),
    "who_favours_us": (
        N_("Whom do we know there? Who favours us, and why? Who are our supporters?"),
    ),
    "strengths_seen": (
        N_("What do we do particularly well in their eyes, and which of their needs do we meet? How satisfied are "
           "they?"),
        N_("What can we offer beyond today's products: a wider range, or a better answer to their problem?"),
    ),
    "weaknesses_seen": (
        N_("Where do they find us weaker than our competitors, and what problems or disagreements are there "
           "between us? Where have we failed them?"),
        N_("Do they see us as important to them or marginal, and where do they think the relationship is going?"),
    ),
    "cycle": (
        N_("Which stage of the relationship cycle are we in: breakthrough, consolidation, growth, harvest, defence, "
           "dormancy or pause?"),
    ),
    "vision": (
        N_("Where do we want this relationship to be in three years, in a sentence the whole team can repeat?"),
    ),
    "objectives": (
        N_("Each objective specific, measurable, achievable, relevant and timely: what exactly, measured how, "
           "which target value, due when, and who owns it."),
    ),
    "actions": (
        N_("Each step: the task, who does it, by when, and how far it has got. Link it to the objective it serves."),
    ),
    "revenue": (
        N_("Per period: the sales target, the actual revenue when it is known, the margin and the profit."),
    ),
    "intel": (
        N_("What do we still need to know, and from whom can we learn it? Grade each note: 1 public and free "
           "(annual reports, catalogues, adverts), 2 public at a cost (analysts' reports, trade journals), "
           "3 private through our contacts (projects, needs, budgets), 4 private from their top management "
           "(exact requirements, evaluation criteria, who decides and who holds the budget)."),
    ),
    "reviews": (
        N_("Score each question from 1 (poor) to 5 (excellent) with the team, and note what to change."),
    ),
    "risks": (
        N_("What could lose us this account or this period's target, and what are we doing about it?"),
    ),
    "asks": (
        N_("What do we need from our executive sponsor: whom to meet at their top level, what to decide, which "
           "resources?"),
    ),
}  # fmt: skip


def prompts(section: str) -> tuple[str, ...]:
    """The questions of one section, untranslated (pass each through _() to print it)."""
    return PROMPTS.get(section, ())
