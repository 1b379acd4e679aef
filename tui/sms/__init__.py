"""The SMS domain: segments and encoding, phone numbers, merge fields, compliance (no Textual)."""
