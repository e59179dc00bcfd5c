"""The error of a record that does not follow its format (no Django here).

The interchange format and the tools' formats (``claims.formats``) raise it,
so that the converters that need no database do not import the one that
does.
"""


class InterchangeError(ValueError):
    """A record that does not follow the format; the message names where.

    Messages read ``"<where>: <reason>"``, where is a path into the record
    (``statements[2].attributions[0].kind``), or ``document`` for the record
    itself.
    """

    @property
    def path(self) -> str:
        return str(self).partition(": ")[0]

    @property
    def reason(self) -> str:
        return str(self).partition(": ")[2] or str(self)
