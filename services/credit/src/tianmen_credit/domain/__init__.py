"""The pure credit domain: the scoring model as data, the score as a fold with decide."""
