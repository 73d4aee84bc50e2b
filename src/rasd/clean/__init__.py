"""Cleaning of scraped article text: one headline, the body, no page furniture."""

from rasd.clean.cleaner import CleaningRules, clean_article, clean_text, default_rules

__all__ = ["CleaningRules", "clean_article", "clean_text", "default_rules"]
