"""sms layer of smsdesk."""
