"""Web group sessions: one page per online group, no JavaScript needed."""
