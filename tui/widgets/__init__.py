"""widgets layer of smsdesk."""
