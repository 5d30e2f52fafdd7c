"""An official's training record across every centre and year, and its printed transcripts."""
