"""The REST API's resources, one module each. Thin: they read through
``claims.selectors`` and write through ``claims.services``."""
