"""events layer of smsdesk."""
