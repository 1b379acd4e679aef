"""screens layer of smsdesk."""
