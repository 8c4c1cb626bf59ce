"""The turn analyser: each case names the idea it checks, not a sentence it memorises."""

from __future__ import annotations

import random
import time
from typing import Any

import pytest

from simulator.analysis import analyse_turn, question_kind
from simulator.labels import TurnLabels
from simulator.persona import Manner, Offering, Persona, Priority, Reveals


def _priority(pid: str, label: str, signals: list[str]) -> Priority:
    return Priority(
        id=pid,
        label=label,
        why=f"Why {label.lower()} matters.",
        fear=f"What happens if {label.lower()} goes wrong.",
        signals=signals,
        reveals=Reveals(hint=["A hint."], stated=["Stated."], why=["Why."], fear=["Fear."]),
    )


PERSONA = Persona(
    id="maria-freight-cfo",
    name="Maria Okafor",
    role="CFO",
    company="Brightline Freight, a 280-person regional logistics firm",
    situation="Took the call after downloading a guide on invoice automation.",
    offering=Offering(
        summary="Accounts-payable automation software",
        terms=["invoice", "OCR", "approval workflow", "ERP integration", "demo", "pricing"],
    ),
    voice=Manner(tone="direct and a little tired", verbosity="short"),
    opening="I've got about twenty minutes. What did you want to cover?",
    priorities=[
        _priority(
            "cash-visibility",
            "Seeing the cash every day",
            ["cash", "forecast", "covenant", "board"],
        ),
        _priority(
            "team-workload", "The team's workload", ["overtime", "team", "month end", "close"]
        ),
        _priority("audit", "Passing the audit", ["audit", "auditors", "controls", "compliance"]),
    ],
)

OPENING = PERSONA.opening
MONTH_END = "Month end is always a scramble here."
AUDIT = (
    "Honestly, the audit is what's on my mind. The auditors found gaps in our controls last year."
)
CASH = "What I really need is to see where our cash stands every day."
COVENANT = "Last year we nearly breached a covenant because we saw it too late."
TEAM = "My team has been working overtime every close for six months."
INVOICES = "Invoices pile up on people's desks waiting for someone to approve them."
LOGISTICS = "We're a regional freight business, so margins are thin."


def case(
    name: str,
    text: str,
    previous: str | None = None,
    said: tuple[str, ...] | None = None,
    persona: Persona | None = PERSONA,
    **expected: Any,
) -> Any:
    history = said if said is not None else ((previous,) if previous else ())
    return pytest.param(text, previous, history, persona, expected, id=name)


CASES = [
    # --- question: open ---------------------------------------------------------------------
    case(
        "open-what",
        "What does a typical month end look like for you?",
        OPENING,
        question="open",
        world=True,
        pitch=False,
        priorities=["team-workload"],
    ),
    case("open-why", "Why did you download the guide in the first place?", question="open"),
    case(
        "open-how",
        "How do you keep track of cash these days?",
        question="open",
        priorities=["cash-visibility"],
    ),
    case("open-tell-me-about", "Tell me about your role.", question="open", world=True),
    case(
        "open-walk-me-through",
        "Walk me through what happens when an invoice arrives.",
        question="open",
        pitch=False,
    ),
    case(
        "open-polite-could-you-tell",
        "Could you tell me a bit about how the team is set up?",
        question="open",
        priorities=["team-workload"],
    ),
    case(
        "open-polite-love-to-hear",
        "I'd love to hear how you think about the next year.",
        question="open",
        world=True,
    ),
    case(
        "open-polite-can-you-walk",
        "Can you walk me through your close process?",
        question="open",
        priorities=["team-workload"],
    ),
    case("open-no-question-mark", "Describe a good quarter for you", question="open", world=True),
    case(
        "open-help-me-understand",
        "Help me understand how cash gets reported to the board",
        question="open",
        priorities=["cash-visibility"],
    ),
    case("open-curious", "I'm curious what made you take this call.", question="open", world=True),
    case(
        "open-subordinate-then-question",
        "When the auditors arrive, what happens to your week?",
        question="open",
        priorities=["audit"],
    ),
    case("open-what-about", "What about the rest of the finance team?", question="open"),
    case(
        "open-say-more",
        "Could you say more about that?",
        AUDIT,
        question="open",
        followup=True,
        priorities=["audit"],
    ),
    case(
        "open-smart-quotes",
        "What\u2019s the hardest part of your job right now?",
        question="open",
        world=True,
    ),
    # --- question: closed -------------------------------------------------------------------
    case(
        "closed-how-many",
        "How many invoices do you process a month?",
        question="closed",
        pitch=False,
    ),
    case("closed-how-long", "How long have you been CFO there?", question="closed"),
    case("closed-auxiliary", "Do you use NetSuite?", question="closed"),
    case(
        "closed-auxiliary-no-mark",
        "Are you the one who owns the forecast",
        question="closed",
        priorities=["cash-visibility"],
    ),
    case("closed-which", "Which ERP are you on?", question="closed", pitch=False),
    case("closed-who", "Who runs accounts payable for you?", question="closed"),
    case("closed-when", "When is the next audit?", question="closed", priorities=["audit"]),
    case("closed-where", "Where do the invoices get stuck?", question="closed", pitch=False),
    case("closed-tag", "You close the books in five days, right?", question="closed"),
    case(
        "closed-choice",
        "Is it the cash or the team that worries you more?",
        question="closed",
        world=False,
    ),
    case("closed-embedded-if", "Can you tell me if you use an ERP?", question="closed"),
    case(
        "closed-embedded-whether",
        "I'm curious whether the auditors flagged anything",
        question="closed",
        priorities=["audit"],
    ),
    case("closed-declarative", "You're on SAP?", question="closed"),
    case("closed-what-fact", "What time does the payment run go out?", question="closed"),
    # --- question: none and mixtures --------------------------------------------------------
    case(
        "none-statement",
        "Thanks for making the time today.",
        question="none",
        pitch=False,
        followup=False,
        reflection=False,
    ),
    case("none-subordinate-what", "What we usually do first is listen.", question="none"),
    case("none-could-be-statement", "Could be worth a look later.", question="none"),
    case(
        "mixed-statement-then-open",
        "Thanks for the time. What's on your plate this quarter?",
        question="open",
        world=True,
    ),
    case(
        "mixed-closed-then-open",
        "Do you run payroll in-house? And how does that affect the close?",
        question="open",
        priorities=["team-workload"],
    ),
    case(
        "mixed-open-wins-over-closed",
        "Is it the board? Why does it weigh on you?",
        question="open",
        priorities=["cash-visibility"],
    ),
    case(
        "elliptical-how-so",
        "How so?",
        MONTH_END,
        question="open",
        followup=True,
        priorities=["team-workload"],
    ),
    case("elliptical-why", "Why?", AUDIT, question="open", followup=True, priorities=["audit"]),
    case("elliptical-such-as", "Such as?", INVOICES, question="open", followup=True),
    # --- follow-up --------------------------------------------------------------------------
    case(
        "followup-closed-digging",
        "Has that scramble ever caught you out?",
        MONTH_END,
        question="closed",
        followup=True,
        pitch=False,
        priorities=["team-workload"],
    ),
    case(
        "followup-you-mentioned",
        "You mentioned the auditors found gaps. What did they find?",
        AUDIT,
        question="open",
        followup=True,
        priorities=["audit"],
    ),
    case(
        "followup-why-it-matters",
        "Why does that matter so much to you?",
        CASH,
        question="open",
        followup=True,
        priorities=["cash-visibility"],
    ),
    case(
        "followup-what-worries",
        "What worries you most about that happening again?",
        COVENANT,
        question="open",
        followup=True,
        world=True,
        priorities=["cash-visibility"],
    ),
    case(
        "followup-shared-words",
        "What happens to people during those overtime weeks?",
        TEAM,
        followup=True,
        priorities=["team-workload"],
    ),
    case("followup-tell-me-more", "Tell me more.", AUDIT, question="open", followup=True),
    case(
        "followup-what-happened",
        "Wow. What happened then?",
        COVENANT,
        followup=True,
        priorities=["cash-visibility"],
    ),
    case(
        "followup-word-forms",
        "Were the breaches ever close to the wire before?",
        COVENANT,
        followup=True,
    ),
    case(
        "not-followup-topic-change",
        "Which ERP do you use?",
        COVENANT,
        question="closed",
        followup=False,
    ),
    case("not-followup-first-turn", "What brings you to the call?", None, followup=False),
    case("not-followup-empty-previous", "Why does that matter?", "   ", followup=False),
    case("not-followup-statement", "Okay, noted.", MONTH_END, followup=False),
    case(
        "not-followup-pitch",
        "Our dashboard would show your cash every day. Want to see it?",
        CASH,
        pitch=True,
        followup=False,
    ),
    case(
        "not-followup-self-serving",
        "Is there budget set aside to fix that?",
        MONTH_END,
        self_serving=True,
        followup=False,
    ),
    case(
        "not-followup-offering-terms-only",
        "Do you scan each invoice with OCR?",
        INVOICES,
        followup=False,
        pitch=False,
    ),
    # --- pitch ------------------------------------------------------------------------------
    case(
        "pitch-product-talk",
        "Our platform automates invoice approval end to end.",
        pitch=True,
        question="none",
    ),
    case(
        "pitch-disguised-question",
        "Would a tool that automates invoice approval help you?",
        pitch=True,
        question="closed",
        world=False,
    ),
    case(
        "pitch-what-if-our-dashboard",
        "What if you could see your cash every day with our dashboard?",
        pitch=True,
        world=False,
        priorities=["cash-visibility"],
    ),
    case("pitch-have-you-considered", "Have you considered automating your approvals?", pitch=True),
    case("pitch-demo-offer", "Would you be open to a quick demo?", pitch=True),
    case(
        "pitch-we-help",
        "We help logistics companies cut their close time in half.",
        pitch=True,
        assumption=False,
    ),
    case(
        "pitch-send-case-study",
        "I can send you a case study from another freight firm.",
        pitch=True,
    ),
    case(
        "pitch-reflection-that-sells",
        "Sounds like you need our automation.",
        INVOICES,
        pitch=True,
        reflection=False,
        followup=False,
    ),
    case("pitch-discount", "There's a discount if you sign this quarter.", pitch=True),
    case(
        "pitch-let-me-show",
        "Let me show you how the approval workflow works.",
        pitch=True,
        question="none",
    ),
    case("pitch-imagine", "Imagine having every invoice approved from your phone.", pitch=True),
    case(
        "pitch-benefit-claim",
        "Automating invoice capture saves teams ten hours a week.",
        pitch=True,
    ),
    case(
        "pitch-no-persona-generic",
        "Our customers love the product. Want a free trial?",
        persona=None,
        pitch=True,
    ),
    case(
        "not-pitch-term-in-world-question",
        "How do invoices get approved today?",
        question="open",
        pitch=False,
        world=False,
    ),
    case(
        "not-pitch-month-end-invoices",
        "What happens at month end with invoices?",
        question="open",
        pitch=False,
        priorities=["team-workload"],
    ),
    case(
        "not-pitch-worry-about-invoices",
        "What worries you most about invoices piling up?",
        INVOICES,
        question="open",
        pitch=False,
        world=True,
        followup=True,
    ),
    case("not-pitch-current-tools", "Are you using any OCR today?", question="closed", pitch=False),
    case(
        "not-pitch-we-talk",
        "Can we talk about how approvals work for you?",
        pitch=False,
        question="open",
    ),
    case(
        "not-pitch-magic-wand",
        "If you could fix one thing about the close, what would it be?",
        pitch=False,
        question="open",
        world=True,
    ),
    # --- self-serving -----------------------------------------------------------------------
    case(
        "self-serving-earn-business",
        "What would it take to earn your business?",
        question="open",
        self_serving=True,
        world=False,
        pitch=False,
    ),
    case(
        "self-serving-sign-off",
        "Who else needs to sign off on this?",
        question="closed",
        self_serving=True,
    ),
    case("self-serving-budget", "Do you have budget for this this year?", self_serving=True),
    case("self-serving-vendors", "Are you talking to other vendors?", self_serving=True),
    case(
        "self-serving-timeline",
        "When are you looking to make a decision?",
        question="closed",
        self_serving=True,
    ),
    case(
        "self-serving-meet-the-boss",
        "Can we get a meeting with your CEO next week?",
        self_serving=True,
    ),
    case("self-serving-get-started", "So when can we get started?", self_serving=True),
    case(
        "self-serving-choose-us",
        "What would make you choose us over the others?",
        question="open",
        self_serving=True,
    ),
    case("self-serving-decision-maker", "Are you the decision maker here?", self_serving=True),
    case(
        "self-serving-procurement",
        "What does your procurement process look like?",
        question="open",
        self_serving=True,
        world=False,
    ),
    case(
        "self-serving-no-persona",
        "Is there budget for a new tool?",
        persona=None,
        self_serving=True,
    ),
    case(
        "not-self-serving-budgeting-is-her-job",
        "How do you build the annual budget with the board?",
        self_serving=False,
        priorities=["cash-visibility"],
    ),
    case(
        "not-self-serving-who-approves-invoices",
        "Who signs off on invoices today?",
        question="closed",
        self_serving=False,
        pitch=False,
    ),
    case(
        "not-self-serving-what-would-it-take-for-team",
        "What would it take for your team to stop working overtime?",
        self_serving=False,
        question="open",
        priorities=["team-workload"],
    ),
    # --- assumption -------------------------------------------------------------------------
    case(
        "assumption-wrong-industry",
        "I see you're in manufacturing, so supply costs must hurt.",
        OPENING,
        assumption=True,
    ),
    case(
        "assumption-wrong-industry-tag",
        "As a manufacturing company, you deal with a lot of suppliers, right?",
        assumption=True,
        question="closed",
    ),
    case(
        "assumption-wrong-industry-question",
        "How is the retail business treating you?",
        assumption=True,
        question="open",
    ),
    case(
        "assumption-canned-right-industry", "I see you're in logistics.", OPENING, assumption=True
    ),
    case(
        "assumption-companies-like-yours",
        "I know companies like yours struggle with month end.",
        OPENING,
        assumption=True,
    ),
    case(
        "assumption-you-must",
        "You must be under a lot of pressure from the board.",
        OPENING,
        assumption=True,
    ),
    case("assumption-probably", "You probably still close the books in Excel.", assumption=True),
    case(
        "assumption-role-stereotype", "As a CFO you always have cash on your mind.", assumption=True
    ),
    case(
        "assumption-wrong-role",
        "As the CEO, what keeps you up at night?",
        assumption=True,
        question="open",
    ),
    case(
        "assumption-most-people",
        "Most people in your role dread audit season.",
        assumption=True,
        priorities=["audit"],
    ),
    case("assumption-i-bet", "I bet your auditors give you a hard time.", OPENING, assumption=True),
    case(
        "not-assumption-grounded",
        "I'm sure the overtime is wearing your team down.",
        TEAM,
        assumption=False,
    ),
    case(
        "not-assumption-grounded-industry",
        "As a freight business, margins must be tight.",
        LOGISTICS,
        assumption=False,
    ),
    case(
        "not-assumption-right-role-question",
        "As the CFO, what keeps you up at night?",
        assumption=False,
        world=True,
    ),
    case(
        "not-assumption-industry-asked",
        "Are you in the retail business too?",
        OPENING,
        assumption=False,
        question="closed",
    ),
    case(
        "not-assumption-sounds-like",
        "Sounds like the overtime is taking a toll on the team.",
        TEAM,
        assumption=False,
        reflection=True,
    ),
    case(
        "not-assumption-market-question",
        "What's changing in the logistics market this year?",
        assumption=False,
        question="open",
        world=True,
    ),
    # --- reflection -------------------------------------------------------------------------
    case(
        "reflection-no-question-mark",
        "Sounds like the audit is what weighs on you",
        AUDIT,
        reflection=True,
        question="none",
        followup=True,
        pitch=False,
        priorities=["audit"],
    ),
    case(
        "reflection-what-im-hearing",
        "So what I'm hearing is that seeing the cash daily matters more than speed?",
        CASH,
        reflection=True,
        question="closed",
        followup=True,
        priorities=["cash-visibility"],
    ),
    case(
        "reflection-if-i-understand",
        "If I understand you, the covenant scare is why this matters so much.",
        COVENANT,
        reflection=True,
        followup=True,
        priorities=["cash-visibility"],
    ),
    case(
        "reflection-empathy",
        "That must be exhausting.",
        TEAM,
        reflection=True,
        followup=True,
        priorities=["team-workload"],
    ),
    case(
        "reflection-playback",
        "So month end is where it all piles up.",
        MONTH_END,
        reflection=True,
        followup=True,
    ),
    case(
        "reflection-with-question",
        "It sounds like approvals stall on people's desks. Why there?",
        INVOICES,
        reflection=True,
        followup=True,
        question="open",
        pitch=False,
    ),
    case(
        "reflection-earlier-turn",
        "Earlier you said the auditors found gaps. It seems that still bothers you.",
        CASH,
        said=(AUDIT, CASH),
        reflection=True,
        priorities=["audit"],
    ),
    case("not-reflection-ungrounded", "Sounds like you're doing great.", OPENING, reflection=False),
    case("not-reflection-before-customer-spoke", "Sounds like a plan.", None, reflection=False),
    # --- their world ------------------------------------------------------------------------
    case(
        "world-keeps-you-up", "What keeps you up at night these days?", world=True, question="open"
    ),
    case("world-success", "What does success look like for you this year?", world=True),
    case(
        "world-trying-to-achieve",
        "What are you trying to achieve in the next twelve months?",
        world=True,
    ),
    case("world-need-help", "What would you most like help with?", world=True),
    case("world-scares", "What scares you about missing that target?", world=True),
    case("not-world-narrow", "How is the payment run scheduled?", world=False, question="open"),
    case(
        "not-world-closed",
        "Is cash your biggest worry?",
        world=False,
        question="closed",
        priorities=["cash-visibility"],
    ),
    case("not-world-self-serving", "What would make you choose us this quarter?", world=False),
    # --- priorities -------------------------------------------------------------------------
    case(
        "priorities-word-forms", "How are the forecasts holding up?", priorities=["cash-visibility"]
    ),
    case(
        "priorities-persona-order",
        "Between the auditors and the cash forecast, what's heavier?",
        priorities=["cash-visibility", "audit"],
    ),
    case(
        "priorities-hyphenated-phrase",
        "What does month-end look like?",
        priorities=["team-workload"],
    ),
    case(
        "priorities-followup-thread",
        "Why does that worry you?",
        COVENANT,
        priorities=["cash-visibility"],
    ),
    case(
        "priorities-not-from-previous-when-new-topic",
        "Which ERP are you on?",
        COVENANT,
        priorities=[],
    ),
    case("priorities-without-persona", "How is the cash forecast?", persona=None, priorities=[]),
    # --- more shapes of the same ideas ------------------------------------------------------
    case("open-wh-word-last", "Scramble how?", MONTH_END, question="open", followup=True),
    case("none-exclamation", "What a week!", question="none"),
    case("none-how-exclamation", "How interesting.", question="none"),
    case("open-would-you-mind", "Would you mind sharing how approvals work?", question="open"),
    case("open-please-go-on", "Please go on.", AUDIT, question="open", followup=True),
    case("open-talk-to-me", "Talk to me about the close.", question="open"),
    case(
        "not-followup-closed-checklist-on-a-pronoun",
        "Is it handled manually?",
        INVOICES,
        question="closed",
        followup=False,
    ),
    case(
        "followup-closed-on-their-feeling",
        "Does that worry you?",
        COVENANT,
        question="closed",
        followup=True,
        priorities=["cash-visibility"],
    ),
    case(
        "followup-afterwards",
        "What did you change afterwards?",
        COVENANT,
        followup=True,
        priorities=["cash-visibility"],
    ),
    case(
        "pitch-would-not-it-be-great",
        "Wouldn't it be great to see all of that in one place?",
        pitch=True,
    ),
    case(
        "pitch-if-we-could",
        "If we could give you daily cash visibility, would that be valuable?",
        CASH,
        pitch=True,
        followup=False,
    ),
    case("pitch-that-is-what-we-do", "That's exactly what we do.", INVOICES, pitch=True),
    case(
        "pitch-leading-question",
        "Don't you think a real-time cash dashboard would solve this?",
        CASH,
        pitch=True,
        followup=False,
    ),
    case(
        "pitch-time-saved", "How much time would you save if approvals were automatic?", pitch=True
    ),
    case(
        "pitch-happens-automatically",
        "Would it help if your approvals happened automatically?",
        MONTH_END,
        pitch=True,
    ),
    case(
        "not-pitch-their-download",
        "What prompted you to download our guide on invoice automation?",
        OPENING,
        pitch=False,
        world=True,
    ),
    case("self-serving-authority", "Do you have the authority to sign?", self_serving=True),
    case("self-serving-budget-owner", "Who owns the budget for finance tools?", self_serving=True),
    case("self-serving-signed", "Could we have the contract signed by Friday?", self_serving=True),
    case(
        "not-self-serving-audit-helpers",
        "Who else is involved in preparing for the audit?",
        AUDIT,
        self_serving=False,
        followup=True,
    ),
    case(
        "assumption-canned-right-industry-statement",
        "You're a regional freight business, so margins must be tight.",
        TEAM,
        assumption=True,
    ),
    case(
        "assumption-industry-stereotype",
        "Logistics firms always have this problem around peak season.",
        assumption=True,
    ),
    case(
        "assumption-noticed-online",
        "I noticed on LinkedIn that you just moved into the role.",
        OPENING,
        assumption=True,
    ),
    case("assumption-guessing", "I'm guessing turnover is a risk.", TEAM, assumption=True),
    case(
        "not-assumption-see-what-you-mean",
        "I see what you mean. What happened next?",
        COVENANT,
        assumption=False,
        followup=True,
    ),
    case(
        "not-assumption-make-sure-i-understand",
        "I want to make sure I understand your situation.",
        assumption=False,
    ),
    case(
        "reflection-check-understanding",
        "Let me check I understood: the gaps were in approval controls?",
        AUDIT,
        reflection=True,
        followup=True,
        question="closed",
    ),
    case(
        "reflection-so-declarative-question",
        "So invoices get stuck waiting for approval?",
        INVOICES,
        reflection=True,
        followup=True,
        question="closed",
    ),
    case(
        "reflection-so-statement",
        "So the audit is the big one for you right now.",
        AUDIT,
        reflection=True,
        assumption=False,
    ),
    case(
        "world-normal-week",
        "Can you give me a sense of what a normal week looks like?",
        world=True,
        question="open",
    ),
    case("world-their-company", "Tell me about your company.", world=True),
    case("world-direction", "How do you feel about where the business is heading?", world=True),
]

COACHING = Persona(
    id="sam-analyst",
    kind="direct_report",
    name="Sam Reyes",
    role="Senior analyst",
    company="The finance team at Brightline Freight",
    situation="Weekly one-to-one with their manager.",
    offering=Offering(
        summary="The manager's plans for Sam", terms=["training course", "promotion"]
    ),
    voice=Manner(tone="careful", verbosity="short"),
    opening="Sure, what did you want to talk about?",
    priorities=[_priority("growth", "Growing into a lead role", ["lead", "growth", "career"])],
)

COACHING_CASES = [
    case(
        "coaching-world",
        "What's getting in the way for you this week?",
        COACHING.opening,
        persona=COACHING,
        world=True,
        pitch=False,
    ),
    case(
        "coaching-push",
        "Have you considered signing up for the training course?",
        persona=COACHING,
        pitch=True,
    ),
    case(
        "coaching-followup",
        "What would growth look like for you?",
        "I want to grow, but I am not sure where my career is going.",
        persona=COACHING,
        followup=True,
        priorities=["growth"],
    ),
]


# Ideas the judge's calibration asked of the analyser, each in words of its own.
CALIBRATION_CASES = [
    case(
        "reflection-echo-without-cue",
        "Waiting for numbers.",
        "Most of my week goes on waiting for numbers from the depots.",
        reflection=True,
        followup=True,
        question="none",
    ),
    case(
        "not-reflection-echo-of-nothing",
        "Six is fine. Same time next week?",
        "Six. Maybe.",
        reflection=False,
        followup=False,
    ),
    case(
        "reflection-naming-the-burden",
        "You've been carrying that on your own since spring.",
        "My controller left in March and I've picked up her work.",
        reflection=True,
        followup=True,
    ),
    case(
        "followup-closed-on-that",
        "Has that ever cost you a supplier?",
        "Invoices sit on desks for weeks before anyone approves them.",
        question="closed",
        followup=True,
    ),
    case(
        "not-followup-what-else",
        "What else is on your list this year?",
        AUDIT,
        question="open",
        followup=False,
    ),
    case(
        "not-followup-this-quarter-after-a-pleasantry",
        "Glad to. What's taking up your time this quarter?",
        "Morning. I've got half an hour. What's this about?",
        followup=False,
    ),
    case(
        "not-followup-acknowledged-then-new-topic",
        "That sounds hard. Which ERP do you run?",
        COVENANT,
        followup=False,
        reflection=False,
    ),
    case(
        "closed-what-if-proposal",
        "What if the approvals happened by themselves?",
        question="closed",
    ),
    case("closed-rating", "On a scale of one to ten, how stressed is the team?", question="closed"),
    case("closed-what-is-your-fact", "What's your headcount in finance?", question="closed"),
    case("open-apostrophe-dropped", "whats the hardest part of the close", question="open"),
    case("open-any-thoughts", "Any thoughts on how the board reads the numbers?", question="open"),
    case(
        "open-wrapper-invites-talk",
        "Would you like to talk about what happened with the bank?",
        question="open",
    ),
    case(
        "pitch-offering-named-in-a-statement",
        "The approval workflow sends every invoice to the right person.",
        pitch=True,
    ),
    case(
        "not-pitch-offering-disowned",
        "I'd rather understand your week than talk about pricing today.",
        pitch=False,
    ),
    case(
        "not-pitch-a-word-sharing-the-offerings-stem",
        "Fuel prices must be brutal for you.",
        pitch=False,
    ),
    case(
        "pitch-hypothetical-that-runs-itself",
        "What if month end closed itself while you slept?",
        pitch=True,
    ),
    case(
        "self-serving-pressing-for-an-answer",
        "Could I get a decision from you by Friday?",
        self_serving=True,
    ),
    case(
        "self-serving-who-else-on-the-call",
        "Who else should join the next call?",
        self_serving=True,
    ),
    case("open-what-if-imagining", "What if the covenant gets breached again?", question="open"),
    case(
        "not-self-serving-who-else-was-there",
        "Who else was in the room when the numbers came out?",
        self_serving=False,
    ),
    case(
        "not-self-serving-their-own-timeline",
        "What timeline are the auditors working to?",
        self_serving=False,
    ),
    case(
        "assumption-stereotype-of-the-role",
        "Controllers like you always hate change.",
        assumption=True,
    ),
]


@pytest.mark.parametrize(("text", "previous", "said", "persona", "expected"), CALIBRATION_CASES)
def test_calibration_ideas(
    text: str,
    previous: str | None,
    said: tuple[str, ...],
    persona: Persona | None,
    expected: dict[str, Any],
) -> None:
    labels = analyse_turn(text, previous, persona, said)
    got = {name: getattr(labels, name) for name in expected}
    assert got == expected, labels


@pytest.mark.parametrize(
    ("text", "previous", "said", "persona", "expected"), CASES + COACHING_CASES
)
def test_labels(
    text: str,
    previous: str | None,
    said: tuple[str, ...],
    persona: Persona | None,
    expected: dict[str, Any],
) -> None:
    labels = analyse_turn(text, previous, persona, said)
    got = {name: getattr(labels, name) for name in expected}
    assert got == expected, labels


@pytest.mark.parametrize("text", ["", "   ", "\n\t  \n", "...", "?!"])
def test_blank_input_is_nothing(text: str) -> None:
    labels = analyse_turn(text, MONTH_END, PERSONA, (MONTH_END,))
    assert labels.pitch is False and labels.followup is False and labels.priorities == []
    if not text.strip("?! \n\t"):
        assert labels.question in ("none", "closed")


def test_blank_input_gives_default_labels() -> None:
    assert analyse_turn("", None) == TurnLabels()
    assert analyse_turn("   \n ", MONTH_END, PERSONA) == TurnLabels()


def test_very_long_input_returns_promptly() -> None:
    text = ("What keeps you up at night about the cash forecast? " * 400)[:20_000]
    start = time.perf_counter()
    labels = analyse_turn(text, COVENANT, PERSONA, (COVENANT,))
    assert time.perf_counter() - start < 1.0
    assert labels.question == "open"


def test_one_long_word_returns_promptly() -> None:
    start = time.perf_counter()
    analyse_turn("a" * 20_000 + "?", MONTH_END, PERSONA)
    analyse_turn("why, " * 4_000, MONTH_END, PERSONA)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize(
    "text",
    [
        "\U0001f600\U0001f64f",
        "\u0645\u0627 \u0647\u064a \u0623\u0648\u0644\u0648\u064a\u0627\u062a\u0643\u061f",
        "\u05e9\u05dc\u05d5\u05dd, what worries you? \U0001f914",
        "\u202eWhat keeps you up?\u202c",
        "Caf\u00e9 na\u00efve r\u00e9sum\u00e9 \u00fcber \u00e7a?",
        "\x00\x01 what\u200b happened?",
    ],
)
def test_unusual_scripts_do_not_crash(text: str) -> None:
    labels = analyse_turn(text, AUDIT, PERSONA, (AUDIT,))
    assert isinstance(labels, TurnLabels)


def test_mixed_script_question_is_still_read() -> None:
    assert (
        analyse_turn("\u05e9\u05dc\u05d5\u05dd, what worries you? \U0001f914", None).question
        == "open"
    )


def test_never_raises_on_random_strings() -> None:
    rng = random.Random(20240611)
    alphabet = (
        "abcdefghijklmnopqrstuvwxyz ABCXYZ?!.,;:'\"-\u2014\u2019()[]\n\t0123456789"
        "\u00e9\u05e9\u0645\U0001f600\u200b\u202e\\*+{}|^$"
    )
    vocabulary = (
        "what why how do you our demo invoice cash month end that it tell me about "
        "sounds like so budget who sign off as a cfo manufacturing right ? , ."
    ).split()
    for _ in range(1500):
        if rng.random() < 0.5:
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        else:
            text = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(0, 30)))
        previous = rng.choice([None, "", MONTH_END, text[::-1]])
        persona = rng.choice([None, PERSONA])
        labels = analyse_turn(text, previous, persona, (previous or "",))
        assert labels.question in ("open", "closed", "none")
        assert set(labels.priorities) <= {p.id for p in PERSONA.priorities}


def test_persona_rules_follow_the_persona_object() -> None:
    other = PERSONA.model_copy(
        update={"offering": Offering(summary="Fleet telematics", terms=["telematics", "tracker"])}
    )
    question = "Would a tracker on every truck help you?"
    assert analyse_turn(question, None, other).pitch is True
    assert analyse_turn("Have you considered invoice capture?", None, other).pitch is False
    assert analyse_turn("Have you considered invoice capture?", None, PERSONA).pitch is True


def test_followup_needs_a_customer_turn() -> None:
    assert analyse_turn("Tell me more about that.", None, PERSONA).followup is False
    assert analyse_turn("Tell me more about that.", AUDIT, PERSONA).followup is True


def test_curious_property_matches_labels() -> None:
    assert analyse_turn("Why does that matter to you?", CASH, PERSONA).curious is True
    assert analyse_turn("Would you be open to a quick demo?", CASH, PERSONA).curious is False


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("What matters most to you?", "open"),
        ("How often do you close?", "closed"),
        ("We help finance teams.", "none"),
        ("Is that right? Tell me why.", "open"),
    ],
)
def test_question_kind_helper(text: str, kind: str) -> None:
    assert question_kind(text) == kind


def test_a_conversation_that_goes_deeper_then_pitches() -> None:
    conversation = [
        ("rep", "Thanks for the time. What's on your plate this quarter?"),
        ("customer", MONTH_END),
        ("rep", "What makes it a scramble?"),
        ("customer", TEAM),
        ("rep", "Sounds like the overtime is wearing the team down."),
        ("customer", COVENANT),
        ("rep", "Our dashboard would have caught that. Want a demo?"),
    ]
    said: list[str] = []
    labels: list[TurnLabels] = []
    previous: str | None = None
    for speaker, text in conversation:
        if speaker == "customer":
            said.append(text)
            previous = text
        else:
            labels.append(analyse_turn(text, previous, PERSONA, said))
    assert [turn.world for turn in labels] == [True, False, False, False]
    assert [turn.followup for turn in labels] == [False, True, True, False]
    assert [turn.reflection for turn in labels] == [False, False, True, False]
    assert [turn.pitch for turn in labels] == [False, False, False, True]
    assert [turn.curious for turn in labels] == [True, True, True, False]
    assert labels[2].priorities == ["team-workload"]
