"""The signals of DY-DV off-platform diversion, one file per kind of contact or steering."""
