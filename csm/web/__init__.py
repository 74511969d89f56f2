"""Streamlit glue shared by pages (widgets that several screens use); the domain imports none of it."""
