"""Sign-in bookkeeping: the time a staff session started (for its 12-hour limit)."""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from portal.middleware import SIGNED_IN_AT


@receiver(user_logged_in, dispatch_uid="portal.stamp_sign_in")
def stamp_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = time.time()
