"""Exports and Vietnamese formatting: Excel handouts, PNG charts and the PowerPoint brief (no Streamlit here)."""
