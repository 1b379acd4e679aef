"""store layer of smsdesk."""
