"""api layer of smsdesk."""
