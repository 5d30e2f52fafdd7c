"""Browser journeys in a real Chromium, with axe-core accessibility checks."""
