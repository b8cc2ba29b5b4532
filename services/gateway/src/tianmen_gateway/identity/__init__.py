"""Who is calling (authentication) and what they may see and do (authorisation)."""
