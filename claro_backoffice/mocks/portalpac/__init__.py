"""PortalPAC mock (VoLTE, Familia y Amigos, Datos Compartidos): create_app() in app.py builds it."""
