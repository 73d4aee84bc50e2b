"""Analysis stages: tokens, entities and places, attributions, events, notes."""
