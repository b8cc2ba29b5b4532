"""The tip-off domain: pure rules, state folded from events, and decisions."""
