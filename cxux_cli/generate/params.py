"""Fixed parameters of the demo data: catalogues, mixes and the planted effects.

Everything a reader of docs/demo_data.md needs to check a number lives here, so
the documentation and the generator cannot drift apart silently.
"""

from __future__ import annotations

# Volumes at --scale 1 (linear in scale).
ACCOUNTS_PER_SCALE = 2500
FREE_USERS_PER_ACCOUNT = 0.45  # free users (no paying customer) per account
VISITORS_PER_USER = 0.4  # anonymous visitors that never sign up, per user
BAD_ROW_RATE = 0.001
LAUNCH_COHORT_SHARE = 0.25  # accounts created in the first LAUNCH_COHORT_DAYS of the window
LAUNCH_COHORT_DAYS = 45  # share of rows per (table, defect, column) planting rule

# Country -> (region, weight). Regions follow seeds/country_regions.csv.
COUNTRIES = [
    ("US", "north_america", 30), ("CA", "north_america", 5),
    ("GB", "europe", 8), ("DE", "europe", 8), ("FR", "europe", 6), ("NL", "europe", 3),
    ("ES", "europe", 3), ("IT", "europe", 3), ("SE", "europe", 2), ("PL", "europe", 2),
    ("BR", "latin_america", 5), ("MX", "latin_america", 4), ("AR", "latin_america", 2),
    ("CO", "latin_america", 1),
    ("AU", "asia_pacific", 4), ("JP", "asia_pacific", 4), ("IN", "asia_pacific", 5),
    ("SG", "asia_pacific", 2),
    ("AE", "middle_east_africa", 2), ("ZA", "middle_east_africa", 2),
    ("NG", "middle_east_africa", 1), ("SA", "middle_east_africa", 1),
]
REGIONS = ["north_america", "europe", "latin_america", "asia_pacific", "middle_east_africa"]
# Hours to add to local time to get UTC (rough centre of each region).
REGION_UTC_SHIFT = {"north_america": 6, "europe": -1, "latin_america": 4,
                    "asia_pacific": -8, "middle_east_africa": -3}
NULL_COUNTRY_SHARE = 0.01

ACCOUNT_TYPES = ["individual", "household", "business"]
ACCOUNT_TYPE_WEIGHTS = [0.60, 0.26, 0.14]
SEGMENTS = ["consumer", "smb", "mid_market", "enterprise"]
BUSINESS_SEGMENT_WEIGHTS = [0.0, 0.60, 0.30, 0.10]
CHANNELS = ["organic", "paid_search", "social", "referral", "partner", "sales"]
CHANNEL_WEIGHTS = {
    "consumer": [0.35, 0.25, 0.20, 0.15, 0.05, 0.00],
    "business": [0.20, 0.20, 0.05, 0.10, 0.15, 0.30],
}
# Users per business account, by segment: (low, high) inclusive.
BUSINESS_USERS = {"smb": (2, 6), "mid_market": (6, 20), "enterprise": (20, 45)}

ROLES = ["owner", "admin", "member", "child", "guest"]

FIRST_NAMES = ["Ada", "Ben", "Chloe", "David", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas",
               "Kira", "Liam", "Maya", "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Sami", "Tara",
               "Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zoe", "Aiko", "Bruno", "Carmen", "Dev"]
LAST_NAMES = ["Smith", "Garcia", "Muller", "Martin", "Rossi", "Silva", "Kowalski", "Tanaka",
              "Patel", "Nguyen", "Johnson", "Dubois", "Jansen", "Andersson", "Okafor", "Haddad",
              "Kim", "Lopez", "Schmidt", "Brown", "Costa", "Ivanova", "Mensah", "Sato"]
COMPANY_WORDS = ["Acme", "Northwind", "Blue Harbor", "Copperleaf", "Vertex", "Lumen", "Orbit",
                 "Pinecrest", "Redwood", "Summit", "Tidal", "Granite", "Maple", "Nimbus", "Quartz"]
COMPANY_SUFFIXES = ["Ltd", "GmbH", "Inc", "LLC", "Studio", "Group", "Labs", "Partners"]

# Products: (product_id number, name, category, is_subscription, list price in cents).
PRODUCTS = [
    (1, "Laptop Air 13", "laptops", False, 99900), (2, "Laptop Pro 15", "laptops", False, 189900),
    (3, "Laptop Student 14", "laptops", False, 64900),
    (4, "Tablet Mini", "tablets", False, 39900), (5, "Tablet Max", "tablets", False, 79900),
    (6, "Phone S", "phones", False, 59900), (7, "Phone Ultra", "phones", False, 109900),
    (8, "USB-C Charger", "accessories", False, 2900), (9, "Wireless Mouse", "accessories", False, 3900),
    (10, "Keyboard", "accessories", False, 7900), (11, "Laptop Sleeve", "accessories", False, 2499),
    (12, "Headphones", "accessories", False, 14900), (13, "Screen Protector", "accessories", False, 1499),
    (14, "Photo Editor", "software", False, 7900), (15, "Office Suite", "software", False, 12900),
    (16, "Antivirus 1y", "software", False, 4900),
    (17, "Setup Service", "services", False, 4900), (18, "Extended Warranty", "services", False, 9900),
    (19, "Data Recovery", "services", False, 14900),
    # subscription plans: consumer tiers, family tiers, business per-seat tiers, free tier
    (20, "Free", "subscriptions", True, 0),
    (21, "Personal", "subscriptions", True, 999), (22, "Plus", "subscriptions", True, 1999),
    (23, "Premium", "subscriptions", True, 2999),
    (24, "Family", "subscriptions", True, 2499), (25, "Family Plus", "subscriptions", True, 3499),
    (26, "Team (per seat)", "subscriptions", True, 1200),
    (27, "Business (per seat)", "subscriptions", True, 2500),
    (28, "Enterprise (per seat)", "subscriptions", True, 4000),
]
ORDER_CATEGORIES = ["laptops", "tablets", "phones", "accessories", "software", "services"]
ORDER_CATEGORY_WEIGHTS = [0.10, 0.08, 0.10, 0.42, 0.18, 0.12]
PREFERRED_CATEGORY_SHARE = 0.6  # items from the buyer's preferred category; rest cross-category
FREE_PLAN = 20
PLAN_TIERS = {"individual": [21, 22, 23], "household": [24, 25], "business": [26, 27, 28]}
PER_SEAT_PLANS = {26, 27, 28}
SUBSCRIBER_SHARE = {"individual": 0.35, "household": 0.55, "business": 0.85}
CANCEL_REASONS = ["price", "product_fit", "ux_issues", "support", "competitor", "business_closed",
                  "other"]
CANCEL_REASON_WEIGHTS = {
    "consumer": [0.35, 0.20, 0.08, 0.07, 0.20, 0.00, 0.10],
    "business": [0.25, 0.20, 0.08, 0.08, 0.20, 0.12, 0.07],
}

ORDER_CHANNELS = ["web", "app", "store", "phone", "partner"]
ORDER_CHANNEL_WEIGHTS = {
    "consumer": [0.48, 0.27, 0.17, 0.03, 0.05],
    "business": [0.45, 0.05, 0.05, 0.20, 0.25],
}

TICKET_CHANNELS = ["email", "chat", "phone", "social", "web_form"]
TICKET_CHANNEL_WEIGHTS = [0.40, 0.30, 0.10, 0.05, 0.15]
TICKET_CATEGORIES = ["billing", "bug", "how_to", "delivery", "account", "feature_request"]
TICKET_CATEGORY_WEIGHTS = {
    "consumer": [0.20, 0.12, 0.28, 0.22, 0.12, 0.06],
    "business": [0.20, 0.20, 0.30, 0.03, 0.12, 0.15],
}
PRIORITIES = ["low", "normal", "high", "urgent"]
PRIORITY_WEIGHTS = [0.25, 0.55, 0.15, 0.05]
# Median minutes to the first agent reply, by ticket channel.
REPLY_MEDIAN_MINUTES = {"email": 240, "chat": 5, "phone": 1, "social": 120, "web_form": 300}
ONE_TOUCH_SHARE = 0.50
NEVER_SOLVED_SHARE = 0.08
REOPEN_SHARE = 0.07

PLATFORMS = ["web", "ios", "android", "desktop"]
PLATFORM_WEIGHTS = [0.50, 0.20, 0.20, 0.10]
DEVICE_TYPES = ["mobile", "desktop", "tablet"]
# device mix per platform (mobile, desktop, tablet)
DEVICE_WEIGHTS = {"web": [0.28, 0.65, 0.07], "ios": [0.85, 0.0, 0.15],
                  "android": [0.85, 0.0, 0.15], "desktop": [0.0, 1.0, 0.0]}
PAGE_PATHS = ["/dashboard", "/projects", "/projects/detail", "/reports", "/search", "/settings",
              "/account", "/billing", "/help", "/shop", "/shop/product", "/checkout", "/inbox",
              "/calendar", "/files"]
MARKETING_PATHS = ["/", "/pricing", "/features", "/blog", "/signup", "/shop", "/shop/product"]
EVENT_NAMES = ["login", "click", "feature_used", "task_started", "task_completed", "task_failed",
               "task_abandoned", "error"]
FEATURES = ["search", "export", "share", "comments", "templates", "automations", "dark_mode",
            "calendar_sync", "file_upload", "reports"]
FEATURE_WEIGHTS = [0.22, 0.12, 0.14, 0.14, 0.10, 0.05, 0.05, 0.06, 0.08, 0.04]
TASKS = ["create_project", "invite_member", "checkout", "export_report", "upload_file",
         "change_plan"]
TASK_WEIGHTS = [0.25, 0.10, 0.15, 0.20, 0.25, 0.05]
ERROR_CODES = ["E_TIMEOUT", "E_VALIDATION", "E_NETWORK", "E_500", "E_PERMISSION"]

# Sessions per active day (before the per-user lognormal multiplier), by user kind.
SESSION_RATE = {"business": 0.08, "consumer": 0.035, "child": 0.04, "free": 0.02}
# Task outcome probabilities (success, failure, abandoned, incomplete = no outcome event).
TASK_OUTCOMES_BASE = [0.82, 0.08, 0.07, 0.03]
TASK_OUTCOMES_INCIDENT = [0.58, 0.27, 0.12, 0.03]
LATE_SESSION_SHARE_MOBILE = 0.08  # offline app sessions delivered hours or days later

# Web vitals: lognormal medians by device type (mobile, desktop, tablet) and sigma.
VITALS_MEDIAN = {
    "lcp_ms": (2600.0, 1700.0, 2100.0),
    "inp_ms": (230.0, 110.0, 160.0),
    "cls": (0.07, 0.035, 0.05),
    "ttfb_ms": (650.0, 380.0, 480.0),
}
VITALS_SIGMA = {"lcp_ms": 0.45, "inp_ms": 0.6, "cls": 1.0, "ttfb_ms": 0.5}

# The planted UX incident (see docs/demo_data.md).
INCIDENT = {
    "region": "europe",
    "months_before_as_of": 4,  # the calendar month that starts 4 months before as_of's month
    "lcp_multiplier": 1.8,
    "inp_multiplier": 2.0,
    "cls_multiplier": 2.5,
    "fcp_multiplier": 1.6,
    "ttfb_multiplier": 1.6,
    "failure_error_events": 2,  # error events logged in each failed attempt during the incident
    "extra_bug_ticket_probability": 0.35,  # per affected account, one bug ticket in the month
    # churn caused by the incident, account by account: a subscriber whose users had a failed
    # or abandoned task attempt during the incident ("exposed") cancels with reason ux_issues
    # with this probability, this many days (uniform) after its first such attempt
    "exposed_cancel_probability": 0.6,
    "cancel_delay_days": (2, 21),
    "nps_shift": -1.5,  # relationship NPS mean shift for affected accounts in month and month+1
    "sus_shift": -0.8,  # item-level shift of SUS / UMUX-Lite latent for affected users
}
