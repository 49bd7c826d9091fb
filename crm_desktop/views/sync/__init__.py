"""The desk's sync loop in the app: the controller that runs rounds off the UI thread and owns the retry
timer, and the status bar widget that shows how far the desk is from the server."""
