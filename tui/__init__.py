"""smsdesk: a terminal app for people who run an SMS marketing account."""

__version__ = "0.1.0"
