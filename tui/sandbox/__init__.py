"""sandbox layer of smsdesk."""
