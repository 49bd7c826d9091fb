"""Service requests: the work queues and the request screen."""
