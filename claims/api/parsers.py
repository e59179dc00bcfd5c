"""The API's JSON parser: the one input guard of every write through the API.

Every body is read with ``claims.strictjson``: a duplicate key or nesting past
its limit is a 400 saying so, and a string (key or value, in any field of any
resource) that holds NUL or a lone surrogate is a 400 naming the field, before
a serializer or a service sees the data. Bodies over
``DATA_UPLOAD_MAX_MEMORY_SIZE`` are refused with 413 (``claims.api.errors``).
"""

import codecs
import json

from django.conf import settings
from rest_framework import exceptions
from rest_framework.parsers import JSONParser

from claims import strictjson


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read()
        except UnicodeDecodeError as error:
            raise exceptions.ParseError(
                f"The body is not {encoding} (byte {error.start})."
            ) from None
        try:
            data = strictjson.loads(text)
        except json.JSONDecodeError as error:
            raise exceptions.ParseError(
                f"Malformed JSON: {error.msg} at line {error.lineno} column "
                f"{error.colno}."
            ) from None
        except strictjson.JSONInputError as error:
            raise exceptions.ParseError(f"The body cannot be read: {error}.") from None
        for where, char, position in strictjson.unstorable(data):
            field = strictjson.where_of(where) if where else "non_field_errors"
            raise exceptions.ValidationError(
                {field: [strictjson.describe(char, position)]}
            )
        return data
