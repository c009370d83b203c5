"""Signed webhooks: studios register URLs; what happens in events, recognition and sharing is
delivered to them as signed JSON, retried with backoff, and logged (docs/webhooks.md)."""
