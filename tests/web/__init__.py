"""End-to-end tests of the dashboard (headless Chromium) and of its boundary files."""
