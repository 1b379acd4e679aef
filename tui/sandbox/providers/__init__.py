"""Other providers' endpoints the sandbox serves, so connectors are tested end to end."""
