"""Word lists for the demo account: names, groups, texts people send and texts a shop sends."""

from __future__ import annotations

from typing import Final

FIRST_NAMES: Final = (
    "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Isabella", "Lucas",
    "Mia", "Mateo", "Amelia", "Benjamin", "Harper", "Henry", "Evelyn", "Theodore", "Abigail",
    "Jack", "Emily", "Levi", "Ella", "Alexander", "Camila", "Jackson", "Luna", "Daniel",
    "Sofia", "Samuel", "Avery", "Sebastian", "Scarlett", "Wei", "Priya", "Aaliyah", "Diego",
    "Fatima", "Hiroshi", "Chloe", "Marcus", "Grace", "Andre", "Nora", "Jamal", "Zoe",
    "Ravi", "Lena", "Omar", "Maya", "José", "Zoë", "Siobhán", "Björn",
)
LAST_NAMES: Final = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
    "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
    "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White",
    "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Nguyen",
    "Patel", "Kim", "Chen", "O'Brien", "Müller", "Okafor", "Kowalski", "Haddad", "Schmidt",
)
EMAIL_DOMAINS: Final = ("gmail.com", "yahoo.com", "outlook.com", "icloud.com", "hey.com")

# (group name, keyword, join message)
GROUPS: Final = (
    ("VIP Club", "VIP",
     "Welcome to the VIP Club! Expect early access to sales. Reply STOP to opt out."),
    ("Weekly Deals", "DEALS", "You're in! One deal a week, every Thursday. Reply STOP to opt out."),
    ("Pizza Lovers", "PIZZA",
     "Slice slice baby. Show this text for a free drink. Reply STOP to end."),
    ("Birthday Club", "BDAY",
     "Tell us your birthday and get a treat on the day! Reply STOP to end."),
    ("Store Events", "EVENTS",
     "Thanks for joining! We'll text you about events. Reply STOP to quit."),
    ("Newsletter", "NEWS", "Thanks for subscribing to our SMS newsletter. Reply STOP to opt out."),
    ("Wholesale", None, None),
    ("Staff", None, None),
)

CARRIERS: Final = (
    ("Verizon Wireless", "US"), ("AT&T Mobility", "US"), ("T-Mobile USA", "US"),
    ("US Cellular", "US"), ("Cricket Wireless", "US"), ("Google Voice", "US"),
    ("Rogers", "CA"), ("Vodafone UK", "GB"), ("Telcel", "MX"), ("Deutsche Telekom", "DE"),
    ("Telstra", "AU"), ("Orange", "FR"), ("Three Ireland", "IE"),
)

OPTINS: Final = (
    ("Email", "Text Email Address to confirm"),
    ("Birthday", "Text your birthday (MM/DD) to confirm"),
    ("Double opt-in", "Reply YES to confirm your subscription"),
)

# Texts subscribers send on their own or as answers.
QUESTIONS: Final = (
    "Are you open today?", "What time do you close tonight?", "Is the sale still on?",
    "Do you have gluten free options?", "Can I use the coupon online?",
    "Is there parking nearby?", "Do you deliver to 78704?", "How long is the wait right now?",
    "can i bring my dog", "Do you take reservations for 8 people on Saturday?",
    "Is the 20% off code still good?", "where r u located",
)
THANKS: Final = ("Thanks!", "thank you 🙏", "Great, see you soon", "👍", "Awesome 😀", "ok",
                 "Perfect, thanks so much!", "Got it", "❤️❤️❤️", "Merci !")
LONG_TEXTS: Final = (
    "Hi! I came in last Tuesday with my kids and the person at the counter was so kind to us, "
    "she helped my son pick a birthday present and even wrapped it. Just wanted to say thank "
    "you, we'll definitely be back. Also is the loyalty card the same as this text club?",
    "Hello, I got your message about the weekend event but I'm not sure which location it is "
    "at. I live closer to the north side store. Will there be parking and is it ok to bring a "
    "stroller? Sorry for all the questions 😅",
)
KEYWORD_TEXTS: Final = ("VIP", "deals", "PIZZA", "Join", "news")
HELP_REPLY: Final = ("Demo Shop: SMS alerts. Msg&data rates may apply. Up to 4 msgs/wk. "
                     "Reply STOP to cancel. Help: help@example.com")
STOP_REPLY: Final = ("You have been unsubscribed from Demo Shop and will receive no further "
                     "messages. Reply START to resubscribe.")
START_REPLY: Final = "Welcome back to Demo Shop! You're subscribed again. Reply STOP to opt out."

# Texts the shop sends.
SHOP_TEXTS: Final = (
    "Hi {first}! Flash sale today only: 25% off everything with code FLASH25.",
    "Your order is ready for pickup 🎉",
    "Thanks for visiting, {first}! How did we do? Reply 1-5.",
    "We're open until 9pm tonight. See you soon!",
    "Yes! Parking is free behind the store.",
    "Happy birthday {first}! Show this text for a free dessert 🎂",
    "Reminder: the tasting event starts at 6pm Friday.",
    "Sure thing, we saved a table for you.",
)

CAMPAIGNS: Final = (
    ("Spring Sale", "Spring Sale! 30% off all weekend. Show this text. Reply STOP to opt out."),
    ("Black Friday", "BLACK FRIDAY: doors open 6am, first 50 get a gift. Reply STOP to end."),
    ("New menu", "Our new menu is here! Try the smoked brisket this week. Reply STOP to end."),
    ("Loyalty reminder", "You have points waiting, {first}! Redeem them this month."),
    ("Holiday hours", "Holiday hours: closed Dec 25, open 10-4 Dec 26. Reply STOP to end."),
)
CAMPAIGN_TEMPLATES: Final = (
    ("Flash sale", "Flash sale! {percent}% off today only with code {code}. Reply STOP to end."),
    ("Event invite", "You're invited: {event} on {date}. Reply YES to RSVP."),
    ("Thank you", "Thanks for shopping with us, {first}!"),
    ("Win-back", "We miss you, {first}! Here's 15% off your next visit: {code}"),
)
COUPON_TEMPLATES: Final = (("Classic", "#ffffff", "#111111"), ("Bold", "#d7263d", "#ffffff"),
                           ("Mint", "#c8f7dc", "#0b3d2e"))
COUPONS: Final = (
    ("Free drink", "Free fountain drink", "With any entrée", "DRINK1"),
    ("10% off", "10% off your order", "One per visit", "TEN0FF"),
    ("BOGO", "Buy one get one", "Pizzas only", "BOGO22"),
    ("Birthday treat", "Free dessert", "During your birthday week", "BDAY"),
)
