"""connectors layer of smsdesk."""
