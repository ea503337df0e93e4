"""The platform: what every app stands on and no domain rule lives in.

Access (deny by default), the one registry the apps plug into, background files, reminders,
PDF rendering and joining, uploads, throttling, backups, health checks, middleware and the
other shared rules (history saving, locking, spreadsheets escaping). Nothing here imports
``compact``'s domain modules or an upper app.
"""
