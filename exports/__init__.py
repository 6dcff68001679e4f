"""Exports: Excel handouts, PNG charts, the PowerPoint brief and the templates to fill in (no Streamlit here; the
Vietnamese formats they write are formats.py)."""
