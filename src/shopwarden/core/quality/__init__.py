"""Poor quality and the experience score (DY-QL-1..5): pure computations over counted orders and feedback."""
