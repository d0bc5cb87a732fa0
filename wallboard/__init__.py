"""The wallboard service: HTTP API, live screens, storage and the command line."""

__version__ = "0.1.0"
