"""services layer of smsdesk."""
