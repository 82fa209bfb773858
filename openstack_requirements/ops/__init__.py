"""Operations: reading projects, syncing, checks, constraints, resolvers."""
