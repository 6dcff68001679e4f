"""Load tests of the real server through Streamlit's own websocket protocol (manage.py bench --load)."""
