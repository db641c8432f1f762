"""Map where counter-terrorism arrests were reported in news articles."""
