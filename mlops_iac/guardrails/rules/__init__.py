"""The default rules, one module per concern; each module's rules are small pure functions."""
