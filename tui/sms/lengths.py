"""Message length limits from 3GPP TS 23.040 (TP-User-Data) for GSM-7 and UCS-2 messages.

One SMS carries at most 140 octets of user data (TP-UDL). A long message is sent as a
concatenated SMS: every part carries a 6-octet user data header (UDHL + IEI 0x00 "concatenated
short messages, 8-bit reference" + 4 octets), leaving 134 octets. The numbers below are derived
from those octets so that the reasoning stays visible.
"""

from __future__ import annotations

from typing import Final

TP_UD_MAX_OCTETS: Final = 140
# UDHL(1) + IEI(1) + IEDL(1) + reference(1) + total parts(1) + this part(1)
CONCAT_UDH_OCTETS: Final = 6

# GSM-7 packs 8 septets in 7 octets; the header is padded to a septet boundary (1 fill bit).
GSM7_SINGLE_SEPTETS: Final = TP_UD_MAX_OCTETS * 8 // 7  # 160
GSM7_CONCAT_SEPTETS: Final = (TP_UD_MAX_OCTETS - CONCAT_UDH_OCTETS) * 8 // 7  # 153

# UCS-2 (sent as UTF-16 by carriers): 2 octets per code unit; an emoji is 2 code units.
UCS2_SINGLE_UNITS: Final = TP_UD_MAX_OCTETS // 2  # 70
UCS2_CONCAT_UNITS: Final = (TP_UD_MAX_OCTETS - CONCAT_UDH_OCTETS) // 2  # 67

# The concatenation header numbers parts in one octet.
MAX_CONCAT_PARTS: Final = 255
