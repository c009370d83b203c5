"""'Tell me when there are new photos of me' (issue #17, docs/sharing.md "New photos of me").

consent (the opt-in's own text), sealing (templates, addresses, channel URLs encrypted),
subscriptions (opt in, opt out, forget), matching (each new batch against the opted-in
templates), sending (throttled messages by e-mail and Apprise), links (the signed way back),
channels (the studio's Apprise URLs), hook (the one place that listens to finished batches).
"""
