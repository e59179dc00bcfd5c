"""How each resource reads and what a write may send, one module a resource.

Serializers shape and validate; the writes themselves are the services'
(``claims.services``), called by the views. Offsets are code-point spans
``{"start", "end"}`` into the document's text.
"""
