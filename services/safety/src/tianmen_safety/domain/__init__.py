"""The pure safety domain: rule tables as data, the points ledger as a fold with decide."""
