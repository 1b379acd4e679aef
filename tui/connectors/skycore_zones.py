"""The time-zone abbreviations of the Skycore subscribe API (seed 003), each with one meaning.

The seed's table lists some abbreviations more than once with different offsets. smsdesk
sends and reads each one with the single meaning below, chosen by this rule: the North
American meaning first (the accounts we serve text US and Canadian numbers), else the meaning
for the most people. The alternatives the seed also lists are kept in ``AMBIGUOUS`` so the
person can be told ("CST is read as Central Standard Time, UTC−06; China uses CT").
"""

from __future__ import annotations

from typing import Final

# abbreviation -> (name, UTC offset in minutes)
ZONES: Final[dict[str, tuple[str, int]]] = {
    "ACDT": ("Australian Central Daylight Time", 630), "ACST": ("Australian Central Standard "
    "Time", 570), "ACT": ("Acre Time", -300), "ADT": ("Atlantic Daylight Time", -180),
    "AEDT": ("Australian Eastern Daylight Time", 660), "AEST": ("Australian Eastern Standard "
    "Time", 600), "AFT": ("Afghanistan Time", 270), "AKDT": ("Alaska Daylight Time", -480),
    "AKST": ("Alaska Standard Time", -540), "AMST": ("Amazon Summer Time", -180),
    "AMT": ("Amazon Time", -240), "ART": ("Argentina Time", -180),
    "AST": ("Atlantic Standard Time", -240), "AWDT": ("Australian Western Daylight Time", 540),
    "AWST": ("Australian Western Standard Time", 480), "AZOST": ("Azores Standard Time", -60),
    "AZT": ("Azerbaijan Time", 240), "BDT": ("Bangladesh Daylight Time", 360),
    "BIOT": ("British Indian Ocean Time", 360), "BIT": ("Baker Island Time", -720),
    "BOT": ("Bolivia Time", -240), "BRST": ("Brasilia Summer Time", -120),
    "BRT": ("Brasilia Time", -180), "BST": ("British Summer Time", 60),
    "BTT": ("Bhutan Time", 360), "CAT": ("Central Africa Time", 120),
    "CCT": ("Cocos Islands Time", 390), "CDT": ("Central Daylight Time (North America)", -300),
    "CEDT": ("Central European Daylight Time", 120), "CEST": ("Central European Summer Time",
    120), "CET": ("Central European Time", 60), "CHADT": ("Chatham Daylight Time", 825),
    "CHAST": ("Chatham Standard Time", 765), "CHOT": ("Choibalsan Time", 480),
    "CHST": ("Chamorro Standard Time", 600), "CHUT": ("Chuuk Time", 600),
    "CIST": ("Clipperton Island Standard Time", -480), "CIT": ("Central Indonesia Time", 480),
    "CKT": ("Cook Island Time", -600), "CLST": ("Chile Summer Time", -180),
    "CLT": ("Chile Standard Time", -240), "COST": ("Colombia Summer Time", -240),
    "COT": ("Colombia Time", -300), "CST": ("Central Standard Time (North America)", -360),
    "CT": ("China Time", 480), "CVT": ("Cape Verde Time", -60),
    "CWST": ("Central Western Standard Time (Australia)", 525),
    "CXT": ("Christmas Island Time", 420), "DAVT": ("Davis Time", 420),
    "DDUT": ("Dumont d'Urville Time", 600), "DFT": ("AIX Central European Time", 60),
    "EASST": ("Easter Island Summer Time", -300), "EAST": ("Easter Island Standard Time", -360),
    "EAT": ("East Africa Time", 180), "ECT": ("Eastern Caribbean Time", -240),
    "EDT": ("Eastern Daylight Time (North America)", -240),
    "EEDT": ("Eastern European Daylight Time", 180), "EEST": ("Eastern European Summer Time",
    180), "EET": ("Eastern European Time", 120), "EGST": ("Eastern Greenland Summer Time", 0),
    "EGT": ("Eastern Greenland Time", -60), "EIT": ("Eastern Indonesian Time", 540),
    "EST": ("Eastern Standard Time (North America)", -300),
    "FET": ("Further-eastern European Time", 180), "FJT": ("Fiji Time", 720),
    "FKST": ("Falkland Islands Summer Time", -180), "FKT": ("Falkland Islands Time", -240),
    "FNT": ("Fernando de Noronha Time", -120), "GALT": ("Galapagos Time", -360),
    "GAMT": ("Gambier Islands Time", -540), "GET": ("Georgia Standard Time", 240),
    "GFT": ("French Guiana Time", -180), "GILT": ("Gilbert Island Time", 720),
    "GIT": ("Gambier Island Time", -540), "GMT": ("Greenwich Mean Time", 0),
    "GST": ("Gulf Standard Time", 240), "GYT": ("Guyana Time", -240),
    "HADT": ("Hawaii-Aleutian Daylight Time", -540), "HAEC": ("Heure Avancée d'Europe "
    "Centrale", 120), "HAST": ("Hawaii-Aleutian Standard Time", -600),
    "HKT": ("Hong Kong Time", 480), "HMT": ("Heard and McDonald Islands Time", 300),
    "HOVT": ("Khovd Time", 420), "HST": ("Hawaii Standard Time", -600),
    "IBST": ("International Business Standard Time", 0), "ICT": ("Indochina Time", 420),
    "IDT": ("Israel Daylight Time", 180), "IOT": ("Indian Ocean Time", 180),
    "IRDT": ("Iran Daylight Time", 270), "IRKT": ("Irkutsk Time", 480),
    "IRST": ("Iran Standard Time", 210), "IST": ("Indian Standard Time", 330),
    "JST": ("Japan Standard Time", 540), "KGT": ("Kyrgyzstan Time", 360),
    "KOST": ("Kosrae Time", 660), "KRAT": ("Krasnoyarsk Time", 420),
    "KST": ("Korea Standard Time", 540), "LHST": ("Lord Howe Standard Time", 630),
    "LINT": ("Line Islands Time", 840), "MAGT": ("Magadan Time", 720),
    "MART": ("Marquesas Islands Time", -570), "MAWT": ("Mawson Station Time", 300),
    "MDT": ("Mountain Daylight Time (North America)", -360), "MET": ("Middle European Time",
    60), "MEST": ("Middle European Summer Time", 120), "MHT": ("Marshall Islands Time", 720),
    "MIST": ("Macquarie Island Station Time", 660), "MIT": ("Marquesas Islands Time", -570),
    "MMT": ("Myanmar Time", 390), "MSK": ("Moscow Time", 180),
    "MST": ("Mountain Standard Time (North America)", -420), "MUT": ("Mauritius Time", 240),
    "MVT": ("Maldives Time", 300), "MYT": ("Malaysia Time", 480),
    "NCT": ("New Caledonia Time", 660), "NDT": ("Newfoundland Daylight Time", -150),
    "NFT": ("Norfolk Time", 660), "NPT": ("Nepal Time", 345),
    "NST": ("Newfoundland Standard Time", -210), "NT": ("Newfoundland Time", -210),
    "NUT": ("Niue Time", -660), "NZDT": ("New Zealand Daylight Time", 780),
    "NZST": ("New Zealand Standard Time", 720), "OMST": ("Omsk Time", 360),
    "ORAT": ("Oral Time", 300), "PDT": ("Pacific Daylight Time (North America)", -420),
    "PET": ("Peru Time", -300), "PETT": ("Kamchatka Time", 720),
    "PGT": ("Papua New Guinea Time", 600), "PHOT": ("Phoenix Island Time", 780),
    "PKT": ("Pakistan Standard Time", 300), "PMDT": ("Saint Pierre and Miquelon Daylight "
    "Time", -120), "PMST": ("Saint Pierre and Miquelon Standard Time", -180),
    "PONT": ("Pohnpei Standard Time", 660), "PST": ("Pacific Standard Time (North America)",
    -480), "PYST": ("Paraguay Summer Time", -180), "PYT": ("Paraguay Time", -240),
    "RET": ("Réunion Time", 240), "ROTT": ("Rothera Research Station Time", -180),
    "SAKT": ("Sakhalin Island Time", 660), "SAMT": ("Samara Time", 240),
    "SAST": ("South African Standard Time", 120), "SBT": ("Solomon Islands Time", 660),
    "SCT": ("Seychelles Time", 240), "SGT": ("Singapore Time", 480),
    "SLST": ("Sri Lanka Standard Time", 330), "SRET": ("Srednekolymsk Time", 660),
    "SRT": ("Suriname Time", -180), "SST": ("Samoa Standard Time", -660),
    "SYOT": ("Showa Station Time", 180), "TAHT": ("Tahiti Time", -600),
    "THA": ("Thailand Standard Time", 420), "TFT": ("Indian/Kerguelen Time", 300),
    "TJT": ("Tajikistan Time", 300), "TKT": ("Tokelau Time", 780), "TLT": ("Timor Leste "
    "Time", 540), "TMT": ("Turkmenistan Time", 300), "TOT": ("Tonga Time", 780),
    "TVT": ("Tuvalu Time", 720), "UCT": ("Coordinated Universal Time", 0),
    "ULAT": ("Ulaanbaatar Time", 480), "USZ1": ("Kaliningrad Time", 120),
    "UTC": ("Coordinated Universal Time", 0), "UYST": ("Uruguay Summer Time", -120),
    "UYT": ("Uruguay Standard Time", -180), "UZT": ("Uzbekistan Time", 300),
    "VET": ("Venezuelan Standard Time", -270), "VLAT": ("Vladivostok Time", 600),
    "VOLT": ("Volgograd Time", 240), "VOST": ("Vostok Station Time", 360),
    "VUT": ("Vanuatu Time", 660), "WAKT": ("Wake Island Time", 720),
    "WAST": ("West Africa Summer Time", 120), "WAT": ("West Africa Time", 60),
    "WEDT": ("Western European Daylight Time", 60), "WEST": ("Western European Summer Time",
    60), "WET": ("Western European Time", 0), "WIT": ("Western Indonesian Time", 420),
    "WST": ("Western Standard Time", 480), "YAKT": ("Yakutsk Time", 540),
    "YEKT": ("Yekaterinburg Time", 300), "Z": ("Zulu Time (UTC)", 0),
}

# What the seed's table also lists under the same letters (not chosen, see the rule above).
AMBIGUOUS: Final[dict[str, tuple[str, ...]]] = {
    "ACT": ("ASEAN Common Time, UTC+08",),
    "AMT": ("Armenia Time, UTC+04",),
    "AST": ("Arabia Standard Time, UTC+03",),
    "BDT": ("Brunei Time, UTC+08",),
    "BST": ("Bangladesh Standard Time, UTC+06", "Bougainville Standard Time, UTC+11"),
    "CDT": ("Cuba Daylight Time, UTC−04",),
    "CST": ("China Standard Time, UTC+08", "Central Standard Time (Australia), UTC+09:30",
            "Central Summer Time (Australia), UTC+10:30", "Cuba Standard Time, UTC−05"),
    "ECT": ("Ecuador Time, UTC−05",),
    "EST": ("Eastern Standard Time (Australia), UTC+10",),
    "FKST": ("Falkland Islands Standard Time, UTC−03",),
    "GST": ("South Georgia and the South Sandwich Islands, UTC−02",),
    "IST": ("Irish Standard Time, UTC+01", "Israel Standard Time, UTC+02"),
    "LHST": ("Lord Howe Summer Time, UTC+11",),
    "MST": ("Malaysia Standard Time, UTC+08", "Myanmar Standard Time, UTC+06:30"),
    "PST": ("Philippine Standard Time, UTC+08",),
    "SST": ("Singapore Standard Time, UTC+08",),
}

# The North American zones a phone number's IANA zone maps to (the seed: "EST, CST, MST,
# PST, etc."; standard and daylight time do not matter to Skycore).
_BY_IANA: Final[dict[str, str]] = {
    "America/New_York": "EST", "America/Detroit": "EST", "America/Toronto": "EST",
    "America/Indiana/Indianapolis": "EST", "America/Kentucky/Louisville": "EST",
    "America/Chicago": "CST", "America/Winnipeg": "CST", "America/Indiana/Knox": "CST",
    "America/Denver": "MST", "America/Phoenix": "MST", "America/Boise": "MST",
    "America/Edmonton": "MST", "America/Los_Angeles": "PST", "America/Vancouver": "PST",
    "America/Anchorage": "AKST", "Pacific/Honolulu": "HST", "America/Halifax": "AST",
    "America/Puerto_Rico": "AST", "America/St_Johns": "NST",
}


def describe(abbreviation: str) -> str:
    """"CST: Central Standard Time (North America), UTC−06:00 (not: China …)"; ValueError."""
    key = abbreviation.strip().upper() if abbreviation.strip() != "ChST" else "CHST"
    if key not in ZONES:
        raise ValueError(f"{abbreviation!r} is not a time zone the Skycore API knows "
                         "(for example EST, CST, MST, PST)")
    name, minutes = ZONES[key]
    sign = "+" if minutes >= 0 else "−"
    text = f"{key}: {name}, UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    if key in AMBIGUOUS:
        text += " (not: " + "; ".join(AMBIGUOUS[key]) + ")"
    return text


def abbreviation_for(iana_zone: str | None) -> str | None:
    """The abbreviation Skycore expects for a phone's zone, when we know one."""
    return _BY_IANA.get(iana_zone or "")
