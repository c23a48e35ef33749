"""A model field that stores text encrypted (intake.crypto) and reads it back as plain text.

The database only ever sees Fernet tokens; Python code and templates see the text. Encrypted
columns cannot be searched or sorted: use a keyed hash column beside one where an exact lookup
is needed. Fernet tokens are about 4/3 of the text plus ~100 characters, hence a TextField.
"""

from __future__ import annotations

from django.db import models

from intake import crypto


class EncryptedTextField(models.TextField):
    description = "Text encrypted at rest (Fernet)"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return value
        return crypto.encrypt(str(value))

    def get_lookup(self, lookup_name):
        # Only "is null" makes sense on ciphertext; anything else would silently match nothing.
        if lookup_name != "isnull":
            raise TypeError(f"An encrypted field cannot be filtered with __{lookup_name}.")
        return super().get_lookup(lookup_name)
