"""Meta's WhatsApp Business Cloud API (the Graph API's messaging surface) and a simulator of the customers on the
other side of it: create_app() in app.py builds it."""
