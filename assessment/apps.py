from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = "Assessments"

    def ready(self) -> None:
        from assessment.services import portfolio

        portfolio.connect()
