from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"

    def ready(self):
        from intake import checks  # noqa: F401 - registers the deployment checks
