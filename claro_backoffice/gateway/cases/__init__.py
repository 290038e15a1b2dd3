"""The procedure itself: conversations (SMCC/WhatsApp), the case state machine, typification, PQR, closing,
surveys, follow-up, KPIs and management practices, over the gateway's own SQLite (store.py)."""
