from django.apps import AppConfig
from django.core.signals import request_finished, request_started


class ProvidersConfig(AppConfig):
    name = "providers"
    verbose_name = "Katalogen"

    def ready(self) -> None:
        from providers import cache

        # One catalogue version per request (providers.cache): read once, not once per row.
        request_started.connect(cache.request_started, dispatch_uid="catalogue_version_start")
        request_finished.connect(cache.request_finished, dispatch_uid="catalogue_version_end")
