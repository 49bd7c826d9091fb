"""The desk's sync client (no Qt): local sync state and outbox, apply of server rows, HTTP transport,
the sync engine (push, pull, reset) and the retry backoff. The Qt loop drives ``SyncEngine`` off the UI
thread; ``crm-desktop sync`` drives it from the command line.
"""
