"""The central sync service: FastAPI over PostgreSQL (design note ``sync-design.md`` §4-§10).

Never bundled with the desktop (its own optional dependency group ``server``). Modules:
``schema`` (tables and triggers), ``migrations/`` (Alembic), ``db`` (engine, sync_meta),
``auth`` (devices, registration codes, tokens, clerks), ``push``, ``pull``, ``health``,
``app`` (``create_app(settings)``), ``cli`` (``crm-desktop-server``).
"""
