"""The deal pipeline: deals between startups and investors, moved through the stages."""
